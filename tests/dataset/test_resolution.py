"""Resolution rules on hand-made mentions."""

from __future__ import annotations

from jumelage.dataset.gazetteer import Gazetteer, GeoPlace
from jumelage.dataset.prepare import prepare
from jumelage.dataset.resolve import Resolver
from jumelage.dataset.sources import (
    CHRONICLE,
    WIKIDATA_2016,
    WIKIDATA_2017,
    WIKIPEDIA_2026,
    Mention,
)
from jumelage.domain.names import fold


def w16(qid: str, label: str) -> Mention:
    return Mention(f"q:{qid}", WIKIDATA_2016, label, "und", qid=qid)


def w26(name: str, country: str, lat: float, lon: float) -> Mention:
    return Mention(f"w26:{name}|{country}", WIKIPEDIA_2026, name, "en", (country,), lat, lon)


def resolve(
    gaz: Gazetteer, mentions: list[Mention], links: list[tuple[str, str]] | None = None
) -> Resolver:
    nodes = {m.key: prepare(gaz, m) for m in mentions}
    resolver = Resolver(nodes, list(links or []))
    resolver.run(gaz)
    return resolver


def same(resolver: Resolver, a: str, b: str) -> bool:
    return resolver.clusters.find(a) == resolver.clusters.find(b)


def test_the_same_qid_is_one_place(gazetteer: Gazetteer) -> None:
    chronicle = Mention("q:Q2107", CHRONICLE, "Wuppertal", "und", ("DE",), qid="Q2107")
    resolver = resolve(gazetteer, [w16("Q2107", "Wuppertal"), chronicle])
    assert len(resolver.clusters.roots()) == 1


def test_the_same_name_in_different_countries_stays_two_places(gazetteer: Gazetteer) -> None:
    resolver = resolve(
        gazetteer,
        [w26("Valencia", "ES", 39.47, -0.38), w26("Valencia", "VE", 10.16, -68.0)],
    )
    assert len(resolver.clusters.roots()) == 2


def test_koln_and_cologne_near_each_other_are_one_place(gazetteer: Gazetteer) -> None:
    resolver = resolve(gazetteer, [w16("Q365", "Köln"), w26("Cologne", "DE", 50.9364, 6.9528)])
    assert same(resolver, "q:Q365", "w26:Cologne|DE")


def test_two_names_with_most_partners_shared_and_near_coordinates_are_one_place() -> None:
    # No gazetteer knows either name: only the coordinates and the partners tie them.
    empty = Gazetteer()
    mentions = [
        w26("Kolonia", "DE", 50.94, 6.95),
        w26("Cologne", "DE", 50.93, 6.96),
        w26("Liverpool", "GB", 53.41, -2.99),
        w26("Turin", "IT", 45.07, 7.69),
        w26("Lille", "FR", 50.63, 3.06),
    ]
    links = [
        (name, partner)
        for name in ("w26:Kolonia|DE", "w26:Cologne|DE")
        for partner in ("w26:Liverpool|GB", "w26:Turin|IT", "w26:Lille|FR")
    ]
    resolver = resolve(empty, mentions, links)
    assert same(resolver, "w26:Kolonia|DE", "w26:Cologne|DE")


def test_a_wikidata_item_without_coordinates_joins_its_namesake_through_a_partner() -> None:
    empty = Gazetteer()
    mentions = [
        w16("Q10001", "Deventer"),
        w16("Q36647", "Cork"),
        w26("Deventer", "NL", 52.25, 6.16),
        w26("Cork", "IE", 51.9, -8.47),
    ]
    links = [("q:Q10001", "q:Q36647"), ("w26:Deventer|NL", "w26:Cork|IE")]
    resolver = resolve(empty, mentions, links)
    assert same(resolver, "q:Q10001", "w26:Deventer|NL")


def test_two_towns_named_frankfurt_stay_apart(gazetteer: Gazetteer) -> None:
    resolver = resolve(
        gazetteer,
        [
            w16("Q1794", "Frankfurt am Main"),
            w16("Q4024", "Frankfurt (Oder)"),
            w26("Frankfurt", "DE", 50.1136, 8.6797),
            w26("Frankfurt (Oder)", "DE", 52.3471, 14.5506),
        ],
    )
    assert not same(resolver, "q:Q1794", "q:Q4024")
    assert same(resolver, "q:Q1794", "w26:Frankfurt|DE")
    assert same(resolver, "q:Q4024", "w26:Frankfurt (Oder)|DE")


def test_neukolln_in_brackets_and_after_a_dash_is_one_place(gazetteer: Gazetteer) -> None:
    resolver = resolve(
        gazetteer,
        [
            w26("Neukölln (Berlin)", "DE", 52.488, 13.4089),
            w26("Berlin – Neukölln", "DE", 52.4811, 13.4354),
            w26("Berlin", "DE", 52.52, 13.405),
        ],
    )
    assert same(resolver, "w26:Neukölln (Berlin)|DE", "w26:Berlin – Neukölln|DE")
    assert not same(resolver, "w26:Berlin|DE", "w26:Berlin – Neukölln|DE")


