"""Figures a reader checks the resolution by: partner rankings under stated definitions,
multilateral networks found in the link structure, places that remain split, and links of a
city that belong to one of its districts.

Everything here works on plain rows (`Row`, pairs of ids and their sources), so the same figures
can be taken of this build and of any earlier bundle (`python -m jumelage.dataset measure`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from jumelage.dataset.naming import qualifier, region_core, variants
from jumelage.dataset.sources import WIKIDATA_2017, WIKIPEDIA_2026
from jumelage.domain.names import fold

# A multilateral network: every member listed as twinned with (nearly) every other, one town
# per country (the Douzelage, the Charter of European Rural Communities).
NETWORK_MIN_MEMBERS = 12
NETWORK_MIN_COUNTRIES = 10
NETWORK_MAX_PER_COUNTRY = 2
NETWORK_DENSITY = 0.8
# Sources as of 2017 or later.
RECENT_SOURCES = frozenset({WIKIDATA_2017, WIKIPEDIA_2026})
REGION_KINDS = frozenset({"region", "district"})
# Networks without a reference list, known by one member (name, country) of theirs.
KNOWN_NETWORKS = {("hepstedt", "DE"): "Charter of European Rural Communities"}


@dataclass(frozen=True)
class Row:
    """A municipality as the figures need it."""

    id: int
    name: str
    kind: str
    country: str
    qid: str = ""
    names: tuple[str, ...] = ()


@dataclass
class Network:
    label: str
    members: frozenset[int]


@dataclass
class Links:
    """Distinct links with the sources that state each, and what follows from them."""

    sources: dict[tuple[int, int], set[str]]
    networks: list[Network] = field(default_factory=list)

    def partners(self) -> dict[int, set[int]]:
        out: dict[int, set[int]] = defaultdict(set)
        for a, b in self.sources:
            out[a].add(b)
            out[b].add(a)
        return out

    def is_network_link(self, a: int, b: int) -> bool:
        return any(a in n.members and b in n.members for n in self.networks)


# definitions --------------------------------------------------------------------------------
DEFINITIONS = {
    "raw": "every distinct partner any source states",
    "bilateral": "without links that exist only through common membership of a multilateral "
    "network (both towns members of one network)",
    "recent": "only links confirmed since 2017 (stated by the 2017 Wikidata export or the 2026 "
    "Wikipedia list)",
    "bilateral+recent": "both: bilateral, and confirmed since 2017",
}


def counts(links: Links, definition: str) -> Counter[int]:
    """Distinct partners per place under one of `DEFINITIONS`."""
    out: Counter[int] = Counter()
    for (a, b), sources in links.sources.items():
        if definition in ("recent", "bilateral+recent") and not sources & RECENT_SOURCES:
            continue
        if definition in ("bilateral", "bilateral+recent") and links.is_network_link(a, b):
            continue
        out[a] += 1
        out[b] += 1
    return out


def ranking(counter: Counter[int], rows: Iterable[Row], country: str, top: int) -> list[Row]:
    """The `top` places of a country by count, ties by id."""
    return sorted((r for r in rows if r.country == country), key=lambda r: (-counter[r.id], r.id))[
        :top
    ]


def rank_of(counter: Counter[int], rows: Iterable[Row], row: Row) -> int:
    own = counter[row.id]
    return 1 + sum(1 for r in rows if r.country == row.country and counter[r.id] > own)


# multilateral networks ----------------------------------------------------------------------
def _dense_core(seed: int, partners: dict[int, set[int]]) -> set[int]:
    """The seed and its partners, less the least connected one at a time, until each member
    is linked to `NETWORK_DENSITY` of the others."""
    group = {seed} | partners[seed]
    while len(group) >= NETWORK_MIN_MEMBERS:
        inner = {m: len(partners[m] & group) for m in group}
        worst = min(group, key=lambda m: (inner[m], -m))
        if inner[worst] >= NETWORK_DENSITY * (len(group) - 1):
            return group
        group.discard(worst)
    return set()


def _spread(group: set[int], country: Mapping[int, str]) -> bool:
    per = Counter(country.get(m, "") for m in group)
    return len(per) >= NETWORK_MIN_COUNTRIES and max(per.values()) <= NETWORK_MAX_PER_COUNTRY


def detect_networks(links: Links, rows: Iterable[Row]) -> list[frozenset[int]]:
    """Groups of at least `NETWORK_MIN_MEMBERS` places in at least `NETWORK_MIN_COUNTRIES`
    countries, at most two per country, each linked to most of the others."""
    partners = links.partners()
    country = {r.id: r.country for r in rows}
    found: list[frozenset[int]] = []
    for seed in sorted(partners):
        if len(partners[seed]) + 1 < NETWORK_MIN_MEMBERS or any(seed in g for g in found):
            continue
        group = _dense_core(seed, partners)
        overlap = any(2 * len(group & g) >= len(group) for g in found)
        if group and seed in group and not overlap and _spread(group, country):
            found.append(frozenset(group))
    return found


def label_networks(
    groups: list[frozenset[int]], rows: Iterable[Row], reference: Mapping[str, set[int]]
) -> list[Network]:
    """Name each group after the reference list it mostly matches, else after its members;
    reference lists not found in the links still count as networks."""
    by_id = {r.id: r for r in rows}
    out = []
    used: set[str] = set()
    for group in groups:
        label = next(
            (k for k, ids in sorted(reference.items()) if 2 * len(ids & group) >= len(group)),
            "",
        )
        if label:
            used.add(label)
            out.append(Network(label, group | frozenset(reference[label])))
            continue
        known = sorted(
            KNOWN_NETWORKS[(fold(by_id[m].name), by_id[m].country)]
            for m in group
            if (fold(by_id[m].name), by_id[m].country) in KNOWN_NETWORKS
        )
        names = ", ".join(by_id[m].name for m in sorted(group)[:3])
        out.append(Network(known[0] if known else f"network of {names}, ...", group))
    out += [Network(k, frozenset(ids)) for k, ids in sorted(reference.items()) if k not in used]
    return out


# split places -------------------------------------------------------------------------------
def name_core(name: str) -> str:
    """A name without region words and municipal status: "Landkreis Göttingen", "Göttingen
    (district)" and "Göttingen" share the core "gottingen"."""
    return region_core(name) or min(variants(name), key=lambda v: (len(v), v), default="")


