"""Source links mapped onto resolved places, and the chronicle's dated events and successions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from jumelage.dataset.sources import CHRONICLE, WIKIDATA_DATED, Dated, SourceLink, chronicle_key

LEVEL = "partnership"

# Mergers the chronicle's notes speak of: (predecessor name, country, successor QID, date).
KNOWN_SUCCESSIONS = (("Bathmen", "NL", "Q10001", "2005-01-01"),)


@dataclass(frozen=True)
class LinkSource:
    source: str
    as_of: str
    reference: str
    name_a: str
    name_b: str


@dataclass
class LinkTable:
    pairs: dict[tuple[int, int], set[LinkSource]] = field(default_factory=dict)
    self_links: Counter[str] = field(default_factory=Counter)
    per_source: Counter[str] = field(default_factory=Counter)

    def add(self, a: int, b: int, link: SourceLink) -> None:
        if a == b:
            self.self_links[link.source] += 1
            return
        name_a, name_b = link.name_a, link.name_b
        if b < a:
            a, b, name_a, name_b = b, a, name_b, name_a
        entry = LinkSource(link.source, link.as_of, link.reference, name_a, name_b)
        self.pairs.setdefault((a, b), set()).add(entry)

    def numbered(self) -> list[tuple[int, int, int]]:
        """(link id, a_id, b_id), ids in pair order."""
        return [(i, a, b) for i, (a, b) in enumerate(sorted(self.pairs), start=1)]


@dataclass(frozen=True)
class Event:
    a_id: int
    b_id: int
    event: str
    date: str
    side_id: int | None
    note: str
    source: str


@dataclass(frozen=True)
class Succession:
    predecessor_id: int
    successor_id: int
    date: str
    source: str


def chronicle_links(rows: list[dict[str, str]]) -> list[SourceLink]:
    links = []
    for row in rows:
        a = chronicle_key(
            row["municipality_a"].strip(), row["qid_a"].strip(), row["country_a"].strip()
        )
        b = chronicle_key(
            row["municipality_b"].strip(), row["qid_b"].strip(), row["country_b"].strip()
        )
        links.append(
            SourceLink(
                CHRONICLE,
                row["date"].strip(),
                row["source"].strip(),
                a,
                b,
                row["municipality_a"].strip(),
                row["municipality_b"].strip(),
            )
        )
    return links


def chronicle_events(rows: list[dict[str, str]], place_of: dict[str, int]) -> list[Event]:
    events = []
    for row, link in zip(rows, chronicle_links(rows), strict=True):
        a, b = place_of[link.a], place_of[link.b]
        by = row["by"].strip()
        side = None
        if by:
            side = a if by == link.name_a else b if by == link.name_b else None
        lo, hi = min(a, b), max(a, b)
        events.append(
            Event(
                lo,
                hi,
                row["event"].strip(),
                row["date"].strip(),
                side,
                row["note"].strip(),
                row["source"].strip(),
            )
        )
    return sorted(events, key=lambda e: (e.a_id, e.b_id, e.date, e.event))


def successions(rows: list[dict[str, str]], place_of: dict[str, int]) -> list[Succession]:
    out = []
    for name, country, successor_qid, date in KNOWN_SUCCESSIONS:
        pred = place_of.get(chronicle_key(name, "", country))
        succ = place_of.get(f"q:{successor_qid}")
        if pred is None or succ is None:
            continue
        # The chronicle row that names the predecessor also cites who recorded the merger.
        source = next(
            (
                r["source"].strip()
                for r in rows
                if name in (r["municipality_a"].strip(), r["municipality_b"].strip())
            ),
            "",
        )
        out.append(Succession(pred, succ, date, source))
    return out


@dataclass(frozen=True)
class LinkDates:
    """A link's start and end as the dated statements give them (years), and its status."""

    start: str
    end: str
    status: str


@dataclass
class DatedCounts:
    statements: int = 0
    unknown_items: int = 0  # an item no other source names
    same_place: int = 0  # both items resolved to one place
    new_links: int = 0  # pairs no other source links
    links: int = 0
    started: int = 0
    ended: int = 0
    end_contradicted: int = 0  # a source as of after the end still lists the link
    starts_disagree: int = 0


def link_dates(
    dated: list[Dated], place_of: dict[str, int], table: LinkTable, counts: DatedCounts
) -> dict[tuple[int, int], LinkDates]:
    """Per link, the earliest start and the latest end its dated statements give. An end is
    dropped when a source as of a later year still lists the link (renewed, or the end is
    wrong); the link then stays active."""
    starts: dict[tuple[int, int], set[str]] = {}
    ends: dict[tuple[int, int], set[str]] = {}
    for item in dated:
        a, b = place_of.get(item.a), place_of.get(item.b)
        if a is None or b is None:
            continue
        if a == b:
            counts.same_place += 1
            continue
        pair = (min(a, b), max(a, b))
        starts.setdefault(pair, set())
        ends.setdefault(pair, set())
        if item.start:
            starts[pair].add(item.start)
        if item.end:
            ends[pair].add(item.end)
    out = {}
    for pair in sorted(starts):
        begun = sorted(starts[pair])
        end = max(ends[pair]) if ends[pair] else ""
        counts.starts_disagree += len(begun) > 1
        if end:
            later = [s for s in table.pairs.get(pair, ()) if s.as_of[:4] > end]
            if later:
                counts.end_contradicted += 1
                end = ""
        out[pair] = LinkDates(begun[0] if begun else "", end, "ended" if end else "active")
        counts.links += 1
        counts.new_links += all(s.source == WIKIDATA_DATED for s in table.pairs.get(pair, ()))
        counts.started += bool(begun)
        counts.ended += bool(end)
    return out
