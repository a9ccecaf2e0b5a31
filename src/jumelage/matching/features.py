"""What the matcher knows about a pair: one query municipality against many candidates.

`raw_features` gives plain facts (counts, kilometres, shares) for every candidate at
once; `model_inputs` turns them into the numbers the scoring model weighs (logs,
gaps). Unknown facts stay NaN: the model gives them its neutral value, so a
missing population is no reason for or against a candidate.

Not here because the registry holds no data for them (a note for later, not a
guess): rivers and coasts, universities, economic structure, religion, twinning
history of the states before 1945.
"""

from __future__ import annotations

import numpy as np

from jumelage.matching.index import EARTH_KM, FloatArray, Index, IntArray

RAW = (
    "shared",  # partners the two have in common
    "adamic_adar",  # the same, each weighted 1 / log(its number of partners)
    "paths3",  # walks of three links from here to the candidate
    "walk3",  # chance that a random walk of three links from here ends there, × places
    "walk3_back",  # the same from the candidate to here
    "degree",  # the candidate's partners
    "mine_in_country",  # my partners in the candidate's country
    "theirs_in_country",  # the candidate's partners in my country
    "theirs_in_region",  # the candidate's partners in my region
    "theirs_near",  # the candidate's partners within NEAR_KM of me
    "mine_in_region",  # my partners in the candidate's region
    "mine_near",  # my partners within NEAR_KM of the candidate
    "country_share",  # share of my country's links that go to the candidate's country
    "region_links",  # links between my region and the candidate's
    "kind_share",  # share of my kind's links that go to the candidate's kind
    "population",  # the candidate's
    "km",
    "domestic",
    "language",  # an official language in common
    "namesake",
    "north_south",
    "state_shared",  # one state on HISTORY_DAY, two countries today
    "state_split",  # one country today, two states then (FRG and GDR)
    "networks",  # networks both belong to
    "network_density",  # the same, each counted by the share of its members' pairs linked
    "contacts",  # contacts register entries between the two
    "kind",  # the candidate's kind (a code of `Index.kinds`)
)

INPUTS = (
    "shared",
    "adamic_adar",
    "shared_of_mine",
    "shared_of_theirs",
    "paths3",
    "walk3",
    "walk3_back",
    "degree",
    "mine_in_country",
    "theirs_in_country",
    "theirs_in_region",
    "theirs_near",
    "mine_in_region",
    "mine_near",
    "country_pair",
    "region_pair",
    "kind_pair",
    "size_gap",
    "size",
    "distance",
    "distance2",
    "distance_abroad",
    "domestic",
    "language",
    "namesake",
    "north_south",
    "state_shared",
    "state_split",
    "networks",
    "contacts",
)

# Inputs only contrast mode weighs (with stated weights, never learned; see
# `scoring.contrast`): a size gap that counts up to a cap, and a region offered to a town.
CONTRAST_INPUTS = ("size_contrast", "region_for_town")
# The size gap counts fully from 1.5 decades (about 30 times) to 2 decades (100
# times), then turns steeply against: a place hundreds of times larger than a town
# is a country or a large region stored as a place, or a metropolis, not a partner of
# contrast. Each doubling past 100 times then costs 3 units of the input.
CONTRAST_FULL_DECADES = 1.5
CONTRAST_MOST_DECADES = 2.0
CONTRAST_FALL = 10.0  # per decade past CONTRAST_MOST_DECADES: nothing left at 126 times

# Smoothing of country-pair shares towards the country's share of all link ends,
# so that a country with three links does not get 33 % pairs from one accident.
COUNTRY_PRIOR = 10.0
# Neighbouring towns often twin with neighbouring towns (a district's towns with
# one French département): partners this close to a place count as its neighbours'.
NEAR_KM = 25.0


