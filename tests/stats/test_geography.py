"""Distances between partners, against random pairs of the same places."""

import pytest

from jumelage.analytics.definition import make_definition
from jumelage.analytics.geography import band_counts, great_circle_km, partner_distances
from tests.stats.builders import link, place, snap

PARIS = place(1, "FR", lat=48.85341, lon=2.3488)
LONDON = place(2, "GB", lat=51.50853, lon=-0.12574)


def test_paris_and_london_are_344_km_apart():
    assert great_circle_km(PARIS, LONDON) == pytest.approx(343.5, abs=1.0)


def test_a_place_is_zero_km_from_itself():
    assert great_circle_km(PARIS, PARIS) == 0.0


def test_distances_fall_into_bands_with_the_lower_bound_included():
    assert band_counts([0, 24.9, 25, 12000]) == [2, 1, 0, 0, 0, 0, 0, 0, 0, 1]


def test_partner_distances_compare_linked_pairs_with_random_pairs_of_the_same_places():
    places = [place(i, "DE", lat=50.0 + i * 0.5, lon=7.0) for i in range(1, 9)]
    places.append(place(9, "DE"))  # no coordinates
    links = [link(i, i, i + 1) for i in range(1, 8)] + [link(8, 1, 9)]
    result = partner_distances(snap(places, links), make_definition(), sample=2000, seed=3)
    assert result["linked"]["count"] == 7
    assert result["pairs_without_coordinates"] == 1
    assert result["linked"]["median_km"] == pytest.approx(55.6, abs=0.5)
    assert result["random"]["median_km"] > result["linked"]["median_km"]
    band = next(b for b in result["bands"] if b["from_km"] == 50)
    assert band["linked"] == 7 and band["ratio"] > 1


def test_the_random_pairs_repeat_with_the_same_seed():
    places = [place(i, "DE", lat=40.0 + i, lon=i * 2.0) for i in range(1, 20)]
    links = [link(i, i, i + 1) for i in range(1, 19)]
    data = snap(places, links)
    first = partner_distances(data, make_definition(), sample=500, seed=8)
    second = partner_distances(data, make_definition(), sample=500, seed=8)
    assert first["random"] == second["random"]
