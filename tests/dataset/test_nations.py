"""Whole countries listed as twins, and towns named like a country, on hand-made mentions."""

from __future__ import annotations

from jumelage.dataset.build import _places
from jumelage.dataset.countries import country_named
from jumelage.dataset.gazetteer import CscCountry, Gazetteer, GeoPlace
from jumelage.dataset.nations import relabel_mislabelled
from jumelage.dataset.places import Place
from jumelage.dataset.prepare import prepare
from jumelage.dataset.resolve import Resolver
from jumelage.dataset.sources import WIKIDATA_2016, WIKIDATA_2017, WIKIPEDIA_2026, Mention
from jumelage.domain.names import fold


def w16(qid: str, label: str) -> Mention:
    return Mention(f"q:{qid}", WIKIDATA_2016, label, "und", qid=qid)


def w17(name: str, country: str, lat: float, lon: float, population: int | None = None) -> Mention:
    key = f"w17:{name}|{lat:.4f}|{lon:.4f}"
    return Mention(key, WIKIDATA_2017, name, "en", (country,), lat, lon, population=population)


def w26(name: str, country: str, lat: float | None = None, lon: float | None = None) -> Mention:
    return Mention(f"w26:{name}|{country}", WIKIPEDIA_2026, name, "en", (country,), lat, lon)


def town(
    gaz: Gazetteer, gid: int, name: str, country: str, at: tuple[float, float], pop: int
) -> None:
    """Put one GeoNames town into a hand-made gazetteer."""
    place = GeoPlace(gid, name, country, at[0], at[1], pop, ())
    gaz.geo[gid] = place
    gaz.geo_grid.add(at[0], at[1], place)
    gaz.geo_by_name.setdefault(fold(name), []).append(gid)


def build(
    gaz: Gazetteer, mentions: list[Mention], links: list[tuple[str, str]]
) -> tuple[Resolver, dict[str, Place]]:
    """Resolve the mentions and build their places; returns the place of each mention key."""
    relabel_mislabelled({m.key: m for m in mentions})
    resolver = Resolver({m.key: prepare(gaz, m) for m in mentions}, links)
    resolver.run(gaz)
    places, place_of = _places(gaz, resolver)
    by_id = {place.id: place for place in places}
    return resolver, {key: by_id[number] for key, number in place_of.items()}


# names ----------------------------------------------------------------------------------------
def test_a_country_is_named_by_its_whole_english_or_german_name() -> None:
    assert country_named("Kenia") == country_named("Kenya") == "KE"
    assert country_named("Marokko") == country_named("Morocco") == "MA"
    assert country_named("Cayman Islands") == "KY"
    assert country_named("México") is None  # Spanish: the State of México in the German set
    assert country_named("Greece, New York") is None
    assert country_named("Norfolk") is None


# countries ------------------------------------------------------------------------------------
def test_a_country_named_by_its_german_label_and_its_english_name_is_one_region() -> None:
    menfi = w17("Menfi", "IT", 37.6078, 12.9686)
    morocco = w17("Morocco", "MA", 32.0, -6.0, 33_008_150)
    mentions = [w16("Q1028", "Marokko"), morocco, menfi, w16("Q244589", "Menfi")]
    links = [("q:Q244589", "q:Q1028"), (menfi.key, morocco.key)]
    _, place = build(Gazetteer(), mentions, links)
    country = place["q:Q1028"]
    assert place[morocco.key] is country
    assert (country.name, country.kind, country.country) == ("Marokko", "region", "MA")
    assert country.population is None and country.admin_code == ""
    assert (country.lat, country.lon) == (32.0, -6.0)


def test_a_country_without_coordinates_is_placed_at_its_centre() -> None:
    gaz = Gazetteer()
    gaz.countries["CU"] = CscCountry("CU", "Cuba", "Havana", 21.5, -80.0)
    _, place = build(
        gaz, [w16("Q241", "Kuba"), w16("Q44244", "Santa Fe")], [("q:Q241", "q:Q44244")]
    )
    cuba = place["q:Q241"]
    assert (cuba.kind, cuba.country, cuba.lat, cuba.lon) == ("region", "CU", 21.5, -80.0)