def raw_features(ix: Index, u: int, cand: IntArray | None = None) -> dict[str, FloatArray]:
    """Facts about municipality position `u` paired with each candidate position."""
    if cand is None:
        cand = np.arange(ix.size, dtype=np.int64)
    out: dict[str, FloatArray] = {}
    out.update(_graph(ix, u, cand))
    out.update(_categories(ix, u, cand))
    out.update(_place(ix, u, cand))
    out.update(_ties(ix, u, cand))
    out.update(_neighbourhood(ix, u, cand))
    return out


def _graph(ix: Index, u: int, cand: IntArray) -> dict[str, FloatArray]:
    mine = ix.neighbours(u)
    two = ix.adjacency.spread(mine, ix.size)
    reached = np.flatnonzero(two)
    three = ix.adjacency.spread(reached, ix.size, two[reached])
    cu = int(ix.country[u])
    cc = ix.country[cand]
    mine_by_country = np.bincount(
        ix.country[mine][ix.country[mine] >= 0], minlength=len(ix.countries) + 1
    ).astype(np.float64)
    deg = ix.degree[mine]
    walk = _walk3(ix, mine)
    hubs = np.where(deg > 1, 1.0 / np.log(np.maximum(deg, 2.0)), 0.0)
    return {
        "shared": two[cand],
        "adamic_adar": ix.adjacency.spread(mine, ix.size, hubs)[cand],
        "paths3": three[cand],
        "walk3": walk[cand],
        # On an undirected graph the walk back is the walk there, reweighted by degree.
        "walk3_back": walk[cand] * max(float(ix.degree[u]), 1.0) / np.maximum(ix.degree[cand], 1.0),
        "degree": ix.degree[cand],
        "mine_in_country": np.where(cc >= 0, mine_by_country[cc], 0.0),
        "theirs_in_country": _reach(ix, "country", cu)[cand] if cu >= 0 else _zeros(cand),
        "theirs_in_region": (
            _reach(ix, "region", int(ix.region[u]))[cand] if ix.region[u] >= 0 else _zeros(cand)
        ),
    }


def _walk3(ix: Index, mine: IntArray) -> FloatArray:
    """Where a random walk of three links ends that starts at the place with partners
    `mine`: each place's chance, times the number of places (1 is a chance no better
    than a random place's). Unlike `paths3`, it does not grow with the partners' hubs:
    each step divides by the partners there are to choose from."""
    if len(mine) == 0:
        return np.zeros(ix.size)
    inverse = 1.0 / np.maximum(ix.degree, 1.0)
    one = np.full(len(mine), 1.0 / len(mine)) * inverse[mine]
    two = ix.adjacency.spread(mine, ix.size, one)
    reached = np.flatnonzero(two)
    three = ix.adjacency.spread(reached, ix.size, two[reached] * inverse[reached])
    out: FloatArray = three * ix.size
    return out


def _neighbourhood(ix: Index, u: int, cand: IntArray) -> dict[str, FloatArray]:
    """Partners near the other side, and partners in the other side's region."""
    mine = ix.neighbours(u)
    if np.isnan(ix.xyz[u, 0]):
        theirs_near = _zeros(cand)
    else:
        near = np.flatnonzero(ix.xyz @ ix.xyz[u] > _NEAR_COS)
        near = near[near != u]
        theirs_near = ix.adjacency.spread(near, ix.size)[cand]
    placed = mine[~np.isnan(ix.xyz[mine, 0])]
    if len(placed):
        close = ix.xyz[cand] @ ix.xyz[placed].T > _NEAR_COS
        mine_near = close.sum(axis=1).astype(np.float64)
    else:
        mine_near = _zeros(cand)
    regions = np.bincount(ix.region[mine][ix.region[mine] >= 0], minlength=len(ix.regions) + 1)
    rc = ix.region[cand]
    return {
        "theirs_near": theirs_near,
        "mine_near": mine_near,
        "mine_in_region": np.where(rc >= 0, regions[rc], 0).astype(np.float64),
    }


_NEAR_COS = float(np.cos(NEAR_KM / EARTH_KM))


