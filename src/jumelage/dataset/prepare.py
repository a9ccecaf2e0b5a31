"""Each source mention, looked up in the gazetteers before any two mentions are compared.

A Wikidata item is placed by its QID in countries-states-cities, but only when the gazetteer's
name agrees with the item's label (directly or through a GeoNames place nearby that knows both
names): the gazetteer's Wikidata ids are misaligned for many rows (Trabzon carries the id of a
village elsewhere). Every mention with coordinates is then matched to a nearby GeoNames place of
the same name, whose alternate names let cross-language names meet later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jumelage.dataset.countries import compatible, country_named, names_of_country
from jumelage.dataset.gazetteer import CscCity, CscState, Gazetteer, GeoPlace
from jumelage.dataset.geo import distance_km
from jumelage.dataset.naming import (
    district_core,
    kind_from_name,
    qualifier,
    region_core,
    similarity,
    variants,
)
from jumelage.dataset.sources import WIKIDATA_2017, WIKIPEDIA_2026, Mention
from jumelage.domain.names import fold

CSC_NAME_SCORE = 85.0
GEONAMES_RADIUS_KM = 15.0
COUNTRY_PROBE_KM = 30.0
CLEAR_COUNTRY_KM = 10.0
BIG_CITY = 100_000


@dataclass
class Node:
    """A mention with what the gazetteers add to it."""

    mention: Mention
    names: set[str]
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    coord_source: str = ""
    csc: CscCity | None = None
    geo: GeoPlace | None = None
    state: CscState | None = None
    kind: str | None = None
    nation: str | None = None  # the country or dependency the mention's name names
    ext_names: set[str] = field(default_factory=set)
    cores: set[str] = field(default_factory=set)
    # The list's point is no evidence of where the place lies (`unconfirmed_point`).
    point_unconfirmed: bool = False

    @property
    def key(self) -> str:
        return self.mention.key

    @property
    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None


def name_score(a: set[str], b: set[str]) -> float:
    """Best similarity (0-100) between two sets of folded names."""
    best = 0.0
    for x in sorted(a):
        for y in sorted(b):
            best = max(best, similarity(x, y))
    return best


def _csc_agrees(gaz: Gazetteer, label: set[str], city: CscCity) -> float:
    own = variants(city.name)
    score = name_score(label, own)
    if score >= CSC_NAME_SCORE:
        return score
    # Exonyms ("Kapstadt" for Cape Town): a GeoNames place near the gazetteer point that
    # carries both names vouches for the pair.
    for _, place in gaz.geo_grid.near(city.lat, city.lon, GEONAMES_RADIUS_KM):
        names = gaz.geo_names(place)
        if names & label and names & own:
            return CSC_NAME_SCORE
    return 0.0


def _place_by_qid(gaz: Gazetteer, node: Node) -> None:
    cands = gaz.csc_by_qid.get(node.mention.qid, [])
    scored = [(_csc_agrees(gaz, node.names, c), -c.id, c) for c in cands]
    scored = [s for s in scored if s[0] >= CSC_NAME_SCORE]
    if not scored:
        return
    city = max(scored, key=lambda s: (s[0], s[1]))[2]
    node.csc = city
    node.country, node.lat, node.lon = city.country, city.lat, city.lon
    node.coord_source = "csc"


def _country_here(gaz: Gazetteer, node: Node, options: tuple[str, ...]) -> str | None:
    """The source's country unless the coordinates clearly lie in another one: the 2017
    export files some Swedish towns under Denmark."""
    assert node.lat is not None and node.lon is not None
    hits = sorted(
        gaz.geo_grid.near(node.lat, node.lon, CLEAR_COUNTRY_KM), key=lambda hit: (hit[0], hit[1].id)
    )
    if not hits or any(compatible(place.country, options[0]) for _, place in hits):
        return options[0]
    return hits[0][1].country


def _settle_country(gaz: Gazetteer, node: Node) -> None:
    options = tuple(sorted(set(node.mention.countries)))
    if len(options) == 1 and node.lat is not None and node.lon is not None:
        here = _country_here(gaz, node, options)
        if here == options[0] or node.mention.source == WIKIDATA_2017:
            node.country = here
            return
        # The Wikipedia coordinates were geocoded from the name alone and sometimes found a
        # namesake abroad (Burgau in Austria placed in Bavaria): the list's country stands,
        # the coordinates go, and the place is looked up by name in its own country.
        node.country, node.lat, node.lon, node.coord_source = options[0], None, None, ""
        return
    if len(options) == 1 or node.lat is None or node.lon is None:
        node.country = node.country or (options[0] if options else None)
        return
    nearest = min(
        gaz.geo_grid.near(node.lat, node.lon, COUNTRY_PROBE_KM),
        key=lambda hit: (hit[0], hit[1].id),
        default=None,
    )
    if nearest is None:
        node.country = options[0] if options else None
        return
    here = nearest[1].country
    fitting = [code for code in options if compatible(code, here)]
    node.country = fitting[0] if fitting else (here if not options else options[0])


def _match_geonames(gaz: Gazetteer, node: Node) -> None:
    if node.lat is None or node.lon is None:
        return
    names = set(node.names)
    if node.csc is not None:
        names |= variants(node.csc.name)
    best: tuple[float, int, GeoPlace] | None = None
    for key in sorted(names):
        for gid in gaz.geo_by_name.get(key, ()):
            place = gaz.geo[gid]
            if not compatible(place.country, node.country):
                continue
            dist = distance_km(node.lat, node.lon, place.lat, place.lon)
            if dist > GEONAMES_RADIUS_KM:
                continue
            rank = (dist, -place.population, place)
            if best is None or rank[:2] < best[:2]:
                best = rank
    if best is not None:
        node.geo = best[2]
        node.country = node.country or best[2].country


def _locate_by_name(gaz: Gazetteer, node: Node) -> None:
    """A place named only by the chronicle: the most populous GeoNames namesake in its country."""
    best: GeoPlace | None = None
    for key in sorted(node.names):
        for gid in gaz.geo_by_name.get(key, ()):
            place = gaz.geo[gid]
            if place.country == node.country and (
                best is None or (place.population, -place.id) > (best.population, -best.id)
            ):
                best = place
    if best is not None:
        node.lat, node.lon, node.coord_source = best.lat, best.lon, "geonames"


def unconfirmed_point(gaz: Gazetteer, node: Node) -> bool:
    """A Wikipedia list's point that no gazetteer confirms while GeoNames knows the name
    elsewhere in the country: the list geocoded the name alone and found the state's centre
    (Puebla, Niigata), the state's capital (Veracruz at Xalapa) or a default point (Overland
    Park in Washington): no GeoNames place of the name within GEONAMES_RADIUS_KM, no
    countries-states-cities city, no Wikidata item."""
    if node.mention.source != WIKIPEDIA_2026 or node.mention.qid or not node.has_coords:
        return False
    if node.coord_source != WIKIPEDIA_2026 or node.csc is not None or node.geo is not None:
        return False
    return any(
        compatible(gaz.geo[gid].country, node.country)
        for key in sorted(node.names)
        for gid in gaz.geo_by_name.get(key, ())
    )


def capital_namesake(gaz: Gazetteer, code: str) -> GeoPlace | None:
    """The capital of a country that bears the country's name (Monaco, Singapore, Luxembourg,
    Djibouti, Gibraltar, Hong Kong), as GeoNames places it; None for other countries."""
    country = gaz.countries.get(code)
    names = names_of_country(code)
    if country is None or fold(country.capital) not in names | {fold(country.name)}:
        return None
    names.add(fold(country.capital))
    found = {
        gaz.geo[gid]
        for name in names
        for gid in gaz.geo_by_name.get(name, ())
        if gaz.geo[gid].country == code and fold(gaz.geo[gid].name) in names
    }
    return max(found, key=lambda p: (p.population, -p.id), default=None)


def _place_capital_namesake(gaz: Gazetteer, node: Node) -> None:
    """An item named like a country whose capital bears its name, without coordinates of its
    own: the city-state or capital that twins (Singapur, Hongkong in the 2016 set). Not a
    namesake that a source files in another country ("San Marino", United States)."""
    code = node.nation
    if code is None or node.mention.lat is not None or node.csc is not None:
        return
    if any(not compatible(filed, code) for filed in node.mention.countries):
        return
    city = capital_namesake(gaz, code)
    if city is not None:
        node.lat, node.lon, node.coord_source = city.lat, city.lon, "geonames"
        node.country, node.geo = city.country, city


def _district_of_city(gaz: Gazetteer, node: Node) -> str | None:
    """ "Neukölln (Berlin)", "Berlin – Neukölln": a qualifier naming a big city makes a district."""
    parent = fold(qualifier(node.mention.name))
    if not parent or parent in node.names:
        return None
    for gid in gaz.geo_by_name.get(parent, ()):
        place = gaz.geo[gid]
        if place.population >= BIG_CITY and compatible(place.country, node.country):
            return "district"
    return None


def prepare(gaz: Gazetteer, mention: Mention) -> Node:
    names: set[str] = set()
    for name in (mention.name, *mention.extra_names):
        names |= variants(name)
    node = Node(mention=mention, names=names, lat=mention.lat, lon=mention.lon)
    node.nation = next(
        (code for name in (mention.name, *mention.extra_names) if (code := country_named(name))),
        None,
    )
    if mention.lat is not None:
        node.coord_source = mention.source
    if mention.qid:
        _place_by_qid(gaz, node)
    _settle_country(gaz, node)
    _place_capital_namesake(gaz, node)
    if node.lat is None and node.country and not mention.qid:
        _locate_by_name(gaz, node)
    _match_geonames(gaz, node)
    node.point_unconfirmed = unconfirmed_point(gaz, node)
    node.kind = kind_from_name(mention.name) or _district_of_city(gaz, node)
    if node.kind is not None:
        own = (mention.name, *mention.extra_names)
        node.cores = {region_core(name) or district_core(name) for name in own} - {""}
    node.ext_names = set(names)
    if node.csc is not None:
        node.ext_names |= variants(node.csc.name)
    if node.geo is not None:
        node.ext_names |= gaz.geo_names(node.geo)
    return node
