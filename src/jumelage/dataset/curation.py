"""The curation queue's candidates: what the build is not sure of, for a curator to decide.

Each rule is simple enough to be explained in one sentence on the item itself:

- `duplicate`: two places of one country with the same folded name, one of them
  without coordinates; two places of which one lacks a country or coordinates
  and which share at least three partners, most of the smaller one's; or two places of
  one country with the same folded name and a partner in common.
- `uncertain_merge`: a pair the build considered merging but kept apart
  (`uncertain.csv`), with the build's reason.
- `suspicious_point`: a located place whose nearest located place of the same
  country lies more than 500 km away (its country has at least five located places).
- `unlabelled`: a place with no name in any interface language (de, en, fr).

Places are named by stable keys (`place_key`): the Wikidata QID, else the
country and name as the bundle states them, so a decision outlives row ids.
Written as `curation.jsonl` into the bundle folder (`python -m
jumelage.dataset.curation FOLDER`); the bundle loader reads it.
"""

from __future__ import annotations

import csv
import gzip
import math
import sys
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path
from typing import IO, Any

import orjson

from jumelage.domain.names import fold

FILE = "curation.jsonl"
KINDS = ("duplicate", "uncertain_merge", "suspicious_point", "unlabelled", "refresh_contradiction")
INTERFACE_LANGUAGES = ("de", "en", "fr")
FAR_KM = 500.0
MIN_SHARED = 3


def place_key(qid: str | None, name: str, country: str | None) -> str:
    """A place's key that survives a rebuild: its QID, else country and name."""
    if qid:
        return qid
    return f"{country or '--'}:{name}"


def item_key(kind: str, keys: Iterable[str]) -> str:
    return f"{kind}:{'|'.join(sorted(keys))}"


def _open(folder: Path, stem: str) -> IO[str] | None:
    if (folder / f"{stem}.csv.gz").exists():
        return gzip.open(folder / f"{stem}.csv.gz", "rt", encoding="utf-8", newline="")
    if (folder / f"{stem}.csv").exists():
        return (folder / f"{stem}.csv").open(encoding="utf-8", newline="")
    return None


def _rows(folder: Path, stem: str) -> list[dict[str, str]]:
    handle = _open(folder, stem)
    if handle is None:
        return []
    with handle:
        return list(csv.DictReader(handle))


def _float(text: str | None) -> float | None:
    return float(text) if text and text.strip() else None


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


class Places:
    """The places of a bundle (or of any list of rows shaped like municipalities.csv), their
    partners and names, as the candidate rules read them."""

    def __init__(
        self,
        rows: Iterable[dict[str, str]],
        links: Iterable[tuple[int, int]],
        names: Iterable[dict[str, str]] = (),
    ) -> None:
        self.rows = {int(r["id"]): r for r in rows}
        self.partners: dict[int, set[int]] = defaultdict(set)
        for a, b in links:
            if a != b:
                self.partners[a].add(b)
                self.partners[b].add(a)
        self.names: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for r in names:
            self.names[int(r["municipality_id"])][r["lang"] or "und"].append(r["name"])

    @classmethod
    def of_folder(cls, folder: Path) -> Places:
        links = ((int(r["a_id"]), int(r["b_id"])) for r in _rows(folder, "links"))
        return cls(_rows(folder, "municipalities"), links, _rows(folder, "names"))

    def key(self, pid: int) -> str:
        r = self.rows[pid]
        return place_key(r["qid"] or None, r["name"], r["country"] or None)

    def point(self, pid: int) -> tuple[float, float] | None:
        r = self.rows[pid]
        lat, lon = _float(r["lat"]), _float(r["lon"])
        return (lat, lon) if lat is not None and lon is not None else None

    def evidence(self, pid: int) -> dict[str, Any]:
        """What the bundle says of a place, as the item shows it side by side."""
        r = self.rows[pid]
        return {
            "key": self.key(pid),
            "name": r["name"],
            "qid": r["qid"] or None,
            "country": r["country"] or None,
            "lat": _float(r["lat"]),
            "lon": _float(r["lon"]),
            "population": int(r["population"]) if r.get("population") else None,
            "partners": sorted(self.rows[p]["name"] for p in self.partners[pid])[:30],
            "partner_count": len(self.partners[pid]),
            "names": {lang: sorted(set(n))[:5] for lang, n in sorted(self.names[pid].items())},
        }