def kind_class(kind: str) -> str:
    return "region" if kind in REGION_KINDS else "town"


def split_families(rows: Iterable[Row]) -> Counter[str]:
    """Groups of places with one name core and one country, by the kinds they mix
    ("region+region", "region+town", "town+town"); `places` counts the places in them."""
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        if row.country:
            groups[(name_core(row.name), row.country)].append(row)
    out: Counter[str] = Counter()
    for members in groups.values():
        if len(members) < 2:
            continue
        classes = Counter(kind_class(m.kind) for m in members)
        for a, b in (("region", "region"), ("region", "town"), ("town", "town")):
            if classes[a] >= (2 if a == b else 1) and classes[b] >= (2 if a == b else 1):
                out[f"{a}+{b}"] += 1
        out["groups"] += 1
        out["places"] += len(members)
    return out


def countryless_twins(rows: Iterable[Row], links: Links) -> list[tuple[Row, Row]]:
    """A place without a country and a place with one that share a name core and a partner:
    one place split between the sources."""
    rows = list(rows)
    by_core: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_core[name_core(row.name)].append(row)
    partners = links.partners()
    out = []
    for row in rows:
        if row.country:
            continue
        for other in by_core[name_core(row.name)]:
            shared = partners[row.id] & partners[other.id]
            if other.country and shared and kind_class(other.kind) == kind_class(row.kind):
                out.append((row, other))
    return out


def duplicate_partners(place: int, rows: Mapping[int, Row], links: Links) -> list[list[Row]]:
    """Partners of one place that share a name core and a country (or lack one)."""
    groups: dict[str, list[Row]] = defaultdict(list)
    for p in sorted(links.partners()[place]):
        groups[name_core(rows[p].name)].append(rows[p])
    out = []
    for members in groups.values():
        countries = {m.country for m in members if m.country}
        if len(members) > 1 and len(countries) <= 1:
            out.append(members)
    return out


# links of a city that belong to a district -------------------------------------------------
def districts_of(rows: Iterable[Row]) -> dict[int, list[int]]:
    """City id -> its districts, by the qualifier a district's names carry ("Reinickendorf
    (Berlin)", "Berlin – Reinickendorf")."""
    rows = list(rows)
    cities: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.kind == "city":
            cities.setdefault((fold(row.name), row.country), row.id)
    out: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.kind != "district":
            continue
        parents = {fold(qualifier(n)) for n in (row.name, *row.names)} - {""}
        for parent in sorted(parents):
            city = cities.get((parent, row.country))
            if city is not None and row.id not in out[city]:
                out[city].append(row.id)
    return out


def district_links(rows: Iterable[Row], links: Links) -> list[tuple[int, int, int]]:
    """(city, partner, district): the older sources link the city with a partner that the
    2026 list links with one of its districts, and the 2026 list does not link the city."""
    partners = links.partners()
    out = []
    for city, districts in sorted(districts_of(rows).items()):
        for district in districts:
            for partner in sorted(partners[district] & partners[city]):
                key = (min(city, partner), max(city, partner))
                dkey = (min(district, partner), max(district, partner))
                if (
                    WIKIPEDIA_2026 in links.sources[dkey]
                    and WIKIPEDIA_2026 not in links.sources[key]
                ):
                    out.append((city, partner, district))
    return out