def test_partners_of_each_other_are_never_merged() -> None:
    empty = Gazetteer()
    mentions = [w26("Valga", "EE", 57.777, 26.047), w26("Valga", "LV", 57.776, 26.03)]
    resolver = resolve(empty, mentions, [("w26:Valga|EE", "w26:Valga|LV")])
    assert len(resolver.clusters.roots()) == 2


def test_neighbours_sharing_only_some_partners_stay_apart() -> None:
    empty = Gazetteer()
    mentions = [
        w26("Porto", "PT", 41.15, -8.61),
        w26("Vila Nova de Gaia", "PT", 41.13, -8.61),
        *(w26(f"Partner {n}", "FR", 45.0 + n, 2.0) for n in range(5)),
    ]
    links = [("w26:Porto|PT", f"w26:Partner {n}|FR") for n in range(5)]
    links += [("w26:Vila Nova de Gaia|PT", f"w26:Partner {n}|FR") for n in range(2)]
    resolver = resolve(empty, mentions, links)
    assert not same(resolver, "w26:Porto|PT", "w26:Vila Nova de Gaia|PT")


def _geonames(*places: GeoPlace) -> Gazetteer:
    gaz = Gazetteer()
    for place in places:
        gaz.geo[place.id] = place
        gaz.geo_grid.add(place.lat, place.lon, place)
        gaz.geo_by_name.setdefault(fold(place.name), []).append(place.id)
    return gaz


def listed(key: str, name: str, country: str, lat: float, lon: float) -> Mention:
    """A 2026 list's mention under a key of its own (two lists may name one place alike)."""
    return Mention(key, WIKIPEDIA_2026, name, "en", (country,), lat, lon)


def test_a_list_point_at_the_state_centre_joins_the_city_whose_partners_it_shares() -> None:
    # The list geocoded "Niigata" to the prefecture's centre, 31 km from the city.
    gaz = _geonames(GeoPlace(1, "Niigata", "JP", 37.92259, 139.04125, 797_591, ()))
    mentions = [
        w26("Niigata", "JP", 37.91, 139.03),
        listed("w26:Niigata|JP|state", "Niigata", "JP", 37.6452, 138.7669),
        w26("Nantes", "FR", 47.2181, -1.5528),
        w26("Galveston", "US", 29.3, -94.79),
    ]
    links = [
        ("w26:Niigata|JP", "w26:Nantes|FR"),
        ("w26:Niigata|JP|state", "w26:Nantes|FR"),
        ("w26:Niigata|JP|state", "w26:Galveston|US"),
    ]
    resolver = resolve(gaz, mentions, links)
    assert resolver.nodes["w26:Niigata|JP|state"].point_unconfirmed
    assert not resolver.nodes["w26:Niigata|JP"].point_unconfirmed
    assert same(resolver, "w26:Niigata|JP|state", "w26:Niigata|JP")
    assert resolver.merges["unconfirmed-point"] == 1
    # The city's point, not the list's, stands for the place.
    anchor = resolver.clusters.summary[resolver.clusters.find("w26:Niigata|JP")].anchor
    assert anchor is not None and anchor[2:] == (37.91, 139.03)


def test_a_state_named_like_its_capital_keeps_its_own_link_and_the_city_the_city_links() -> None:
    # Puebla: the 2017 extract's state item and the 2026 list's city share one point (the
    # state's centre); GeoNames places the city 34 km away.
    gaz = _geonames(GeoPlace(1, "Puebla", "MX", 19.04778, -98.20723, 1_692_181, ()))
    state = Mention("w17:Puebla|MX", WIKIDATA_2017, "Puebla", "en", ("MX",), 19.0036, -97.8883)
    mentions = [
        w26("Puebla", "MX", 19.05, -98.21),
        listed("w26:Puebla|MX|list", "Puebla", "MX", 19.0, -97.8833),
        state,
        w26("Łódź", "PL", 51.76, 19.46),
        w26("Florence", "IT", 43.77, 11.25),
        w26("Talavera de la Reina", "ES", 39.96, -4.83),
    ]
    links = [
        ("w26:Puebla|MX", "w26:Łódź|PL"),
        ("w26:Puebla|MX", "w26:Florence|IT"),
        ("w26:Puebla|MX|list", "w26:Łódź|PL"),
        ("w26:Puebla|MX|list", "w26:Florence|IT"),
        ("w26:Puebla|MX|list", "w26:Talavera de la Reina|ES"),
        ("w17:Puebla|MX", "w26:Talavera de la Reina|ES"),
    ]
    resolver = resolve(gaz, mentions, links)
    assert same(resolver, "w26:Puebla|MX|list", "w26:Puebla|MX")
    assert not same(resolver, "w17:Puebla|MX", "w26:Puebla|MX")


def test_a_qualified_list_name_never_joins_a_namesake_elsewhere_in_the_country() -> None:
    gaz = _geonames(GeoPlace(1, "Coventry", "US", 41.77, -72.3, 12_000, ()))
    mentions = [
        w26("Coventry", "US", 41.77, -72.31),
        w26("Coventry, New York", "US", 42.3, -75.6),
        w26("Partner", "FR", 45.0, 2.0),
    ]
    links = [("w26:Coventry|US", "w26:Partner|FR"), ("w26:Coventry, New York|US", "w26:Partner|FR")]
    resolver = resolve(gaz, mentions, links)
    assert not same(resolver, "w26:Coventry|US", "w26:Coventry, New York|US")