def _reach(ix: Index, what: str, code: int) -> FloatArray:
    """How many partners each municipality has among the members of a country or region."""
    members = ix.by_country if what == "country" else ix.by_region

    def compute() -> FloatArray:
        return ix.adjacency.spread(members.row(code), ix.size)

    return ix.cached((what, code), compute)


def _zeros(cand: IntArray) -> FloatArray:
    return np.zeros(len(cand), dtype=np.float64)


def country_shares(ix: Index) -> FloatArray:
    """Country × country: the smoothed share of the first country's link ends that go
    to the second."""

    def compute() -> FloatArray:
        total = max(float(ix.country_links.sum()), 1.0)
        prior = (ix.country_links + 1.0) / (total + len(ix.countries))
        return (ix.country_pairs + COUNTRY_PRIOR * prior[None, :]) / (
            ix.country_links[:, None] + COUNTRY_PRIOR
        )

    return ix.cached(("country_shares", 0), compute)


def _categories(ix: Index, u: int, cand: IntArray) -> dict[str, FloatArray]:
    cu, ru, ku = int(ix.country[u]), int(ix.region[u]), int(ix.kind[u])
    cc, rc, kc = ix.country[cand], ix.region[cand], ix.kind[cand]
    if cu >= 0:
        share = np.where(cc >= 0, country_shares(ix)[cu][cc], np.nan)
    else:
        share = np.full(len(cand), np.nan)
    kinds = ix.kind_pairs[ku] if ku >= 0 else np.zeros(len(ix.kinds))
    kind_share = (kinds + 1.0) / (kinds.sum() + len(ix.kinds))
    return {
        "country_share": share,
        "region_links": np.where(rc >= 0, _region_row(ix, ru)[rc], 0.0),
        "kind_share": np.where(kc >= 0, kind_share[kc], np.nan),
        "kind": kc.astype(np.float64),
    }


def _region_row(ix: Index, region: int) -> FloatArray:
    def compute() -> FloatArray:
        row = np.zeros(len(ix.regions) + 1, dtype=np.float64)
        if region in ix.region_pairs:
            others, counts = ix.region_pairs[region]
            row[others] = counts
        return row

    if region < 0:
        return np.zeros(len(ix.regions) + 1, dtype=np.float64)
    return ix.cached(("region_pairs", region), compute)


def kilometres(ix: Index, u: int, cand: IntArray) -> FloatArray:
    cos = np.clip(ix.xyz[cand] @ ix.xyz[u], -1.0, 1.0)
    km: FloatArray = np.arccos(cos) * EARTH_KM
    return km


def _place(ix: Index, u: int, cand: IntArray) -> dict[str, FloatArray]:
    cu, cc = int(ix.country[u]), ix.country[cand]
    known = (cc >= 0) & (cu >= 0)
    same_country = known & (cc == cu)
    su, sc = int(ix.state[u]), ix.state[cand]
    north_south = np.where(cc >= 0, ix.north_south[cu][cc], np.nan) if cu >= 0 else _nan(cand)
    return {
        "population": ix.population[cand],
        "km": kilometres(ix, u, cand),
        "domestic": same_country.astype(np.float64),
        "language": np.where(known, ix.shared_language[max(cu, 0)][cc], False).astype(np.float64),
        "north_south": north_south,
        "state_shared": (known & ~same_country & (sc == su)).astype(np.float64),
        "state_split": (same_country & (sc != su)).astype(np.float64),
    }


def _nan(cand: IntArray) -> FloatArray:
    return np.full(len(cand), np.nan)


def _ties(ix: Index, u: int, cand: IntArray) -> dict[str, FloatArray]:
    namesake = np.zeros(ix.size, dtype=np.float64)
    namesake[ix.namesakes.row(u)] = 1.0
    mine = ix.memberships.row(u)
    networks = ix.members.spread(mine, ix.size)
    # A network whose members twin among themselves (Douzelage) says more than one
    # whose members rarely do: each shared network counts by that share.
    density = ix.members.spread(mine, ix.size, ix.network_density[mine])
    contacts = np.bincount(ix.contacts.row(u), minlength=ix.size).astype(np.float64)
    return {
        "namesake": namesake[cand],
        "networks": networks[cand],
        "network_density": density[cand],
        "contacts": contacts[cand],
    }


