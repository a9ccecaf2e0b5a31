"""Splits, ranks and the learner of the evaluation."""

import numpy as np
import pytest

from jumelage.matching.data import Link
from jumelage.matching.evaluation import (
    evaluate,
    evaluate_seeds,
    random_split,
    ranks,
    recent_split,
)
from jumelage.matching.scoring import fit_choice
from tests.matching.builders import NEW, europe


def test_a_random_split_is_the_same_for_a_seed_and_differs_between_seeds():
    links = europe().links
    first, again = random_split(links, 0.5, seed=4), random_split(links, 0.5, seed=4)
    assert first.hidden == again.hidden
    others = [random_split(links, 0.5, seed=s).hidden for s in range(5, 10)]
    assert any(o != first.hidden for o in others)
    assert len(first.hidden) + len(first.train) == len(links)


def test_the_recent_split_hides_exactly_the_links_first_recorded_since_2018():
    data = europe((Link(1, 7, NEW), Link(3, 10, NEW)))
    split = recent_split(data.links)
    assert {(x.a, x.b) for x in split.hidden} == {(1, 7), (3, 10)}
    assert len(split.train) == len(data.links) - 2


def test_ranks_count_better_scores_and_break_ties_by_the_given_order():
    scores = np.array([5.0, 3.0, 3.0, 1.0, 9.0])
    mask = np.array([True, True, True, True, False])
    tiebreak = np.array([0.1, 0.9, 0.2, 0.5, 0.0])
    assert ranks(scores, mask, np.array([0, 1, 2, 3]), tiebreak).tolist() == [1, 3, 2, 4]


def test_the_evaluation_is_deterministic_for_a_seed_and_reports_every_method():
    data = europe((Link(1, 7, NEW), Link(3, 10, NEW), Link(2, 6, NEW)))
    first = evaluate(data, "recent", seed=2)
    again = evaluate(data, "recent", seed=2)
    first.pop("seconds"), again.pop("seconds")
    assert first == again
    assert set(first["metrics"]) == {
        "matcher", "random", "popularity", "adamic_adar", "size_distance", "country_pair",
        "resource_allocation", "hybrid", "logistic",
    }  # fmt: skip
    assert first["queries"] == 6


def test_a_holdout_outside_zero_and_one_is_refused():
    with pytest.raises(ValueError):
        random_split(europe().links, 1.0, seed=1)


def test_the_choice_model_recovers_the_weights_that_made_the_choices():
    rng = np.random.default_rng(3)
    true = np.array([1.5, -2.0, 0.5])
    x = rng.normal(size=(3000, 8, 3))
    utility = x @ true
    p = np.exp(utility) / np.exp(utility).sum(axis=1, keepdims=True)
    chosen = np.array([rng.choice(8, p=row) for row in p])
    order = np.argsort(np.arange(8)[None, :] != chosen[:, None], axis=1, kind="stable")
    x = np.take_along_axis(x, order[:, :, None], axis=1)  # the chosen one first
    weights = fit_choice(x, np.zeros((3000, 8)), l2=0.01)
    assert weights == pytest.approx(true, abs=0.15)


def test_several_seeds_report_the_mean_the_spread_and_the_ratio_of_each_seed():
    data = europe((Link(1, 7, NEW), Link(3, 10, NEW), Link(2, 6, NEW)))
    report = evaluate_seeds(data, "recent", seeds=(2, 3))
    alone = [evaluate(data, "recent", seed=s) for s in (2, 3)]
    values = [a["metrics"]["hybrid"]["recall@10"] for a in alone]
    spread = report["spread"]["hybrid"]["recall@10"]
    assert spread["min"] == min(values) and spread["max"] == max(values)
    assert report["metrics"]["hybrid"]["recall@10"] == pytest.approx(np.mean(values), abs=1e-4)
    assert report["ratio_per_seed"] == [a["ratio_recall@10"] for a in alone]
    assert [r["seed"] for r in report["per_seed"]] == [2, 3]
    for label in ("with_training_partners", "without_training_partners"):
        assert set(report[label]) == set(report["metrics"])
        assert len(report["populations"][label]["ratio_per_seed"]) == 2


def test_no_seed_is_refused():
    with pytest.raises(ValueError):
        evaluate_seeds(europe(), "recent", seeds=())
