"""Country outlines and the point test."""

from __future__ import annotations

from types import SimpleNamespace

from jumelage.dataset.countries import compatible
from jumelage.dataset.outlines import check_place, country_at, fits, load_outlines

OUTLINES = load_outlines()


def test_a_point_inside_or_just_off_its_country_fits_and_one_abroad_does_not():
    assert fits(OUTLINES, "DE", 50.93, 6.95)  # Köln
    assert fits(OUTLINES, "BG", 43.41, 23.23)  # Montana, Bulgaria
    assert not fits(OUTLINES, "BG", 47.0, -110.0)  # Montana, the US state
    assert fits(OUTLINES, "XX", 0.0, 0.0) is None  # no outline: cannot tell


def test_the_country_holding_a_point_is_found_across_the_antimeridian():
    assert country_at(OUTLINES, 43.32, -1.98) == "ES"  # San Sebastián
    assert country_at(OUTLINES, 66.5, 66.6) == "RU"  # Salekhard
    assert country_at(OUTLINES, 72.0, -40.0) == "GL"  # inland Greenland, not Russia
    assert country_at(OUTLINES, 66.0, -175.0) == "RU"  # Chukotka, west of the antimeridian


def node(*countries: str, lat: float | None = None, lon: float | None = None):
    mention = SimpleNamespace(countries=countries)
    return SimpleNamespace(mention=mention, lat=lat, lon=lon, csc=None, geo=None)


def test_a_country_the_sources_state_beats_a_gazetteer_guess_when_the_point_lies_in_it():
    place = SimpleNamespace(
        country="PR", lat=43.318, lon=-1.981, admin_area="x", admin_code="PR-x", name="S"
    )
    check = check_place(OUTLINES, place, [node("ES")], compatible)
    assert check is not None and check.action == "country"
    assert (place.country, place.admin_code) == ("ES", "")


def test_a_point_abroad_is_replaced_by_another_sources_point_or_dropped():
    place = SimpleNamespace(country="BG", lat=47.0, lon=-110.0, name="Montana")
    check = check_place(OUTLINES, place, [node("BG", lat=43.41, lon=23.23)], compatible)
    assert check is not None and check.action == "point"
    assert (place.lat, place.lon) == (43.41, 23.23)
    lone = SimpleNamespace(country="BG", lat=47.0, lon=-110.0, name="Montana")
    assert check_place(OUTLINES, lone, [node("BG")], compatible).action == "dropped"
    assert lone.lat is None and lone.lon is None


def test_crimea_stays_ukrainian_though_natural_earth_draws_it_in_russia():
    place = SimpleNamespace(country="UA", lat=44.95, lon=34.11, name="Simferopol")
    check = check_place(OUTLINES, place, [node("UA")], compatible)
    assert check is not None and check.action == "disputed"
    assert place.country == "UA" and place.lat == 44.95


def test_a_siberian_city_filed_in_ukraine_is_not_kept_by_the_crimean_exception():
    place = SimpleNamespace(
        country="UA", lat=52.3, lon=104.3, admin_area="", admin_code="", name="Irkutsk"
    )
    check = check_place(OUTLINES, place, [node("RU", "UA")], compatible)
    assert check is not None and check.action != "disputed"
