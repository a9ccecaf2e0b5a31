"""The baselines the matcher is measured against."""

import numpy as np
import pytest

from jumelage.matching.baselines import (
    PAIR_FEATURES,
    adamic_adar,
    fit_logistic,
    hybrid,
    logistic_regression,
    resource_allocation,
    size_distance,
)
from jumelage.matching.data import Link
from jumelage.matching.features import raw_features
from jumelage.matching.index import build_index
from tests.matching.builders import OLD, europe


def _scores(scorer, data, u_id):
    ix = build_index(data)
    u = ix.position[u_id]
    return ix, scorer(ix, u, raw_features(ix, u))


def test_resource_allocation_counts_each_shared_partner_by_one_over_its_partners():
    # Wuppertal's partners: Lyon (partners Köln, Wuppertal, Paris) and Kraków
    # (partners Marseille, Wuppertal).
    data = europe((Link(4, 5, OLD),))
    ix, scores = _scores(resource_allocation, data, 2)
    assert scores[ix.position[1]] == pytest.approx(1 / 3)
    assert scores[ix.position[6]] == pytest.approx(1 / 2)
    assert scores[ix.position[5]] == pytest.approx(1 / 3)


def test_the_hybrid_orders_by_shared_partners_first_then_by_size_and_distance():
    data = europe()
    _, scores = _scores(hybrid, data, 2)  # Wuppertal: partners Lyon and Kraków
    _, aa = _scores(adamic_adar, data, 2)
    _, fallback = _scores(size_distance, data, 2)
    sharing = np.flatnonzero(aa > 0)
    assert len(sharing) and scores[sharing].min() > scores[aa == 0].max()
    none = np.flatnonzero(aa == 0)
    assert (np.argsort(scores[none]) == np.argsort(fallback[none])).all()


def test_the_hybrid_is_size_and_distance_for_a_place_without_partners():
    data = europe()
    _, scores = _scores(hybrid, data, 10)  # Sousse has no partner
    _, fallback = _scores(size_distance, data, 10)
    assert scores == pytest.approx(fallback)


def test_the_logistic_regression_recovers_the_weights_that_made_the_labels():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(20_000, 2))
    true = np.array([1.5, -1.0, -0.5])
    p = 1 / (1 + np.exp(-(x @ true[:2] + true[2])))
    y = (rng.random(len(x)) < p).astype(np.float64)
    assert logistic_regression(x, y, l2=0.01, iterations=30) == pytest.approx(true, abs=0.1)


def test_the_learned_baseline_is_deterministic_and_has_a_weight_per_pair_feature():
    data = europe()
    first, again = fit_logistic(data, 3), fit_logistic(data, 3)
    assert first.weights.tolist() == again.weights.tolist()
    assert set(first.to_dict()) == {*PAIR_FEATURES, "intercept"}
    ix, scores = _scores(first.score, data, 1)
    assert scores.shape == (ix.size,) and np.isfinite(scores).all()