def _item(kind: str, places: Places, ids: list[int], reason: str, **extra: Any) -> dict[str, Any]:
    keys = [places.key(p) for p in ids]
    return {
        "key": item_key(kind, keys),
        "kind": kind,
        "places": keys,
        "reason": reason,
        "evidence": [places.evidence(p) for p in ids],
        **extra,
    }


# A duplicate found: (kept place, duplicate, reason, partners in common).
Found = tuple[int, int, str, int]


def same_name_unplaced(places: Places) -> list[Found]:
    """Duplicate rule `same-name-unplaced`: two places of one country with the same folded
    name, one of them without coordinates."""
    found: list[Found] = []
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pid, r in places.rows.items():
        if r["country"]:
            by_name[(r["country"], fold(r["name"]))].append(pid)
    for group in by_name.values():
        for a, b in combinations(sorted(group), 2):
            if (places.point(a) is None) == (places.point(b) is None):
                continue
            keep, dup = (a, b) if places.point(a) is not None else (b, a)
            reason = "same name in the same country; one of the two has no coordinates"
            found.append((keep, dup, reason, len(places.partners[a] & places.partners[b])))
    return found


def shared_partners_incomplete(places: Places) -> list[Found]:
    """Duplicate rule `shared-partners`: two places of which one lacks a country or
    coordinates and which share at least three partners, most of the smaller one's."""
    found: list[Found] = []
    incomplete = [p for p, r in places.rows.items() if not r["country"] or places.point(p) is None]
    for dup in incomplete:
        mine = places.partners[dup]
        if len(mine) < MIN_SHARED:
            continue
        others: dict[int, int] = defaultdict(int)
        for partner in mine:
            for other in places.partners[partner]:
                if other != dup:
                    others[other] += 1
        for other, shared in others.items():
            smaller = min(len(mine), len(places.partners[other]))
            if shared < MIN_SHARED or shared * 3 < smaller * 2 or other in mine:
                continue
            complete_other = places.rows[other]["country"] and places.point(other) is not None
            keep, drop = (other, dup) if complete_other else tuple(sorted((other, dup)))
            reason = (
                f"{shared} partners in common, most of the smaller one's; one of the two "
                "lacks a country or coordinates"
            )
            found.append((keep, drop, reason, shared))
    return found


def same_name_partner(places: Places) -> list[Found]:
    """Duplicate rule `same-name-partner`: two places of one country with the same folded
    name and a partner in common (a town is seldom twinned with two namesakes of one
    country); the place with a Wikidata item, else the more partnered one, is kept."""
    found: list[Found] = []
    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pid, r in places.rows.items():
        if r["country"] and places.partners[pid]:
            by_name[(r["country"], fold(r["name"]))].append(pid)
    for group in by_name.values():
        for a, b in combinations(sorted(group), 2):
            shared = len(places.partners[a] & places.partners[b])
            if not shared or b in places.partners[a]:
                continue
            keep, dup = sorted(
                (a, b), key=lambda p: (not places.rows[p]["qid"], -len(places.partners[p]), p)
            )
            reason = f"same name in the same country and {shared} partner(s) in common"
            found.append((keep, dup, reason, shared))
    return found


# The duplicate rules by name, in the order their items are kept when two find one pair.
DUPLICATE_RULES = (
    ("same-name-unplaced", same_name_unplaced),
    ("shared-partners", shared_partners_incomplete),
    ("same-name-partner", same_name_partner),
)


