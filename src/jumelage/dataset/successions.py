"""Successions the sources show without stating them: one place absorbed into another.

No source states a merger as such (the 2016 and 2017 Wikidata extracts carry no "replaced
by" or "follows"), but two patterns show one, and each is a rule of its own:

- `joined-name`: a place whose name is the hyphenated join of the names of two or more
  places of its country and admin area, each within JOINED_KM and none more populous than
  it, none a city when its population is unknown (Charlottenburg + Wilmersdorf =
  Charlottenburg-Wilmersdorf, Ebersbach + Neugersdorf; not Mainz + Finthen);
- `later-name`: a place that only the older sources (Wikidata 2016, 2017) name, with a
  Wikidata item, and a place without one that only the 2026 lists name, within LATER_KM in
  one country, sharing a partner: the later one's name is the earlier one's extended after
  a hyphen (Vire = Vire-Normandie, Beaupréau = Beaupréau-en-Mauges), or the two have the
  same partners, at least two (Bellegarde-sur-Valserine = Valserhône).

The two are never partners of each other, a region is neither side, and no place is the
predecessor of two. No source dates these mergers: the date stays empty (unknown).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from jumelage.dataset.geo import distance_km
from jumelage.dataset.linking import LinkTable, Succession
from jumelage.dataset.places import CITY_POPULATION, Place
from jumelage.dataset.sources import WIKIDATA_2016, WIKIDATA_2017, WIKIPEDIA_2026
from jumelage.domain.names import fold

JOINED_KM = 15.0
LATER_KM = 5.0
SAME_PARTNERS_MIN = 2
OLDER = frozenset({WIKIDATA_2016, WIKIDATA_2017})
LATER = frozenset({WIKIPEDIA_2026})
RULES = ("joined-name", "later-name")
_SOURCE = {
    "joined-name": "build rule joined-name: the successor's name joins the predecessors' names "
    "(same country and admin area); no source dates the merger",
    "later-name": "build rule later-name: only the older sources name the predecessor, only "
    "the 2026 lists the successor, at the same place with the same partners; no source dates "
    "the merger",
}


@dataclass(frozen=True)
class Found:
    rule: str
    predecessor: Place
    successor: Place
    km: float
    shared: int


class _Index:
    def __init__(self, places: list[Place], table: LinkTable) -> None:
        self.places = places
        self.partners: dict[int, set[int]] = defaultdict(set)
        self.sources: dict[int, set[str]] = defaultdict(set)
        for (a, b), entries in table.pairs.items():
            self.partners[a].add(b)
            self.partners[b].add(a)
            for entry in entries:
                self.sources[a].add(entry.source)
                self.sources[b].add(entry.source)

    def km(self, a: Place, b: Place) -> float | None:
        if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
            return None
        return distance_km(a.lat, a.lon, b.lat, b.lon)

    def apart(self, a: Place, b: Place) -> bool:
        """Neither a region nor partners of each other."""
        return "region" not in (a.kind, b.kind) and b.id not in self.partners[a.id]


def _not_larger(pred: Place, succ: Place) -> bool:
    """A predecessor no more populous than its successor; a city (CITY_POPULATION or more)
    only when the successor is counted too (Mainz is no predecessor of Mainz-Finthen)."""
    if pred.population is None:
        return True
    if succ.population is None:
        return pred.population < CITY_POPULATION
    return pred.population <= succ.population


def _joined_name(index: _Index) -> list[Found]:
    by_name: dict[tuple[str, str, str], list[Place]] = defaultdict(list)
    for place in index.places:
        if place.admin_code and place.lat is not None:
            by_name[(place.country, place.admin_code, fold(place.name))].append(place)
    found = []
    for succ in index.places:
        parts = succ.name.split("-")
        if len(parts) < 2 or not succ.admin_code or succ.lat is None:
            continue
        preds = []
        for part in parts:
            near = [
                (km, p.id, p)
                for p in by_name.get((succ.country, succ.admin_code, fold(part)), ())
                if p.id != succ.id and (km := index.km(p, succ)) is not None and km <= JOINED_KM
            ]
            if not near:
                break
            preds.append(min(near, key=lambda hit: (hit[0], hit[1])))
        else:
            if all(index.apart(p, succ) and _not_larger(p, succ) for _, _, p in preds):
                shared = index.partners[succ.id]
                found += [
                    Found("joined-name", p, succ, km, len(index.partners[p.id] & shared))
                    for km, _, p in preds
                ]
    return found


def _later_name(index: _Index) -> list[Found]:
    later = [
        p for p in index.places if not p.qid and p.lat is not None and index.sources[p.id] == LATER
    ]
    older = [
        p
        for p in index.places
        if p.qid and p.lat is not None and index.sources[p.id] and index.sources[p.id] <= OLDER
    ]
    by_country: dict[str, list[Place]] = defaultdict(list)
    for place in older:
        by_country[place.country].append(place)
    found = []
    for succ in later:
        for pred in by_country.get(succ.country, ()):
            km = index.km(pred, succ)
            if km is None or km > LATER_KM or not index.apart(pred, succ):
                continue
            mine, theirs = index.partners[pred.id], index.partners[succ.id]
            shared = len(mine & theirs)
            extended = _extends(succ.name, pred.name)
            same = mine == theirs and shared >= SAME_PARTNERS_MIN
            if shared and (extended or same):
                found.append(Found("later-name", pred, succ, km, shared))
    return found


def _extends(later: str, earlier: str) -> bool:
    """The later name is the earlier one and more after a hyphen ("Vire-Normandie")."""
    return any(
        ch == "-" and fold(later[:i]) == fold(earlier) for i, ch in enumerate(later) if i > 0
    )


def find_successions(places: list[Place], table: LinkTable) -> list[Found]:
    """Every succession the rules find, in a stable order; a place is the predecessor of one
    successor at most, and no successor is itself merged into another."""
    index = _Index(places, table)
    found = _joined_name(index) + _later_name(index)
    found.sort(key=lambda f: (RULES.index(f.rule), f.successor.id, f.predecessor.id))
    kept: dict[int, Found] = {}
    twice = set()
    for item in found:
        first = kept.setdefault(item.predecessor.id, item)
        if first.successor.id != item.successor.id:
            twice.add(item.predecessor.id)
    return [f for pid, f in sorted(kept.items()) if pid not in twice and f.successor.id not in kept]


def as_successions(found: list[Found]) -> list[Succession]:
    return [Succession(f.predecessor.id, f.successor.id, "", _SOURCE[f.rule]) for f in found]