def test_a_name_alone_never_makes_a_country_a_town() -> None:
    gaz = Gazetteer()
    town(gaz, 2220957, "Tonga", "CM", (4.96, 10.59), 16_036)
    mentions = [w16("Q678", "Tonga"), w26("Tonga", "CM", 4.96, 10.59), w16("Q37100", "Auckland")]
    resolver, place = build(gaz, mentions, [("q:Q678", "q:Q37100")])
    assert resolver.clusters.find("q:Q678") != resolver.clusters.find("w26:Tonga|CM")
    assert (place["q:Q678"].kind, place["q:Q678"].country) == ("region", "TO")
    assert place["w26:Tonga|CM"].country == "CM"


# towns named like a country ---------------------------------------------------------------------
def test_greece_new_york_stays_a_us_town() -> None:
    gaz = Gazetteer()
    town(gaz, 5119251, "Greece", "US", (43.2098, -77.6931), 14_519)
    town(
        gaz, 1, "Karditsa", "GR", (39.005, 22.005), 38_000
    )  # where the 2026 list's geocoder put it
    greece = w17("Greece", "US", 43.2094, -77.6953, 96_095)
    mentions = [greece, w26("Greece", "US", 39.0, 22.0), w16("Q2610369", "Greece")]
    _, place = build(gaz, mentions, [])
    ny = place[greece.key]
    assert place["w26:Greece|US"] is ny
    assert (ny.kind, ny.country, ny.population) == ("municipality", "US", 96_095)
    assert ny.country_party == "town"


def test_a_country_named_item_that_shares_a_partner_with_a_town_of_that_name_is_that_town() -> None:
    gaz = Gazetteer()
    town(gaz, 3130067, "Andorra", "ES", (40.9766, -0.4472), 7_890)
    teruel = w17("Andorra", "ES", 40.9772, -0.4447, 7_875)
    sitges = w17("Sitges", "ES", 41.2339, 1.8042)
    # The two Sitges meet only by their unique name, after the partner rules have run.
    mentions = [w16("Q492533", "Andorra"), teruel, w16("Q15551", "Sitges"), sitges]
    links = [("q:Q15551", "q:Q492533"), (sitges.key, teruel.key)]
    resolver, place = build(gaz, mentions, links)
    assert resolver.clusters.find("q:Q492533") == resolver.clusters.find(teruel.key)
    assert (place["q:Q492533"].kind, place["q:Q492533"].country) == ("municipality", "ES")


def test_a_city_state_named_like_its_country_is_the_city() -> None:
    gaz = Gazetteer()
    gaz.countries["SG"] = CscCountry("SG", "Singapore", "Singapur", 1.3667, 103.8)
    town(gaz, 1880252, "Singapore", "SG", (1.2897, 103.8501), 5_638_700)
    _, place = build(gaz, [w16("Q334", "Singapur"), w16("Q18808", "Pjöngjang")], [])
    singapore = place["q:Q334"]
    assert (singapore.kind, singapore.country, singapore.geonames_id) == ("city", "SG", 1880252)
    assert singapore.population == 5_638_700


# a label that names a country the place is not in ----------------------------------------------
def test_cuba_with_venezuelan_coordinates_is_not_put_in_venezuela() -> None:
    cuba = w17("Cuba", "VE", 10.5, -66.9333, 3_273_863)
    caracas = w17("Caracas", "VE", 10.5, -66.9333, 3_273_863)
    cluj, madrid = w17("Cluj-Napoca", "RO", 46.78, 23.56), w17("Madrid", "ES", 40.42, -3.7)
    links = [(cluj.key, cuba.key), (madrid.key, caracas.key)]
    _, place = build(Gazetteer(), [cuba, caracas, cluj, madrid], links)
    assert place[cuba.key] is place[caracas.key]  # the same item's coordinates and population
    venezuelan = [p for p in place.values() if p.country == "VE"]
    assert venezuelan and all(fold(n) != "cuba" for p in venezuelan for _, n in p.names)


def test_a_lone_country_name_filed_in_another_country_is_left_without_one() -> None:
    cuba = w17("Cuba", "VE", 10.5, -66.9333, 3_273_863)
    cluj = w17("Cluj-Napoca", "RO", 46.78, 23.56)
    _, place = build(Gazetteer(), [cuba, cluj], [(cluj.key, cuba.key)])
    assert place[cuba.key].country == ""
    assert place[cuba.key].lat is None and place[cuba.key].population is None