def model_inputs(
    ix: Index, u: int, raw: dict[str, FloatArray], inputs: tuple[str, ...] = INPUTS
) -> FloatArray:
    """One row per input (of INPUTS, or those given), one column per candidate; NaN
    where a fact is unknown."""
    columns = input_columns(ix, u, raw)
    out = np.empty((len(inputs), len(raw["km"])), dtype=np.float64)
    for j, name in enumerate(inputs):
        out[j] = columns[name]
    return out


def _log1p(values: FloatArray) -> FloatArray:
    """log(1 + x) for counts that are mostly zero (only the non-zero ones are computed)."""
    out = np.zeros(len(values))
    found = np.flatnonzero(values)
    out[found] = np.log1p(values[found])
    return out


LOGGED_COUNTS = (
    "shared",
    "adamic_adar",
    "paths3",
    "walk3",
    "walk3_back",
    "mine_in_country",
    "theirs_in_country",
    "theirs_in_region",
    "theirs_near",
    "mine_in_region",
    "mine_near",
    "contacts",
)
PLAIN = ("domestic", "language", "namesake", "north_south", "state_shared", "state_split")


def input_columns(ix: Index, u: int, raw: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """Each input of INPUTS for every candidate; NaN where a fact is unknown."""
    size = np.log10(raw["population"])
    distance = np.log1p(raw["km"])
    columns = {name: _log1p(raw[name]) for name in LOGGED_COUNTS}
    columns.update({name: raw[name] for name in PLAIN})
    columns["networks"] = raw["network_density"]
    columns.update(
        {
            "degree": np.log1p(raw["degree"]),
            # Three shared partners say more of a town with four partners than of one
            # with forty: the shares of each side's partners that are shared.
            "shared_of_mine": raw["shared"] / max(float(ix.degree[u]), 1.0),
            "shared_of_theirs": raw["shared"] / np.maximum(raw["degree"], 1.0),
            "country_pair": np.log(raw["country_share"]),
            "region_pair": _log1p(raw["region_links"]),
            "kind_pair": np.log(raw["kind_share"]),
            "size_gap": np.abs(size - np.log10(ix.population[u])),
            "size": size,
            "distance": distance,
            "distance2": distance**2,
            # The slope of distance differs abroad (neighbours across a border twin
            # often) and at home: the model gets one term for each.
            "distance_abroad": distance * (1.0 - raw["domestic"]),
        }
    )
    columns.update(_contrast_columns(ix, u, columns["size_gap"], raw))
    return columns


def size_contrast(gap: FloatArray) -> FloatArray:
    """How much a size gap (in decades of population) speaks for a partner of contrast:
    rising to 1 at CONTRAST_FULL_DECADES, 1 up to CONTRAST_MOST_DECADES, then falling
    by CONTRAST_FALL per decade (below 0 past 126 times). NaN stays unknown."""
    rising = np.minimum(gap / CONTRAST_FULL_DECADES, 1.0)
    out: FloatArray = rising - CONTRAST_FALL * np.maximum(gap - CONTRAST_MOST_DECADES, 0.0)
    return out


def _contrast_columns(
    ix: Index, u: int, size_gap: FloatArray, raw: dict[str, FloatArray]
) -> dict[str, FloatArray]:
    region = ix.kinds.index("region") if "region" in ix.kinds else -1
    kinds = raw["kind"].astype(np.int64)
    town = region < 0 or int(ix.kind[u]) != region
    return {
        "size_contrast": size_contrast(size_gap),
        "region_for_town": ((kinds == region) & town).astype(np.float64),
    }
