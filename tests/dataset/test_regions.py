"""Regions and districts: their names, how their split mentions are joined, and their country."""

from __future__ import annotations

from jumelage.dataset.gazetteer import Gazetteer, GeoPlace, _add_subdivision
from jumelage.dataset.naming import district_core, kind_from_name, region_core, variants
from jumelage.dataset.places import build_place
from jumelage.dataset.prepare import prepare
from jumelage.dataset.resolve import Resolver
from jumelage.dataset.sources import WIKIDATA_2016, WIKIDATA_2017, WIKIPEDIA_2026, Mention


def w16(qid: str, label: str) -> Mention:
    return Mention(f"q:{qid}", WIKIDATA_2016, label, "und", qid=qid)


def w17(name: str, country: str, lat: float, lon: float) -> Mention:
    return Mention(f"w17:{name}|{lat}|{lon}", WIKIDATA_2017, name, "en", (country,), lat, lon)


def w26(name: str, country: str, lat: float | None = None, lon: float | None = None) -> Mention:
    return Mention(f"w26:{name}|{country}", WIKIPEDIA_2026, name, "en", (country,), lat, lon)


def town(gaz: Gazetteer, gid: int, name: str, country: str, lat: float, lon: float) -> None:
    """Put one GeoNames town into a hand-made gazetteer."""
    place = GeoPlace(gid, name, country, lat, lon, 50_000, ())
    gaz.geo[gid] = place
    gaz.geo_grid.add(lat, lon, place)
    gaz.geo_by_name.setdefault(name.lower(), []).append(gid)


def resolve(gaz: Gazetteer, mentions: list[Mention], links: list[tuple[str, str]]) -> Resolver:
    resolver = Resolver({m.key: prepare(gaz, m) for m in mentions}, links)
    resolver.run(gaz)
    return resolver


def same(resolver: Resolver, a: str, b: str) -> bool:
    return resolver.clusters.find(a) == resolver.clusters.find(b)


# names --------------------------------------------------------------------------------------
def test_the_qualifiers_of_one_region_fall_away_to_one_core() -> None:
    assert region_core("Kreis Rendsburg-Eckernförde") == "rendsburg eckernforde"
    assert region_core("Rendsburg-Eckernförde (district)") == "rendsburg eckernforde"
    assert region_core("Westerwaldkreis") == region_core("Westerwald (district)") == "westerwald"
    assert region_core("Main-Kinzig-Kreis") == "main kinzig"
    assert region_core("Province of Bergamo") == region_core("Bergamo Province") == "bergamo"
    assert region_core("Präfektur Osaka") == region_core("Osaka Prefecture") == "osaka"
    assert region_core("Woiwodschaft Pommern") == "pommern"
    assert region_core("Département Essonne") == "essonne"
    assert region_core("Göttingen") == ""


def test_a_district_in_brackets_is_a_region_that_never_meets_its_town_by_name() -> None:
    assert kind_from_name("Göttingen (district)") == "region"
    assert "gottingen" not in variants("Göttingen (district)")
    assert kind_from_name("Westerwaldkreis") == "region"


def test_a_region_named_after_a_comma_or_in_a_qualifier_is_where_a_town_lies() -> None:
    assert kind_from_name("Raša, Istria County") is None
    assert kind_from_name("Doksy (Kladno District)") is None
    assert kind_from_name("Ried im Innkreis") is None
    assert kind_from_name("Kent County, New Brunswick") == "region"


def test_a_city_district_is_known_by_its_own_name_without_the_city() -> None:
    assert district_core("Gangdong (Seoul)") == district_core("Seoul – Gangdong") == "gangdong"
    assert region_core("Gangdong District") == "gangdong"
    assert district_core("Westerwald (district)") == ""


def test_a_london_borough_meets_its_bare_name_but_not_its_neighbour() -> None:
    assert "hackney" in variants("London Borough of Hackney")
    from jumelage.dataset.naming import similarity

    assert similarity("london borough of hackney", "london borough of haringey") < 90


# resolution ---------------------------------------------------------------------------------
def test_a_region_without_country_joins_the_district_of_the_same_core_through_a_partner() -> None:
    steglitz = w17("Steglitz-Zehlendorf", "DE", 52.43, 13.25)
    mentions = [
        w16("Q2967", "Kreis Rendsburg-Eckernförde"),
        steglitz,
        w26("Rendsburg-Eckernförde (district)", "DE", 54.25, 9.75),
        w26("Steglitz-Zehlendorf", "DE", 52.43, 13.25),
    ]
    links = [
        ("q:Q2967", steglitz.key),
        ("w26:Rendsburg-Eckernförde (district)|DE", "w26:Steglitz-Zehlendorf|DE"),
    ]
    resolver = resolve(Gazetteer(), mentions, links)
    assert same(resolver, "q:Q2967", "w26:Rendsburg-Eckernförde (district)|DE")
    assert resolver.merges["region-core"] == 1


def test_a_region_without_country_and_without_a_shared_partner_stays_apart() -> None:
    steglitz = w17("Steglitz-Zehlendorf", "DE", 52.43, 13.25)
    mentions = [
        w16("Q6022", "Landkreis Göttingen"),
        steglitz,
        w26("Göttingen (district)", "DE", 51.5, 10.0),
        w26("Suresnes", "FR", 48.87, 2.23),
    ]
    links = [("q:Q6022", steglitz.key), ("w26:Göttingen (district)|DE", "w26:Suresnes|FR")]
    resolver = resolve(Gazetteer(), mentions, links)
    assert not same(resolver, "q:Q6022", "w26:Göttingen (district)|DE")


