"""Rule `joint-partner`: a partner that one source names beside a neighbour, for the curation
queue.

Neighbouring towns are often twinned jointly with one partner, and a source may also list
one partnership under two names. When a place P has two partners X and Y of one country and
admin area within JOINT_KM of each other, not partners of each other, Y has no partner but P,
and the one source that names P–Y also names P–X (which more sources name), the build cannot
tell the two cases apart: the pair goes to the uncertain matches, and so to the curation
queue (Köln's Corinto and El Realejo: the 2026 list names both, the Wikidata extracts
Corinto alone; GeoNames knows two municipalities 6 km apart).
"""

from __future__ import annotations

from collections import defaultdict

from jumelage.dataset.geo import distance_km
from jumelage.dataset.linking import LinkTable
from jumelage.dataset.places import Place
from jumelage.dataset.resolve import Uncertain

JOINT_KM = 10.0
RULE = "joint-partner"


def joint_partners(
    places: list[Place], table: LinkTable, place_of: dict[str, int]
) -> list[tuple[int, int, Uncertain]]:
    """(X id, Y id, the uncertain match) for every pair the rule finds, in id order."""
    by_id = {p.id: p for p in places}
    key_of: dict[int, str] = {}
    for key in sorted(place_of):
        key_of.setdefault(place_of[key], key)
    sources: dict[int, dict[int, frozenset[str]]] = defaultdict(dict)
    for (a, b), entries in table.pairs.items():
        stated = frozenset(e.source for e in entries)
        sources[a][b] = stated
        sources[b][a] = stated
    found: dict[tuple[int, int], tuple[int, int, Uncertain]] = {}
    for pid in sorted(sources):
        partners = sources[pid]
        for y in sorted(partners):
            sy = partners[y]
            if len(sy) != 1 or len(sources[y]) != 1:
                continue
            for x in sorted(partners):
                sx = partners[x]
                if x == y or not sy < sx or y in sources[x]:
                    continue
                px, py = by_id[x], by_id[y]
                if px.country != py.country or not px.admin_code or px.admin_code != py.admin_code:
                    continue
                if px.lat is None or px.lon is None or py.lat is None or py.lon is None:
                    continue
                km = distance_km(px.lat, px.lon, py.lat, py.lon)
                if km > JOINT_KM:
                    continue
                (source,) = sy
                reason = (
                    f"{RULE}: named beside {px.name} as a partner of {by_id[pid].name} by "
                    f"{source} only, which names no other partner of {py.name}: one joint "
                    "partnership of two neighbours, or one place named twice"
                )
                pair = (min(x, y), max(x, y))
                found.setdefault(pair, (x, y, Uncertain(key_of[x], key_of[y], km, 0.0, 1, reason)))
    return [found[pair] for pair in sorted(found)]
