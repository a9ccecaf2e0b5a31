"""Recommendations: reasons that add up, constraints that hold, two modes."""

from dataclasses import replace

import numpy as np
import pytest

from jumelage.errors import Invalid
from jumelage.matching.explanations import GROUPS
from jumelage.matching.features import INPUTS
from jumelage.matching.index import build_index
from jumelage.matching.learning import learn
from jumelage.matching.recommend import MAX_SAME_NAME, Constraints, recommend
from jumelage.matching.scoring import MODES, Model, Models
from tests.matching.builders import europe, place


def _models(seed: int = 7) -> Models:
    rng = np.random.default_rng(seed)
    weights = rng.normal(0.0, 1.0, len(INPUTS))
    weights[INPUTS.index("contacts")] = 1.5
    weights[INPUTS.index("north_south")] = 0.2
    model = Model(INPUTS, weights, rng.normal(0.0, 1.0, len(INPUTS)))
    return Models(model, model)


def _ask(**kwargs):
    ix = build_index(europe())
    return ix, recommend(ix, kwargs.pop("models", _models()), ix.position[1], **kwargs)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_reasons_of_each_candidate_add_up_to_its_score(seed):
    _, result = _ask(models=_models(seed), limit=11)
    assert result["items"]
    for item in result["items"]:
        total = sum(r["contribution"] for r in item["reasons"])
        assert item["score"] == pytest.approx(total, abs=1e-9)


def test_candidates_are_ranked_by_score():
    _, result = _ask(limit=11)
    scores = [item["score"] for item in result["items"]]
    assert scores == sorted(scores, reverse=True)


def test_every_candidate_meets_the_constraints():
    constraints = Constraints(countries=("FR", "PL"), max_km=1200.0, min_population=100_000)
    _, result = _ask(constraints=constraints, limit=20)
    assert result["items"]
    for item in result["items"]:
        assert item["municipality"]["country"] in {"FR", "PL"}
        assert item["distance_km"] <= 1200.0
        assert item["municipality"]["population"] >= 100_000
    assert result["candidates"] == len(result["items"])


def test_a_language_keeps_the_countries_where_it_is_official():
    _, result = _ask(constraints=Constraints(language="fr"), limit=20)
    assert {i["municipality"]["country"] for i in result["items"]} == {"FR", "TN"}


def test_places_already_linked_are_left_out_unless_asked_for():
    _, without = _ask(limit=20)
    _, with_linked = _ask(limit=20, constraints=Constraints(exclude_linked=False))
    names = {i["municipality"]["name"] for i in without["items"]}
    assert "Lyon" not in names and "Tunis" not in names
    assert "Lyon" in {i["municipality"]["name"] for i in with_linked["items"]}


def test_contrast_mode_ranks_a_north_south_partner_higher_than_similar_mode():
    def rank_of_sousse(mode: str) -> int:
        _, result = _ask(mode=mode, limit=11)
        return next(i["rank"] for i in result["items"] if i["municipality"]["name"] == "Sousse")

    assert rank_of_sousse("contrast") < rank_of_sousse("similar")


def test_contacts_of_schools_and_clubs_are_a_reason():
    _, result = _ask(limit=11)
    marseille = next(i for i in result["items"] if i["municipality"]["name"] == "Marseille")
    contacts = next(r for r in marseille["reasons"] if r["reason"] == "contacts")
    assert "2 contacts" in contacts["text"] and "school" in contacts["text"]


def test_a_learned_model_recommends_from_the_links_it_was_given():
    data = europe()
    ix = build_index(data)
    result = recommend(ix, learn(data, seed=1), ix.position[1], limit=5)
    assert len(result["items"]) == 5
    assert result["model"] == "with_partners"


@pytest.mark.parametrize(
    ("constraints", "field"),
    [
        (Constraints(min_km=100.0, max_km=10.0), "max_km"),
        (Constraints(min_population=10, max_population=1), "max_population"),
        (Constraints(countries=("France",)), "country"),
    ],
)
def test_constraints_that_cannot_hold_are_refused(constraints, field):
    with pytest.raises(Invalid) as refused:
        _ask(constraints=constraints)
    assert refused.value.field == field


def test_an_unknown_mode_is_refused():
    with pytest.raises(Invalid) as refused:
        _ask(mode="opposite")
    assert refused.value.field == "mode"


def test_every_input_of_the_model_is_told_in_exactly_one_reason():
    told = [name for group in GROUPS.values() for name in group]
    assert len(told) == len(set(told))
    assert set(INPUTS) <= set(told)


def test_one_family_of_places_never_fills_a_list():
    towns = tuple(
        place(13 + i, country, 9.0 + i, -79.0 - i, 60_000, name="Colón")
        for i, country in enumerate(("PA", "AR", "CU", "HN"))
    )
    data = replace(europe(), places=(*europe().places, *towns))
    ix = build_index(data)
    weights = np.zeros(len(INPUTS))
    weights[INPUTS.index("distance")] = 1.0  # the four towns across the Atlantic first
    model = Model(INPUTS, weights, np.zeros(len(INPUTS)))
    models = Models(model, model)
    for mode in MODES:
        result = recommend(ix, models, ix.position[1], mode, limit=8)
        names = [item["municipality"]["name"] for item in result["items"]]
        assert names.count("Colón") == MAX_SAME_NAME and len(names) == 8
