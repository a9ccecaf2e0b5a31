"""Twinning parties that are a whole country or dependency, and towns named like one.

Some sources list a country as a twin: Cheltenham and "Kenya", Auckland and "Tonga",
Miami-Dade County and "Cayman Islands". Such a party is stored as a region (the registry's
kind for what lies above a municipality) with the country's own ISO code, without a
population (a country's is no town's) and without an admin area; its coordinates are the
source's point in the country, else the centre countries-states-cities gives. The German label
and the English name of one country are one party ("Marokko", "Morocco").

A name alone does not make a country. A place is taken for the country its name names only
when all its mentions carry that name (in English or German), when no gazetteer knows a town of
that name where the sources put it (Greece and San Marino are towns in the US, Andorra one in
Teruel; Monaco, San Marino, Luxembourg, Djibouti and Gibraltar are cities matched to GeoNames),
and when no source files it in another country. A country-named item without coordinates whose
capital bears the country's name is that city (`prepare.capital_namesake`); one that shares a
partner with a placed town of that name is that town (`Resolver.by_country`). A place named
after a country, filed in another and known there as no town, is contradicted by its own
source: it keeps neither country, point nor population (`CONFLICT`). A 2017 label of that kind
whose coordinates and population are another item's of the same export is that item's
(`relabel_mislabelled`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from jumelage.dataset.countries import compatible, country_named
from jumelage.dataset.gazetteer import Gazetteer
from jumelage.dataset.geo import distance_km
from jumelage.dataset.naming import variants
from jumelage.dataset.places import Place
from jumelage.dataset.prepare import Node
from jumelage.dataset.sources import WIKIDATA_2017, Mention

COUNTRY = "country"
# Named like a country, and kept as the town or city it is.
TOWN = "town"
# Named after a country that neither the source's country nor a town of that name there
# bears out: no country, coordinates or population are kept.
CONFLICT = "conflict"


@dataclass(frozen=True)
class Relabel:
    """A 2017 mention whose label names a country other than the one the export files it in,
    while another mention of the export has the same coordinates and population under another
    name: one Wikidata item, whose label was wrong ("Cuba" at Caracas for Cluj-Napoca)."""

    key: str
    label: str
    name: str
    lat: float
    lon: float
    population: int


def _item_groups(mentions: dict[str, Mention]) -> dict[tuple[float, float, int], list[Mention]]:
    groups: dict[tuple[float, float, int], list[Mention]] = {}
    for key in sorted(mentions):
        m = mentions[key]
        if m.source == WIKIDATA_2017 and m.lat is not None and m.lon is not None and m.population:
            groups.setdefault((m.lat, m.lon, m.population), []).append(m)
    return groups


def relabel_mislabelled(mentions: dict[str, Mention]) -> list[Relabel]:
    """Give each mislabelled 2017 mention (`Relabel`) the name its item has elsewhere in the
    export; the link sources keep the label the source printed."""
    out = []
    for (lat, lon, population), group in sorted(_item_groups(mentions).items()):
        others = Counter(m.name for m in group if country_named(m.name) is None)
        if not others:
            continue
        name = min(others, key=lambda n: (-others[n], n))
        for m in group:
            code = country_named(m.name)
            if code is not None and any(not compatible(c, code) for c in m.countries):
                out.append(Relabel(m.key, m.name, name, lat, lon, population))
                m.name = name
    return out


# A label unlike any name of its item ("A verga" for Athens): another mention of the 2017
# export has the same coordinates and population (at least this many people) under a name
# that a GeoNames place near that point carries, and the label is no such name.
VANDALISED_MIN_POPULATION = 20_000
VANDALISED_NEAR_KM = 30.0


def relabel_vandalised(gaz: Gazetteer, mentions: dict[str, Mention]) -> list[Relabel]:
    """Give a 2017 mention that shares its coordinates and population with a mention whose
    name the gazetteer knows there, when its own label is unknown there, that name (rule
    `vandalised-label`); the link sources keep the label the source printed."""
    out = []
    for (lat, lon, population), group in sorted(_item_groups(mentions).items()):
        if population < VANDALISED_MIN_POPULATION or len({m.name for m in group}) < 2:
            continue
        known = sorted({m.name for m in group if _known_near(gaz, m.name, lat, lon)})
        if len(known) != 1:
            continue
        for m in group:
            if m.name != known[0] and country_named(m.name) is None:
                out.append(Relabel(m.key, m.name, known[0], lat, lon, population))
                m.name = known[0]
    return out


def _known_near(gaz: Gazetteer, name: str, lat: float, lon: float) -> bool:
    return any(
        distance_km(lat, lon, gaz.geo[gid].lat, gaz.geo[gid].lon) <= VANDALISED_NEAR_KM
        for key in variants(name)
        for gid in gaz.geo_by_name.get(key, ())
    )


def _is_town(node: Node) -> bool:
    return node.geo is not None or node.csc is not None


def country_party(nodes: list[Node]) -> tuple[str, str] | None:
    """(ISO code, COUNTRY or CONFLICT) when the mentions of one place stand for a whole
    country, None when they are a town or another place."""
    codes = {node.nation for node in nodes}
    if len(codes) != 1 or None in codes or any(_is_town(node) for node in nodes):
        return None
    code = codes.pop()
    assert code is not None
    filed = {c for node in nodes for c in node.mention.countries}
    if any(not compatible(c, code) for c in filed):
        return code, CONFLICT
    return code, COUNTRY


def settle_party(gaz: Gazetteer, place: Place, nodes: list[Node]) -> None:
    """Make a place whose mentions stand for a country one (see the module's docstring)."""
    party = country_party(nodes)
    if party is None:
        if any(node.nation for node in nodes):
            place.country_party = TOWN
        return
    code, verdict = party
    place.population, place.population_year, place.population_source = None, "", ""
    place.admin_area, place.admin_code, place.geonames_id = "", "", None
    place.country_source, place.country_party = "", verdict
    if verdict == CONFLICT:
        place.country, place.lat, place.lon = "", None, None
        return
    place.kind, place.country = "region", code
    centre = gaz.countries.get(code)
    if place.lat is None and centre is not None and centre.lat is not None:
        place.lat, place.lon = centre.lat, centre.lon


def _party_row(place: Place) -> str:
    others = sorted({name for _, name in place.names} - {place.name})
    point = (
        f"{place.lat:g}, {place.lon:g}" if place.lat is not None and place.lon is not None else ""
    )
    return f"| #{place.id} | {place.name} | {place.country} | {', '.join(others)} | {point} |"


def _listed(places: list[Place]) -> str:
    return ": " + ", ".join(f"{p.name} ({p.country or 'no country'}, #{p.id})" for p in places)


def report_lines(places: list[Place], relabels: list[Relabel]) -> list[str]:
    """The report's section on countries as twinning parties and towns named like one."""
    parties = [p for p in places if p.country_party == COUNTRY]
    conflicts = [p for p in places if p.country_party == CONFLICT]
    towns = [p for p in places if p.country_party == TOWN]
    lines = [
        "## Countries and dependencies as twinning parties",
        "",
        "Some sources list a whole country or dependency as a twin. Such a party is stored as "
        "a region (the registry's kind for entities above a municipality) with the country's "
        "own ISO code, no admin area and no population: a country's population is no town's, "
        "so the column stays empty. Its point is the source's (inside the country), else the "
        "country's centre from countries-states-cities. The mentions of one country (German "
        "label, English name) are one party. A place named like a country is a town when a "
        "gazetteer knows a town of that name where the sources put it, or when it shares a "
        "partner with a placed town of that name; an item without coordinates named like a "
        "country whose capital bears the country's name is that city (city-states, Luxembourg, "
        "Djibouti); a place that a source files in another country is never that country.",
        "",
        f"Countries and dependencies stored as regions: {len(parties)}",
        "",
        "| id | name | ISO | also named | point |",
        "|---|---|---|---|---|",
        *(_party_row(p) for p in parties),
        "",
        f"Towns and cities named like a country, kept as towns: {len(towns)}"
        + (_listed(towns) if towns else ""),
        "",
        "Named after a country but filed in another, where no gazetteer knows a town of that "
        f"name (left without a country, point and population): {len(conflicts)}"
        + (_listed(conflicts) if conflicts else ""),
        "",
        f"Labels of the 2017 export that name a country the item does not lie in, corrected: "
        f"{len(relabels)}",
    ]
    for r in relabels:
        lines.append(
            f'- "{r.label}" at ({r.lat:g}, {r.lon:g}), population {r.population:,}: the '
            f"coordinates and population of {r.name} in the same export, so {r.name} (the link "
            "sources keep the printed label)"
        )
    return lines
