"""One resolved cluster of mentions becomes one municipality row: its best name, kind, country,
admin area, coordinates, population and GeoNames id, and all the names it is known by."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from jumelage.dataset.countries import sovereign
from jumelage.dataset.gazetteer import CscCity, CscState, Gazetteer, GeoPlace
from jumelage.dataset.naming import display_name, similarity, variants
from jumelage.dataset.prepare import Node
from jumelage.dataset.sources import WIKIDATA_2016, WIKIDATA_2017, WIKIPEDIA_2026
from jumelage.domain.names import fold

ADMIN_RADIUS_KM = 15.0
CITY_POPULATION = 100_000
MAX_ALTERNATE_NAMES = 40


@dataclass
class Place:
    root: str
    qid: str = ""
    name: str = ""
    kind: str = "municipality"
    country: str = ""
    admin_area: str = ""
    admin_code: str = ""
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    population_year: str = ""
    population_source: str = ""
    geonames_id: int | None = None
    names: set[tuple[str, str]] = field(default_factory=set)
    country_source: str = ""  # set when the country was inferred for a region
    country_party: str = ""  # set when the place stands for a whole country (nations.py)
    name_steps: dict[str, str] = field(
        default_factory=dict
    )  # per language: label, gazetteer, local
    id: int = 0


def _qid_number(qid: str) -> int:
    return int(qid[1:]) if qid[1:].isdigit() else 1 << 62


def _choose_qid(nodes: list[Node]) -> tuple[str, CscCity | None]:
    placed = [n for n in nodes if n.mention.qid and n.csc is not None]
    if placed:
        best = min(placed, key=lambda n: _qid_number(n.mention.qid))
        return best.mention.qid, best.csc
    qids = sorted({n.mention.qid for n in nodes if n.mention.qid}, key=_qid_number)
    return (qids[0] if qids else ""), None


def _choose_geo(nodes: list[Node]) -> GeoPlace | None:
    counts = Counter(n.geo.id for n in nodes if n.geo is not None)
    if not counts:
        return None
    geos = {n.geo.id: n.geo for n in nodes if n.geo is not None}
    gid = max(counts, key=lambda g: (counts[g], geos[g].population, -g))
    return geos[gid]


def _choose_country(nodes: list[Node], csc: CscCity | None, geo: GeoPlace | None) -> str:
    if csc is not None:
        return csc.country
    if geo is not None:
        return geo.country
    counts = Counter(n.country for n in nodes if n.country)
    return max(sorted(counts), key=lambda c: counts[c]) if counts else ""


def _nearest_csc(gaz: Gazetteer, place: Place) -> CscCity | None:
    if place.lat is None or place.lon is None:
        return None
    hits = [
        (dist, city.id, city)
        for dist, city in gaz.csc_grid.near(place.lat, place.lon, ADMIN_RADIUS_KM)
        if sovereign(city.country) == sovereign(place.country)
    ]
    return min(hits, key=lambda h: (h[0], h[1]))[2] if hits else None


def _matching_state(gaz: Gazetteer, nodes: list[Node], country: str) -> CscState | None:
    for node in nodes:
        for key in sorted(node.names):
            states = [
                s for s in gaz.states_by_name.get(key, ()) if not country or s.country == country
            ]
            if len({(s.country, s.code) for s in states}) == 1:
                return states[0]
    return None


def _region_country(gaz: Gazetteer, nodes: list[Node]) -> tuple[str, str]:
    """(country, how it was found) of a region no source places: a subdivision of that name
    in one country only (csc states, ISO 3166-2), else the one country whose GeoNames towns
    carry the name (a region named after its seat: "Landkreis Göttingen")."""
    cores = sorted({core for node in nodes for core in node.cores})
    for how, lookup in (("subdivision", _subdivision_countries), ("GeoNames", _geonames_countries)):
        found = {code for core in cores for code in lookup(gaz, core)}
        if len(found) == 1:
            return found.pop(), how
    return "", ""


def _subdivision_countries(gaz: Gazetteer, core: str) -> set[str]:
    return gaz.subdivision_countries.get(core, set())


def _geonames_countries(gaz: Gazetteer, core: str) -> set[str]:
    return {gaz.geo[gid].country for gid in gaz.geo_by_name.get(core, ())}


def _english_name(nodes: list[Node]) -> str:
    for source in (WIKIDATA_2017, WIKIPEDIA_2026):
        counts = Counter(n.mention.name for n in nodes if n.mention.source == source)
        if counts:
            return min(counts, key=lambda name: (-counts[name], len(name), name))
    return ""


def _label(nodes: list[Node], qid: str) -> str:
    for node in nodes:
        if node.mention.qid == qid and node.mention.source == WIKIDATA_2016:
            return node.mention.name
    for node in nodes:
        if node.mention.qid == qid:
            return node.mention.name
    return ""


def _set_population(place: Place, nodes: list[Node], geo: GeoPlace | None) -> None:
    pops = [
        n.mention.population
        for n in nodes
        if n.mention.source == WIKIDATA_2017 and n.mention.population
    ]
    if pops:
        place.population, place.population_year = max(pops), "2017"
        place.population_source = "wikidata-2017"
    elif geo is not None and geo.population > 0:
        place.population, place.population_source = geo.population, "geonames"


def _set_coordinates(
    place: Place, nodes: list[Node], anchor: tuple[float, float] | None, geo: GeoPlace | None
) -> None:
    if anchor is not None:
        place.lat, place.lon = anchor
    elif geo is not None:
        place.lat, place.lon = geo.lat, geo.lon


def _set_admin(gaz: Gazetteer, place: Place, csc: CscCity | None, state: CscState | None) -> None:
    if state is not None:
        place.admin_area, code = state.name, state.code
    else:
        city = csc if csc is not None else _nearest_csc(gaz, place)
        if city is None or not city.state_code:
            return
        place.admin_area, code = city.state_name, city.state_code
    if code:
        place.admin_code = f"{place.country}-{code}"


def _set_kind(place: Place, nodes: list[Node], state: CscState | None) -> None:
    # Only names of the place itself tell its kind: "Neukölln (Berlin)" makes Neukölln a
    # district, but a district merged into its city ("Manhattan (New York)") does not make
    # New York City one.
    own = variants(place.name)
    kinds = {n.kind for n in nodes if n.kind and variants(n.mention.name) & own}
    if "region" in kinds or state is not None:
        place.kind = "region"
    elif "district" in kinds:
        place.kind = "district"
    elif place.population is not None and place.population >= CITY_POPULATION:
        place.kind = "city"


INTERFACE_LANGUAGES = ("de", "en", "fr")


def language_names(
    place: Place, nodes: list[Node], local: str, gazetteer: str = ""
) -> dict[str, str]:
    """The name of a place in each interface language, by the rule of docs/data-model.md:
    the sources' label in that language, then a gazetteer name in it, then the local official
    name (`local`); never another language's exonym.

    German: the 2016 Wikidata label of the place's item (Wikidata's German label where it has
    one). English: the label of the English sources (2017 export, 2026 lists) that the item's
    Wikidata label or the local name confirms, else one GeoNames also knows the place by,
    else the commonest English label, else the GeoNames name (GeoNames names a place in
    English or in its own language, never in a third). French: no source or gazetteer labels
    names in French, so the local official name. A language without a label takes the local
    official name."""
    label = _label(nodes, place.qid) if place.qid else ""
    ext = {v for n in nodes for v in n.ext_names}
    english = Counter(
        n.mention.name.strip()
        for n in nodes
        if n.mention.source in (WIKIDATA_2017, WIKIPEDIA_2026) and n.mention.name.strip()
    )
    firm = {fold(label), fold(local)} - {""}
    tiers = (
        [name for name in english if fold(name) in firm],
        [name for name in english if fold(name) in ext],
        list(english),
    )
    tier = next((t for t in tiers if t), [])
    en = min(tier, key=lambda n: (-english[n], len(n), n)) if tier else ""
    place.name_steps = {
        "de": "label" if label else "local",
        "en": "label" if en else "gazetteer" if gazetteer else "local",
        "fr": "local",
    }
    return {"de": label or local, "en": en or gazetteer or local, "fr": local}


def _collect_names(
    gaz: Gazetteer, place: Place, nodes: list[Node], csc: CscCity | None, geo: GeoPlace | None
) -> None:
    local = (display_name(csc.name) if csc is not None else "") or (geo.name if geo else "")
    chosen = language_names(place, nodes, local or place.name, geo.name if geo else "")
    for lang in INTERFACE_LANGUAGES:
        place.names.add((lang, chosen[lang]))
    for node in nodes:
        for name in (node.mention.name, *node.mention.extra_names):
            # Every other label stays searchable, without standing for a language.
            if (node.mention.lang, name.strip()) not in place.names:
                place.names.add(("und", name.strip()))
    if csc is not None:
        place.names.add(("und", csc.name))
    place.names.add(("und", place.name))
    if geo is None:
        return
    place.names.add(("und", geo.name))
    known = {fold(name) for _, name in place.names}
    extra = [a for a in geo.latin_names if _useful_alternate(a) and fold(a) not in known]
    seen: set[str] = set()
    for alt in sorted(extra, key=lambda a: (len(a), a)):
        if fold(alt) not in seen and len(seen) < MAX_ALTERNATE_NAMES:
            seen.add(fold(alt))
            place.names.add(("und", alt))


def _useful_alternate(name: str) -> bool:
    """Alternate names worth searching: no airport codes, numbers or transcription debris."""
    if len(name) < 3 or any(ch.isdigit() for ch in name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    return name[0].isupper()


def build_place(
    gaz: Gazetteer, root: str, nodes: list[Node], anchor: tuple[float, float] | None
) -> Place:
    place = Place(root=root)
    place.qid, csc = _choose_qid(nodes)
    geo = _choose_geo(nodes)
    place.country = _choose_country(nodes, csc, geo)
    state = None
    if csc is None and geo is None:
        state = _matching_state(gaz, nodes, place.country)
        if state is not None:
            place.country = place.country or state.country
            if anchor is None and state.lat is not None and state.lon is not None:
                anchor = (state.lat, state.lon)
    if not place.country:
        place.country, place.country_source = _region_country(gaz, nodes)
    _set_coordinates(place, nodes, anchor, geo)
    if csc is None and place.country:
        near = _nearest_csc(gaz, place)
        if near is not None and variants(near.name) & {v for n in nodes for v in n.names}:
            csc = near
    place.name = (
        (display_name(csc.name) if csc is not None else "")
        or _label(nodes, place.qid)
        or _english_name(nodes)
        or nodes[0].mention.name
    )
    _set_population(place, nodes, geo)
    _set_admin(gaz, place, csc, state)
    _set_kind(place, nodes, state)
    place.geonames_id = geo.id if geo is not None else None
    _collect_names(gaz, place, nodes, csc, geo)
    return place


# An item no source places, known only by a label that is another language's name of one
# big city ("Genf" for Geneva): GeoNames knows that label as an alternate name of a city of at
# least this many people, ten times as populous as any other place it knows by that label.
EXONYM_MIN_POPULATION = 100_000
EXONYM_MARGIN = 10
EXONYM_MAX_SIMILARITY = 80.0


def place_exonym(gaz: Gazetteer, place: Place, nodes: list[Node]) -> GeoPlace | None:
    """Rule `exonym`: give an unplaced place the country, point, population and names of the
    one big city whose other-language name its label is; the city found, or None."""
    if place.lat is not None or place.country or place.kind != "municipality":
        return None
    found = {
        gid: gaz.geo[gid] for key in variants(place.name) for gid in gaz.geo_by_name.get(key, ())
    }
    ranked = sorted(found.values(), key=lambda p: (-p.population, p.id))
    if not ranked or ranked[0].population < EXONYM_MIN_POPULATION:
        return None
    if len(ranked) > 1 and ranked[0].population < EXONYM_MARGIN * ranked[1].population:
        return None
    best, keys = ranked[0], variants(place.name)
    if fold(best.name) in keys or any(fold(other.name) in keys for other in ranked[1:]):
        return None  # a place's own name, not an exonym: a namesake is as likely
    if similarity(fold(place.name), fold(best.name)) >= EXONYM_MAX_SIMILARITY:
        return None  # a spelling of the city's name ("Edde", "Ede"), not another language's
    place.country, place.lat, place.lon = best.country, best.lat, best.lon
    place.geonames_id, place.population, place.population_source = (
        best.id,
        best.population,
        "geonames",
    )
    place.kind = "city"
    near = _nearest_csc(gaz, place)
    city_names = {fold(n) for n in (best.name, *best.latin_names)}
    local = best.name
    if near is not None and variants(near.name) & city_names:
        local = display_name(near.name)
        place.admin_area, place.admin_code = near.state_name, f"{place.country}-{near.state_code}"
    chosen = language_names(place, nodes, local, best.name)
    place.names -= {(lang, n) for lang, n in place.names if lang in INTERFACE_LANGUAGES}
    place.names |= {(lang, chosen[lang]) for lang in INTERFACE_LANGUAGES}
    place.names.add(("und", best.name))
    for alt in best.latin_names:
        if _useful_alternate(alt):
            place.names.add(("und", alt))
    return best