def test_a_landkreis_never_joins_the_town_it_is_named_after() -> None:
    gaz = Gazetteer()
    town(gaz, 1, "Karlsruhe", "DE", 49.0094, 8.4044)
    mentions = [
        w17("Karlsruhe", "DE", 49.0139, 8.4042),
        w26("Karlsruhe (district)", "DE", 49.1, 8.5),
        w26("Partner", "FR", 45.0, 2.0),
    ]
    links = [
        ("w17:Karlsruhe|49.0139|8.4042", "w26:Partner|FR"),
        ("w26:Karlsruhe (district)|DE", "w26:Partner|FR"),
    ]
    resolver = resolve(gaz, mentions, links)
    assert not same(resolver, "w17:Karlsruhe|49.0139|8.4042", "w26:Karlsruhe (district)|DE")


def test_the_bare_label_of_a_region_that_no_gazetteer_knows_as_a_town_joins_it() -> None:
    mentions = [
        w17("Oder-Spree", "DE", 52.2167, 14.2833),
        w26("Oder-Spree (district)", "DE", 52.25, 14.0),
    ]
    resolver = resolve(Gazetteer(), mentions, [])
    assert same(resolver, mentions[0].key, mentions[1].key)


def test_two_placed_regions_of_one_core_join_only_in_one_country() -> None:
    mentions = [
        w26("Märkischer Kreis", "DE", 51.225, 7.6144),
        w26("Märkischer (district)", "DE", 51.3833, 7.7667),
        w26("Valga County", "EE", 57.8, 26.0),
        w17("Valga District", "LV", 57.7, 25.9),
    ]
    resolver = resolve(Gazetteer(), mentions, [])
    assert same(resolver, mentions[0].key, mentions[1].key)
    assert not same(resolver, mentions[2].key, mentions[3].key)


def test_region_cores_in_two_languages_meet_through_a_geonames_place() -> None:
    gaz = Gazetteer()
    town(gaz, 524901, "Moscow", "RU", 55.75, 37.62)
    gaz.geo_by_name.setdefault("moskau", []).append(524901)
    copenhagen = w17("Copenhagen", "DK", 55.68, 12.57)
    mentions = [
        w16("Q1697", "Oblast Moskau"),
        copenhagen,
        w26("Moscow Oblast", "RU", 55.6, 37.7),
        w26("Copenhagen", "DK", 55.68, 12.57),
    ]
    links = [("q:Q1697", copenhagen.key), ("w26:Moscow Oblast|RU", "w26:Copenhagen|DK")]
    resolver = resolve(gaz, mentions, links)
    assert same(resolver, "q:Q1697", "w26:Moscow Oblast|RU")


def test_a_city_district_with_its_city_in_brackets_meets_its_district_label() -> None:
    mentions = [
        w17("Gangdong District", "KR", 37.5301, 127.1238),
        w26("Gangdong (Seoul)", "KR", 37.55, 127.14),
        w26("Guro (Seoul)", "KR", 37.49, 126.88),
    ]
    resolver = resolve(Gazetteer(), mentions, [])
    assert same(resolver, mentions[0].key, mentions[1].key)
    assert not same(resolver, mentions[0].key, mentions[2].key)


def test_tokyo_metropolis_and_the_tokyo_city_item_are_one_twinning_party() -> None:
    mentions = [w16("Q1490", "Präfektur Tokio"), w16("Q7473516", "Tokio"), w16("Q85", "Kairo")]
    resolver = resolve(Gazetteer(), mentions, [("q:Q7473516", "q:Q85"), ("q:Q1490", "q:Q85")])
    assert same(resolver, "q:Q1490", "q:Q7473516")
    assert not same(resolver, "q:Q1490", "q:Q85")


# country ------------------------------------------------------------------------------------
def test_a_region_no_source_places_takes_the_country_of_its_subdivision_name() -> None:
    gaz = Gazetteer()
    _add_subdivision(gaz, "Constanța", "RO")
    node = prepare(gaz, w16("Q188505", "Kreis Constanța"))
    place = build_place(gaz, node.key, [node], None)
    assert (place.country, place.country_source) == ("RO", "subdivision")


def test_a_region_named_after_a_town_of_one_country_takes_that_country() -> None:
    gaz = Gazetteer()
    town(gaz, 2918632, "Göttingen", "DE", 51.53, 9.93)
    gaz.geo_by_name.setdefault("gottingen", []).append(2918632)
    node = prepare(gaz, w16("Q6022", "Landkreis Göttingen"))
    place = build_place(gaz, node.key, [node], None)
    assert (place.country, place.country_source) == ("DE", "GeoNames")


def test_a_region_whose_name_is_ambiguous_is_left_without_a_country() -> None:
    gaz = Gazetteer()
    _add_subdivision(gaz, "Central Governorate", "BH")
    _add_subdivision(gaz, "Central Governorate", "OM")
    node = prepare(gaz, w16("Q856539", "Central Governorate"))
    assert build_place(gaz, node.key, [node], None).country == ""
