"""Arrays over every municipality, built once per data version, so that a query
scores all candidates at once.

Everything that comes from links (the partner graph, country-, region- and
kind-pair counts) is computed from `data.links` and nothing else: an evaluation
builds its index from the training links only, so a hidden link cannot leak in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from babel.languages import get_official_languages

from jumelage.domain.names import fold_variants
from jumelage.domain.north_south import DacEntry, classify
from jumelage.domain.states import state_at
from jumelage.matching.data import MatchData

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

EARTH_KM = 6371.0088
# The Cold War map: a place's state then tells FRG from GDR, and Yugoslavia, the
# Soviet Union and Czechoslovakia from their successor states.
HISTORY_DAY = dt.date(1980, 1, 1)
# A name shared by more places than this (Neustadt, San José) says little.
MAX_NAMESAKES = 40


@dataclass(frozen=True)
class Csr:
    """Rows of integers (neighbours, members), stored compressed."""

    indptr: IntArray
    indices: IntArray

    @classmethod
    def build(cls, rows: int, src: IntArray, dst: IntArray) -> Csr:
        order = np.argsort(src, kind="stable")
        counts = np.bincount(src, minlength=rows)
        indptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        return cls(indptr, dst[order].astype(np.int64))

    def row(self, i: int) -> IntArray:
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    def lengths(self) -> IntArray:
        return np.diff(self.indptr)

    def gather(self, rows: IntArray) -> tuple[IntArray, IntArray]:
        """The rows' entries one after another, and each row's length."""
        starts = self.indptr[rows]
        lens = self.indptr[rows + 1] - starts
        total = int(lens.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64), lens
        offsets = np.repeat(starts - (np.cumsum(lens) - lens), lens)
        return self.indices[offsets + np.arange(total)], lens

    def spread(self, rows: IntArray, size: int, weights: FloatArray | None = None) -> FloatArray:
        """How often each column occurs in these rows (each row weighted, if given)."""
        found, lens = self.gather(rows)
        w = None if weights is None else np.repeat(weights, lens)
        return np.bincount(found, weights=w, minlength=size).astype(np.float64)


def _codes(values: Sequence[str | None]) -> tuple[IntArray, tuple[str, ...]]:
    """Integer codes for values (-1 for None), and the values in code order."""
    names = tuple(sorted({v for v in values if v}))
    lookup = {v: i for i, v in enumerate(names)}
    return np.array([lookup[v] if v else -1 for v in values], dtype=np.int64), names


@dataclass
class Index:
    """Per-municipality arrays (position i is `ids[i]`) and pair counts over links."""

    ids: IntArray
    position: dict[int, int]
    names: tuple[str, ...]
    qids: tuple[str | None, ...]
    country: IntArray
    countries: tuple[str, ...]
    region: IntArray
    regions: tuple[str, ...]
    region_names: tuple[str, ...]
    kind: IntArray
    kinds: tuple[str, ...]
    population: FloatArray  # NaN where unknown
    xyz: FloatArray  # unit vectors, NaN where no coordinates
    merged: BoolArray
    state: IntArray  # the sovereign state on HISTORY_DAY
    states: tuple[str, ...]
    # Country × country matrices have one more row and column, for code -1 (unknown).
    shared_language: BoolArray
    north_south: FloatArray  # 1 north–south, 0 not, NaN unknown
    adjacency: Csr
    degree: FloatArray
    country_pairs: FloatArray  # links between them
    country_links: FloatArray  # link ends per country
    region_pairs: dict[int, tuple[IntArray, FloatArray]]
    kind_pairs: FloatArray
    by_country: Csr
    by_region: Csr
    namesakes: Csr
    memberships: Csr  # municipality → network
    members: Csr  # network → municipality
    network_names: tuple[str, ...]
    network_density: FloatArray  # share of each network's member pairs that are linked
    contacts: Csr  # municipality → place, both directions
    contact_kinds: dict[tuple[int, int], tuple[str, ...]]
    has_dac: bool
    link_count: int
    pairs: IntArray  # the distinct linked pairs as `pair_keys`
    data_version: int
    _cache: dict[tuple[str, int], FloatArray] = field(default_factory=dict, repr=False)

    @property
    def size(self) -> int:
        return len(self.ids)

    def cached(self, key: tuple[str, int], compute: Callable[[], FloatArray]) -> FloatArray:
        """A per-country or per-region vector, computed once for this index."""
        found = self._cache.get(key)
        if found is None:
            found = compute()
            self._cache[key] = found
        return found

    def neighbours(self, i: int) -> IntArray:
        return self.adjacency.row(i)


def build_index(data: MatchData) -> Index:
    """The arrays of a registry; graph figures from `data.links` alone."""
    places = data.places
    n = len(places)
    ids = np.fromiter((p.id for p in places), dtype=np.int64, count=n)
    position = dict(zip(ids.tolist(), range(n), strict=True))
    country, countries = _codes([p.country for p in places])
    region, regions = _codes([p.admin_code for p in places])
    kind, kinds = _codes([p.kind for p in places])
    state, states = _codes([_state(p.country, p.admin_code) for p in places])
    pairs = pair_keys(data)
    src, dst = _edges(pairs, ids)
    adjacency = Csr.build(n, np.concatenate([src, dst]), np.concatenate([dst, src]))
    k = len(countries)
    country_pairs = _padded(_pair_counts(country, src, dst, k), 0.0)
    memberships, members = _membership_csr(data, position)
    return Index(
        ids=ids,
        position=position,
        names=tuple(p.name for p in places),
        qids=tuple(p.qid for p in places),
        country=country,
        countries=countries,
        region=region,
        regions=regions,
        region_names=_region_names(places, region, len(regions)),
        kind=kind,
        kinds=kinds,
        population=np.array(
            [float(p.population) if p.population else np.nan for p in places], dtype=np.float64
        ),
        xyz=_unit_vectors(data),
        merged=np.array([p.merged for p in places], dtype=np.bool_),
        state=state,
        states=states,
        shared_language=_padded(_shared_language(countries), False),
        north_south=_padded(_north_south(countries, data.dac), np.nan),
        adjacency=adjacency,
        degree=adjacency.lengths().astype(np.float64),
        country_pairs=country_pairs,
        country_links=country_pairs.sum(axis=1),
        region_pairs=_region_pairs(region, src, dst),
        kind_pairs=_pair_counts(kind, src, dst, len(kinds)),
        by_country=_members(country, k),
        by_region=_members(region, len(regions)),
        namesakes=_namesakes(data, position),
        memberships=memberships,
        members=members,
        network_names=tuple(sorted({m.network for m in data.memberships})),
        network_density=_density(members, adjacency),
        contacts=_contact_csr(data, position, n),
        contact_kinds=_contact_kinds(data, position),
        has_dac=bool(data.dac),
        link_count=len(src),
        pairs=pairs,
        data_version=data.data_version,
    )


def rebuild_index(data: MatchData, previous: tuple[MatchData, Index] | None) -> Index:
    """The arrays of `data`, reusing those of a previous build when only contacts or
    the data version changed (most writes: activities, contacts, accounts …)."""
    if previous is None or not _same_but_contacts(previous[0], data):
        return build_index(data)
    old = previous[1]
    return replace(
        old,
        contacts=_contact_csr(data, old.position, old.size),
        contact_kinds=_contact_kinds(data, old.position),
        data_version=data.data_version,
        _cache=old._cache,  # its vectors come from links and places, unchanged
    )


def _same_but_contacts(old: MatchData, new: MatchData) -> bool:
    return (
        old.links == new.links
        and old.places == new.places
        and old.names == new.names
        and old.memberships == new.memberships
        and old.dac == new.dac
    )


def _state(country: str | None, admin_code: str | None) -> str | None:
    if not country:
        return None
    return _state_key(country, admin_code)


_STATE_KEYS: dict[tuple[str, str | None], str] = {}


def _state_key(country: str, admin_code: str | None) -> str:
    key = (country, admin_code)
    if key not in _STATE_KEYS:
        _STATE_KEYS[key] = state_at(country, admin_code, HISTORY_DAY).key
    return _STATE_KEYS[key]


def pair_keys(data: MatchData) -> IntArray:
    """Each distinct linked pair of known places as one integer (lower id × 2³² + higher
    id), sorted: the link set the weights were learned from is kept as these."""
    a = np.fromiter((x.a for x in data.links), dtype=np.int64, count=len(data.links))
    b = np.fromiter((x.b for x in data.links), dtype=np.int64, count=len(data.links))
    known = np.fromiter((p.id for p in data.places), dtype=np.int64, count=len(data.places))
    keep = (a != b) & np.isin(a, known) & np.isin(b, known)
    low, high = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    keys: IntArray = np.unique((low << 32) | high)
    return keys


def _edges(keys: IntArray, ids: IntArray) -> tuple[IntArray, IntArray]:
    """The distinct linked pairs (`pair_keys`) as positions, in the order of their ids."""
    order = np.argsort(ids, kind="stable")
    at = order[np.searchsorted(ids, keys >> 32, sorter=order)]
    to = order[np.searchsorted(ids, keys & 0xFFFFFFFF, sorter=order)]
    return at.astype(np.int64), to.astype(np.int64)


def _padded(matrix: npt.NDArray[Any], value: object) -> npt.NDArray[Any]:
    padded: npt.NDArray[Any] = np.pad(matrix, ((0, 1), (0, 1)), constant_values=value)  # type: ignore[call-overload]
    return padded


def _pair_counts(codes: IntArray, src: IntArray, dst: IntArray, k: int) -> FloatArray:
    """Symmetric counts of links between categories (a link inside one counts twice)."""
    counts = np.zeros((k, k), dtype=np.float64)
    a, b = codes[src], codes[dst]
    ok = (a >= 0) & (b >= 0)
    np.add.at(counts, (a[ok], b[ok]), 1.0)
    np.add.at(counts, (b[ok], a[ok]), 1.0)
    return counts


def _region_pairs(
    region: IntArray, src: IntArray, dst: IntArray
) -> dict[int, tuple[IntArray, FloatArray]]:
    a, b = region[src], region[dst]
    ok = (a >= 0) & (b >= 0)
    a, b = np.concatenate([a[ok], b[ok]]), np.concatenate([b[ok], a[ok]])
    out: dict[int, tuple[IntArray, FloatArray]] = {}
    if len(a) == 0:
        return out
    width = int(region.max()) + 1
    keys, counts = np.unique(a * width + b, return_counts=True)
    first, second = np.divmod(keys, width)
    rows, starts = np.unique(first, return_index=True)
    ends = np.append(starts[1:], len(first))
    for r, start, end in zip(rows.tolist(), starts.tolist(), ends.tolist(), strict=True):
        out[r] = (second[start:end].astype(np.int64), counts[start:end].astype(np.float64))
    return out


def _members(codes: IntArray, k: int) -> Csr:
    ok = np.flatnonzero(codes >= 0)
    return Csr.build(k, codes[ok], ok.astype(np.int64))


def _region_names(places: Sequence[object], region: IntArray, k: int) -> tuple[str, ...]:
    names = [""] * k
    for p, r in zip(places, region.tolist(), strict=True):
        area = getattr(p, "admin_area", None)
        if r >= 0 and not names[r] and area:
            names[r] = str(area)
    return tuple(names)


def _unit_vectors(data: MatchData) -> FloatArray:
    lat = np.array([p.lat if p.lat is not None else np.nan for p in data.places], np.float64)
    lon = np.array([p.lon if p.lon is not None else np.nan for p in data.places], np.float64)
    missing = np.isnan(lat) | np.isnan(lon)
    lat, lon = np.radians(lat), np.radians(lon)
    xyz = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)
    xyz[missing] = np.nan
    return xyz.reshape(-1, 3)


def languages_of(country: str) -> frozenset[str]:
    """Official languages (also de facto ones) of a country, from the CLDR via Babel."""
    try:
        return frozenset(get_official_languages(country, de_facto=True))
    except Exception:  # an unknown territory code
        return frozenset()


def _shared_language(countries: tuple[str, ...]) -> BoolArray:
    sets = [languages_of(c) for c in countries]
    k = len(countries)
    out = np.zeros((k, k), dtype=np.bool_)
    for i in range(k):
        for j in range(k):
            out[i, j] = bool(sets[i] & sets[j])
    return out


def _north_south(countries: tuple[str, ...], dac: Mapping[str, DacEntry]) -> FloatArray:
    """1 where `classify` calls the pair north–south; NaN everywhere without a DAC list."""
    k = len(countries)
    if not dac:
        return np.full((k, k), np.nan)
    out = np.zeros((k, k), dtype=np.float64)
    for i, a in enumerate(countries):
        for j, b in enumerate(countries):
            out[i, j] = classify(a, b, dac) == "north_south"
    return out


# Names change rarely between data versions: each is folded once per process.


def _namesakes(data: MatchData, position: dict[int, int]) -> Csr:
    """Places sharing a real name, in groups of at most MAX_NAMESAKES.

    A place's own names are its name on record and its names in an official language
    of its country. Two places share a name when it is an own name of both
    (Neustadt and Neustadt), or an own name of one and the other's name in the first
    one's language (Cologne, Minnesota and Köln, which is Cologne in English). An
    exonym in a third language is no shared name: Köln and Colón both hold "Kolon",
    in neither place's language.
    """
    own: dict[str, set[int]] = defaultdict(set)
    spoken: dict[tuple[str, str], set[int]] = defaultdict(set)  # (folded, language) → places
    langs: list[frozenset[str]] = [frozenset()] * len(data.places)
    for p in data.places:
        i = position[p.id]
        langs[i] = _languages(p.country) if p.country else frozenset()
        for name in fold_variants(p.name):
            own[name].add(i)
        for lang, name in data.names.get(p.id, ()):
            base = _base(lang)
            if base in langs[i]:
                own[name].add(i)
            elif base != "und":
                spoken[(name, base)].add(i)
    src: list[int] = []
    dst: list[int] = []
    for name, owners in own.items():
        outside = {
            (a, b) for a in owners for lang in langs[a] for b in spoken.get((name, lang), ())
        }
        places = owners | {b for _, b in outside}
        if not 1 < len(places) <= MAX_NAMESAKES:
            continue
        for a, b in outside | {(a, b) for a in owners for b in owners if a != b}:
            src += [a, b]
            dst += [b, a]
    if not src:
        empty = np.zeros(0, dtype=np.int64)
        return Csr.build(len(data.places), empty, empty)
    keys = np.unique((np.array(src, dtype=np.int64) << 32) | np.array(dst, dtype=np.int64))
    return Csr.build(len(data.places), keys >> 32, keys & 0xFFFFFFFF)


def _base(lang: str) -> str:
    """The language of a tag without script or region: "zh_Hant" → "zh"."""
    return lang.replace("-", "_").split("_")[0].lower()


@lru_cache(maxsize=512)
def _languages(country: str) -> frozenset[str]:
    return frozenset(_base(lang) for lang in languages_of(country))


def _membership_csr(data: MatchData, position: dict[int, int]) -> tuple[Csr, Csr]:
    networks = sorted({m.network for m in data.memberships})
    code = {name: i for i, name in enumerate(networks)}
    rows = sorted(
        {
            (position[m.municipality_id], code[m.network])
            for m in data.memberships
            if m.municipality_id in position
        }
    )
    who = np.array([r[0] for r in rows], dtype=np.int64)
    net = np.array([r[1] for r in rows], dtype=np.int64)
    return Csr.build(len(data.places), who, net), Csr.build(len(networks), net, who)


def _density(members: Csr, adjacency: Csr) -> FloatArray:
    out = np.zeros(len(members.indptr) - 1)
    for k in range(len(out)):
        group = members.row(k)
        if len(group) > 1:
            inside = adjacency.spread(group, len(adjacency.indptr) - 1)[group].sum() / 2
            out[k] = inside / (len(group) * (len(group) - 1) / 2)
    return out


def _contact_pairs(data: MatchData, position: dict[int, int]) -> Iterable[tuple[int, int, str]]:
    for c in data.contacts:
        if c.municipality_id in position and c.place_id in position:
            yield position[c.municipality_id], position[c.place_id], c.kind


def _contact_csr(data: MatchData, position: dict[int, int], n: int) -> Csr:
    found = list(_contact_pairs(data, position))
    a = np.array([f[0] for f in found], dtype=np.int64)
    b = np.array([f[1] for f in found], dtype=np.int64)
    return Csr.build(n, np.concatenate([a, b]), np.concatenate([b, a]))


def _contact_kinds(
    data: MatchData, position: dict[int, int]
) -> dict[tuple[int, int], tuple[str, ...]]:
    kinds: dict[tuple[int, int], list[str]] = defaultdict(list)
    for a, b, kind in _contact_pairs(data, position):
        kinds[(min(a, b), max(a, b))].append(kind)
    return {k: tuple(sorted(v)) for k, v in kinds.items()}