def _duplicates(places: Places) -> list[dict[str, Any]]:
    items: dict[str, dict[str, Any]] = {}
    for _, rule in DUPLICATE_RULES:
        for keep, dup, reason, shared in rule(places):
            item = _item("duplicate", places, [keep, dup], reason, shared_partners=shared)
            items.setdefault(item["key"], item)
    return list(items.values())


def repeated_partnerships(places: Places, pairs: Iterable[tuple[int, int]]) -> int:
    """Links that repeat a partnership because one end is duplicated: for each duplicate
    pair, the partners linked to both of its places (each such partner carries one link too
    many)."""
    seen: set[tuple[int, int, int]] = set()
    for a, b in pairs:
        for partner in places.partners[a] & places.partners[b]:
            seen.add((partner, min(a, b), max(a, b)))
    return len(seen)


def duplicate_figures(places: Places) -> dict[str, int]:
    """Pairs each duplicate rule finds, every pair any rule finds, and the partnerships those
    pairs repeat: the figures the build report shows before and after resolution."""
    figures: dict[str, int] = {}
    pairs: set[tuple[int, int]] = set()
    for name, rule in DUPLICATE_RULES:
        found = {(min(a, b), max(a, b)) for a, b, _, _ in rule(places)}
        figures[name] = len(found)
        pairs |= found
    figures["any rule"] = len(pairs)
    figures["repeated partnerships"] = repeated_partnerships(places, sorted(pairs))
    return figures


def _uncertain(folder: Path, places: Places) -> list[dict[str, Any]]:
    items = []
    for r in _rows(folder, "uncertain"):
        a, b = int(r["a_id"]), int(r["b_id"])
        if a not in places.rows or b not in places.rows:
            continue
        items.append(
            _item(
                "uncertain_merge",
                places,
                [a, b],
                f"kept apart by the build: {r['reason']}",
                name_score=_float(r.get("name_score")),
                distance_km=_float(r.get("distance_km")),
                shared_partners=int(r["shared_partners"] or 0),
            )
        )
    return items


def _suspicious_points(places: Places) -> list[dict[str, Any]]:
    by_country: dict[str, list[tuple[int, tuple[float, float]]]] = defaultdict(list)
    for pid, r in places.rows.items():
        point = places.point(pid)
        if r["country"] and point is not None:
            by_country[r["country"]].append((pid, point))
    items = []
    for located in by_country.values():
        if len(located) < 5:
            continue
        for pid, point in located:
            nearest = min(_km(point, q) for other, q in located if other != pid)
            if nearest > FAR_KM:
                items.append(
                    _item(
                        "suspicious_point",
                        places,
                        [pid],
                        f"the nearest place of the same country lies {nearest:.0f} km away",
                        nearest_km=round(nearest),
                    )
                )
    return items


def _unlabelled(places: Places) -> list[dict[str, Any]]:
    return [
        _item(
            "unlabelled",
            places,
            [pid],
            "no name in German, English or French",
        )
        for pid in places.rows
        if not any(places.names[pid].get(lang) for lang in INTERFACE_LANGUAGES)
    ]


def candidates(folder: Path) -> list[dict[str, Any]]:
    """Every candidate of a bundle folder, in a stable order."""
    places = Places.of_folder(folder)
    found = (
        _duplicates(places)
        + _uncertain(folder, places)
        + _suspicious_points(places)
        + _unlabelled(places)
    )
    unique = {item["key"]: item for item in found}
    return sorted(unique.values(), key=lambda i: (KINDS.index(i["kind"]), i["key"]))


def write_candidates(folder: Path) -> dict[str, int]:
    """Write `curation.jsonl` into the bundle folder; returns the count per kind."""
    items = candidates(folder)
    with (folder / FILE).open("wb") as out:
        for item in items:
            out.write(orjson.dumps(item, option=orjson.OPT_SORT_KEYS) + b"\n")
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item["kind"]] += 1
    return dict(counts)


if __name__ == "__main__":
    for target in sys.argv[1:] or [str(Path(__file__).parent.parent / "data" / "bundled")]:
        print(target, write_candidates(Path(target)))
