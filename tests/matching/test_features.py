"""Features come from the links they are given, and from nothing else."""

from dataclasses import replace

import numpy as np

from jumelage.matching import evaluation
from jumelage.matching.baselines import country_pair, fit_logistic, hybrid, resource_allocation
from jumelage.matching.data import Link
from jumelage.matching.evaluation import (
    candidates,
    evaluate,
    ranks,
    recent_split,
    training_view,
)
from jumelage.matching.features import input_columns, raw_features
from jumelage.matching.index import build_index
from tests.matching.builders import NEW, europe, place


def _raw(data, u_id, v_id):
    ix = build_index(data)
    u, v = ix.position[u_id], ix.position[v_id]
    return raw_features(ix, u, np.array([v]))


def test_a_link_feeds_the_shared_partners_and_country_pairs_of_others():
    hidden = Link(1, 7, NEW)  # Köln–Warszawa; Warszawa is twinned with Paris
    with_link = _raw(europe((hidden,)), 1, 5)
    without = _raw(europe(), 1, 5)
    assert with_link["shared"][0] == 1 and without["shared"][0] == 0
    poland_with = _raw(europe((hidden,)), 1, 8)["country_share"][0]
    poland_without = _raw(europe(), 1, 8)["country_share"][0]
    assert poland_with > poland_without


def _country_pair_rank(ix, u_id, v_id, seed):
    """Where the country-pair baseline puts v for u, ties broken as the evaluation does."""
    u, v = ix.position[u_id], ix.position[v_id]
    scores = country_pair(ix, u, raw_features(ix, u))
    tiebreak = np.random.default_rng([seed, u_id]).random(ix.size)
    mask = candidates(ix, u)
    mask[v] = True
    return int(ranks(scores, mask, np.array([v]), tiebreak)[0])


def test_the_evaluation_ranks_with_features_built_without_the_hidden_links():
    # Japan appears in one link only, and that link is hidden: with it, Japan is
    # a country Köln's country twins with; without it, Japan has no link at all.
    kyoto = place(13, "JP", 35.0, 135.8, 1_400_000, name="Kyoto")
    data = europe((Link(1, 13, NEW),))
    data = replace(data, places=(*data.places, kyoto))
    leaky = build_index(data)
    seen = build_index(training_view(data, recent_split(data.links)))
    without, with_leak = _country_pair_rank(seen, 1, 13, 1), _country_pair_rank(leaky, 1, 13, 1)
    assert with_leak < without  # the leak would show in the ranks
    report = evaluate(data, "recent", seed=1, details=True)
    assert report["ranks"]["1"]["country_pair"] == [without]


def test_the_new_baselines_rank_as_they_would_on_the_training_links_alone(monkeypatch):
    # Warszawa–Köln is hidden; Warszawa and Köln would otherwise share no partner,
    # and München (twinned with Paris, like Warszawa) ranks by the links left.
    hidden = (Link(1, 7, NEW), Link(1, 5, NEW))
    data = europe(hidden)
    split = recent_split(data.links)
    seen_data = training_view(data, split)
    fitted = []

    def spy(given, seed):
        fitted.append({link.pair for link in given.links})
        return fit_logistic(given, seed)

    monkeypatch.setattr(evaluation, "fit_logistic", spy)
    report = evaluate(data, "recent", seed=1, details=True)
    assert fitted and not fitted[0] & {link.pair for link in hidden}
    seen = build_index(seen_data)
    u = seen.position[1]
    raw = raw_features(seen, u)
    scorers = {
        "resource_allocation": resource_allocation,
        "hybrid": hybrid,
        "logistic": fit_logistic(seen_data, 1).score,
    }
    tiebreak = np.random.default_rng([1, 1]).random(seen.size)
    targets = np.array([seen.position[5], seen.position[7]])
    for name, scorer in scorers.items():
        expected = ranks(scorer(seen, u, raw), candidates(seen, u), targets, tiebreak)
        assert report["ranks"]["1"][name] == expected.tolist()


def test_an_unknown_population_is_no_fact_for_or_against():
    data = europe()
    ix = build_index(data)
    u, v = ix.position[1], ix.position[12]  # Dijon has no population on record
    columns = input_columns(ix, u, raw_features(ix, u, np.array([v])))
    assert np.isnan(columns["size_gap"][0]) and np.isnan(columns["size"][0])


def test_a_name_of_one_place_in_the_language_of_the_other_makes_namesakes():
    data = europe()  # Köln is "Cologne" in English
    other = place(13, "US", 40.0, -80.0, 3_000, name="Cologne")
    data = replace(data, places=(*data.places, other))
    raw = _raw(data, 1, 13)
    assert raw["namesake"][0] == 1.0


def test_places_with_the_same_name_on_record_are_namesakes():
    other = place(13, "AT", 47.0, 15.0, 3_000, name="Koeln")  # the same name, folded
    data = replace(europe(), places=(*europe().places, other))
    assert _raw(data, 1, 13)["namesake"][0] == 1.0


def test_an_exonym_in_a_third_language_makes_no_namesakes():
    # Köln and Colón both hold "Kolon", a name in neither German nor Spanish.
    colon = place(13, "PA", 9.36, -79.9, 76_000, name="Colón")
    names = {**europe().names, 13: frozenset({("en", "colon"), ("und", "kolon")})}
    data = replace(europe(), places=(*europe().places, colon), names=names)
    assert _raw(data, 1, 13)["namesake"][0] == 0.0


def test_contacts_and_networks_are_counted_between_the_two_places():
    raw = _raw(europe(), 1, 6)
    assert raw["contacts"][0] == 2 and raw["networks"][0] == 1


def test_north_south_follows_the_dac_list_and_is_unknown_without_one():
    assert _raw(europe(), 1, 10)["north_south"][0] == 1.0
    assert _raw(europe(), 1, 4)["north_south"][0] == 0.0
    assert np.isnan(_raw(europe(dac={}), 1, 10)["north_south"][0])


def test_a_walk_of_three_links_is_counted_as_a_chance_not_as_routes():
    # Köln (2 partners) → Lyon (2) → Wuppertal (2) → Kraków: one route, chance 1/8,
    # and the same back; given times the number of places (12), 1 being chance.
    ix = build_index(europe())
    u, krakow = ix.position[1], ix.position[8]
    raw = raw_features(ix, u, np.array([krakow]))
    assert raw["paths3"][0] == 1
    assert raw["walk3"][0] == raw["walk3_back"][0] == 12 / 8
