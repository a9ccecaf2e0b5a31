"""How far apart partners are, and whether nearness makes a link more likely.

The great-circle distances of linked pairs are set against those of random pairs
of the same places. If proximity drove twinning, the share of linked pairs in the
near bands would far exceed the share of random pairs there; the ratio per band
(linked share / random share) is the relative probability that two places that far
apart are linked, and dividing the linked pairs of a band by the estimated number
of all pairs in it gives the probability itself.
"""

from __future__ import annotations

import bisect
import math
import random
import statistics
from collections.abc import Sequence
from typing import Any

from jumelage.analytics.definition import Definition, select
from jumelage.analytics.model import Place, Snapshot

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
BANDS_KM: tuple[float, ...] = (0, 25, 50, 100, 200, 500, 1000, 2000, 5000, 10000)


def great_circle_km(a: Place, b: Place) -> float:
    """Haversine distance between two places with coordinates."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlam = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _located(place: Place) -> bool:
    return place.lat is not None and place.lon is not None


def band_counts(distances: Sequence[float]) -> list[int]:
    counts = [0] * len(BANDS_KM)
    for d in distances:
        counts[bisect.bisect_right(BANDS_KM, d) - 1] += 1
    return counts


def random_pair_distances(places: Sequence[Place], sample: int, seed: int) -> list[float]:
    """Distances of `sample` pairs of two different places drawn uniformly at random."""
    rng = random.Random(seed)
    n = len(places)
    found = []
    for _ in range(sample if n > 1 else 0):
        i, j = rng.sample(range(n), 2)
        found.append(great_circle_km(places[i], places[j]))
    return found


def _summary(distances: Sequence[float]) -> dict[str, Any]:
    if not distances:
        return {"count": 0, "median_km": None, "mean_km": None, "quartiles_km": None}
    quartiles = statistics.quantiles(distances, n=4) if len(distances) > 1 else [distances[0]] * 3
    return {
        "count": len(distances),
        "median_km": statistics.median(distances),
        "mean_km": math.fsum(distances) / len(distances),
        "quartiles_km": quartiles,
    }


def partner_distances(
    snapshot: Snapshot, definition: Definition, sample: int = 100_000, seed: int = 1
) -> dict[str, Any]:
    """Distances between partners against random pairs of the same places, per band."""
    selection = select(snapshot, definition)
    places = snapshot.places
    pairs = [p for p in selection.pairs() if _located(places[p.a]) and _located(places[p.b])]
    linked = [great_circle_km(places[p.a], places[p.b]) for p in pairs]
    nodes = sorted({x for p in pairs for x in (p.a, p.b)})
    pool = [places[m] for m in nodes]
    chance = random_pair_distances(pool, sample, seed)
    return {
        **selection.envelope(),
        "words": (
            "great-circle distance between the two places of each distinct linked pair with "
            f"coordinates; random pairs: {len(chance)} pairs of two different places drawn "
            f"uniformly (seed {seed}) from the same {len(pool)} places"
        ),
        "pairs_without_coordinates": len(selection.pairs()) - len(pairs),
        "linked": _summary(linked),
        "random": _summary(chance),
        "bands": _bands(linked, chance, len(pool)),
    }


def _bands(linked: list[float], chance: list[float], n_places: int) -> list[dict[str, Any]]:
    linked_counts, chance_counts = band_counts(linked), band_counts(chance)
    all_pairs = n_places * (n_places - 1) // 2
    rows = []
    for i, low in enumerate(BANDS_KM):
        high = BANDS_KM[i + 1] if i + 1 < len(BANDS_KM) else None
        linked_share = linked_counts[i] / len(linked) if linked else 0.0
        chance_share = chance_counts[i] / len(chance) if chance else 0.0
        pairs_in_band = chance_share * all_pairs
        rows.append(
            {
                "from_km": low,
                "to_km": high,
                "linked": linked_counts[i],
                "linked_share": linked_share,
                "random_share": chance_share,
                "ratio": linked_share / chance_share if chance_share else None,
                "link_probability": linked_counts[i] / pairs_in_band if pairs_in_band else None,
            }
        )
    return rows
