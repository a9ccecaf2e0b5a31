"""Refreshing from Wikidata as a diff: what changed there, applied where no local decision
says otherwise; the contradictions go to the curation queue with both sides' evidence.

The base of the diff is what Wikidata stated at the last refresh (`wikidata_statement`).
A local decision is a charter signing both sides confirmed, an ending recorded
through the lifecycle (by a side, or by an administrator for both), or a curator's
decision in the queue. Against those:

- a start or end date Wikidata states differently is not applied: it is queued;
- a confirmed partnership Wikidata no longer states is queued (nothing is deleted);
- a row naming a place a curator merged into another is queued, not applied;
- a place split in Wikidata (its partners now stated with new items of its name) is
  queued, and the new items' links are held, not applied, until a curator decides.

Everything else is applied: new links through the importer, dates added, dates
changed where the registry's date rests on sources alone. The registry deletes no
link because Wikidata dropped it; the report lists it. Importing the same file twice
changes nothing the second time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select

from jumelage.importers import Record, Rejected, apply_records
from jumelage.services import Writer, writing
from jumelage.services.curation import add_items
from jumelage.services.registry import PlaceFacts
from jumelage.services.wikidata import link_between, place_by_key, set_link_date
from jumelage.store.places import candidates
from jumelage.store.queries_wikidata import (
    CONFIRMED_KINDS,
    SPLIT_SUFFIX,
    held_by_splits,
    statements,
)
from jumelage.store.schema import link_event
from jumelage.store.schema_accounts import confirmation
from jumelage.store.schema_curation import curation_item, wikidata_refresh, wikidata_statement

BUNDLE_ACTORS = ("jumelage init", "dataset bundle")


@dataclass
class RefreshReport:
    """The change report: printed by --dry-run, kept for administrators after a refresh."""

    file: str
    rows: int = 0
    rejected: list[str] = field(default_factory=list)
    new_links: list[dict[str, Any]] = field(default_factory=list)
    gone_links: list[dict[str, Any]] = field(default_factory=list)
    dates_added: list[dict[str, Any]] = field(default_factory=list)
    dates_changed: list[dict[str, Any]] = field(default_factory=list)
    merged_there: list[dict[str, Any]] = field(default_factory=list)
    split_there: list[dict[str, Any]] = field(default_factory=list)
    held: list[dict[str, Any]] = field(default_factory=list)
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    applied: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "rejected": self.rejected,
            "new_links": self.new_links,
            "gone_links": self.gone_links,
            "dates_added": self.dates_added,
            "dates_changed": self.dates_changed,
            "merged_there": self.merged_there,
            "split_there": self.split_there,
            "held": self.held,
            "contradictions": self.contradictions,
            "applied": self.applied,
        }

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {len(self.new_links)} new links, {len(self.gone_links)} gone, "
            f"{len(self.dates_added)} dates added, {len(self.dates_changed)} dates changed, "
            f"{len(self.merged_there)} places merged in Wikidata, "
            f"{len(self.split_there)} split there ({len(self.held)} links held for a curator), "
            f"{len(self.contradictions)} contradicting a local decision"
            + ("" if self.applied else " (dry run: nothing written)")
        )


@dataclass
class _Plan:
    report: RefreshReport
    apply: list[Record]
    date_changes: list[tuple[int, str, str]]  # link id, column, value
    queue: list[dict[str, Any]]
    pairs: dict[tuple[str, str], Record]


def _pair(a: str, b: str) -> tuple[str, str]:
    first, second = sorted((a, b))
    return first, second


def _confirmed(conn: Connection, link_id: int) -> bool:
    return (
        conn.execute(
            select(confirmation.c.id).where(
                confirmation.c.link_id == link_id,
                confirmation.c.status == "confirmed",
                confirmation.c.kind.in_(CONFIRMED_KINDS),
            )
        ).first()
        is not None
    )


def _ended_here(conn: Connection, link_id: int) -> bool:
    """Whether someone ended the link through the lifecycle (a side, or an administrator
    for both sides); the bundle's endings rest on the sources and may be refreshed."""
    return (
        conn.execute(
            select(link_event.c.id).where(
                link_event.c.link_id == link_id,
                link_event.c.kind == "ended",
                link_event.c.actor.not_in(BUNDLE_ACTORS),
            )
        ).first()
        is not None
    )


def _kept_by_curator(conn: Connection, key_prefix: str) -> bool:
    return (
        conn.execute(
            select(curation_item.c.id).where(
                curation_item.c.key.startswith(key_prefix), curation_item.c.decision == "reject"
            )
        ).first()
        is not None
    )


def _contradiction(
    pair: tuple[str, str], what: str, registry: dict[str, Any], wikidata: dict[str, Any]
) -> dict[str, Any]:
    return {
        "key": f"refresh_contradiction:{pair[0]}|{pair[1]}:{what}",
        "kind": "refresh_contradiction",
        "places": list(pair),
        "reason": {
            "start": "Wikidata states another start than the one both sides confirmed",
            "end": "Wikidata states another end than the ending recorded here",
            "gone": "Wikidata no longer states a partnership both sides confirmed",
            "merged_here": "Wikidata states a link of a place a curator merged into another",
        }[what],
        "evidence": [{"side": "registry", **registry}, {"side": "wikidata", **wikidata}],
        "what": what,
    }


def _names(record: Record) -> dict[str, Any]:
    return {"a": record.a.qid, "a_name": record.a.name, "b": record.b.qid, "b_name": record.b.name}


def plan(conn: Connection, items: list[Record | Rejected], file: str) -> _Plan:
    report = RefreshReport(file=file)
    pairs: dict[tuple[str, str], Record] = {}
    facts: dict[str, PlaceFacts] = {}
    for item in items:
        if isinstance(item, Rejected):
            report.rejected.append(f"row {item.line}: {item.reason}")
            continue
        report.rows += 1
        if item.a.qid and item.b.qid:
            pairs.setdefault(_pair(item.a.qid, item.b.qid), item)
            facts.setdefault(item.a.qid, item.a)
            facts.setdefault(item.b.qid, item.b)
    known = statements(conn)
    out = _Plan(report, [], [], [], pairs)
    split_olds = _split_there(conn, known, pairs, facts, out)
    waiting = held_by_splits(conn) | {q for s in report.split_there for q in s["into"]}
    waiting = {q for q in waiting if place_by_key(conn, q) is None}
    for pair, record in pairs.items():
        if waiting & set(pair):
            report.held.append({**_names(record), "start": record.start, "end": record.end})
            continue
        places = [place_by_key(conn, q) for q in pair]
        merged = [p for p in places if p is not None and p.merged_into_id is not None]
        if merged:
            evidence = {"merged_into_id": merged[0].merged_into_id, "place": merged[0].name}
            found = _contradiction(pair, "merged_here", evidence, _names(record))
            report.contradictions.append(found)
            out.queue.append(found)
            continue
        row = None
        if places[0] is not None and places[1] is not None:
            row = link_between(conn, places[0].id, places[1].id)
        if row is None:
            report.new_links.append({**_names(record), "start": record.start, "end": record.end})
            out.apply.append(record)
            continue
        for column, value in (("start_date", record.start), ("end_date", record.end)):
            what = "start" if column == "start_date" else "end"
            held = getattr(row, column)
            if value is None or held == value:
                continue
            change = {**_names(record), "link_id": row.id, "field": what, "registry": held}
            change["wikidata"] = value
            if held is None:
                report.dates_added.append(change)
                if not out.apply or out.apply[-1] is not record:
                    out.apply.append(record)
                continue
            local = (
                _confirmed(conn, row.id) if what == "start" else _ended_here(conn, row.id)
            ) or _kept_by_curator(conn, f"refresh_contradiction:{pair[0]}|{pair[1]}:{what}")
            if local:
                found = _contradiction(
                    pair, what, {"link_id": row.id, what: held}, {**_names(record), what: value}
                )
                report.contradictions.append(found)
                out.queue.append(found)
            else:
                report.dates_changed.append(change)
                out.date_changes.append((row.id, column, value))
    _gone(conn, known, pairs, out)
    _merged_there(known, pairs, out, split_olds)
    return out


def _gone(
    conn: Connection,
    known: dict[tuple[str, str], dict[str, Any]],
    pairs: dict[tuple[str, str], Record],
    out: _Plan,
) -> None:
    for pair in sorted(set(known) - set(pairs)):
        places = [place_by_key(conn, q) for q in pair]
        row = None
        if places[0] is not None and places[1] is not None:
            row = link_between(conn, places[0].id, places[1].id)
        gone = {"a": pair[0], "b": pair[1], "link_id": row.id if row is not None else None}
        out.report.gone_links.append(gone)
        if row is not None and _confirmed(conn, row.id):
            item = _contradiction(
                pair, "gone", {"link_id": row.id, "confirmed": True}, {"stated": False}
            )
            if not _kept_by_curator(conn, item["key"]):
                out.report.contradictions.append(item)
                out.queue.append(item)


def _partners(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Each QID's partners in a set of P190 pairs."""
    out: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        out[a].add(b)
        out[b].add(a)
    return out


def _merged_there(
    known: dict[tuple[str, str], dict[str, Any]],
    pairs: dict[tuple[str, str], Record],
    out: _Plan,
    split: set[str],
) -> None:
    """A QID gone from Wikidata whose partners now appear with another QID: merged there.
    Each becomes a suspected duplicate in the queue, for a curator to merge here too
    (unless the QID's partners went to several items of its name: split there)."""
    before, after = _partners(known), _partners(pairs)
    for old in sorted(set(before) - set(after) - split):
        partners = before[old]
        if len(partners) < 2:
            continue
        counts: dict[str, int] = defaultdict(int)
        for partner in partners:
            for other in after.get(partner, ()):
                if other != old:
                    counts[other] += 1
        best = max(counts.items(), key=lambda kv: (kv[1], kv[0]), default=None)
        if best is None or best[1] * 2 < len(partners) + 1:
            continue
        new = best[0]
        out.report.merged_there.append({"from": old, "into": new, "shared_partners": best[1]})
        out.queue.append(
            {
                "key": f"duplicate:{'|'.join(sorted((old, new)))}",
                "kind": "duplicate",
                "places": [new, old],
                "reason": f"merged in Wikidata: {old} into {new}, "
                f"{best[1]} of its {len(partners)} partners now with {new}",
                "evidence": [
                    {"key": new, "partners": sorted(after[new])},
                    {"key": old, "partners": sorted(partners)},
                ],
            }
        )


def _split_there(
    conn: Connection,
    known: dict[tuple[str, str], dict[str, Any]],
    pairs: dict[tuple[str, str], Record],
    facts: dict[str, PlaceFacts],
    out: _Plan,
) -> set[str]:
    """A place of the registry whose partners Wikidata now states with new items of its
    name: split there. The mirror of `_merged_there`, from what the file carries (each
    side's QID, label and country, no redirects). A *newcomer* is a QID the last refresh
    did not state and the registry does not hold; it is a part of the old place `old` when

    - its label names the registry's place of `old` (a name the place holds in some
      language, in the newcomer's country: the place resolver's folded names), and
    - it is now twinned with at least one of the partners `old` had at the last refresh.

    `old` (with two or more partners then) was split when it is still stated with one
    such newcomer or more, or is gone and two or more newcomers took its partners. A
    split is never applied: it goes to the queue with both sides' evidence, and the
    newcomers' links are held until a curator decides. Returns the split QIDs."""
    before, after = _partners(known), _partners(pairs)
    parts: dict[str, list[str]] = defaultdict(list)
    for new in sorted(set(after) - set(before)):
        olds = {old for partner in after[new] for old in before.get(partner, ())}
        if not olds or new not in facts or place_by_key(conn, new) is not None:
            continue
        named = {c.id for c in candidates(conn, facts[new].name, facts[new].country)}
        for old in sorted(olds):
            place = place_by_key(conn, old)
            if place is not None and place.id in named and len(before[old]) >= 2:
                parts[old].append(new)
    split: set[str] = set()
    for old, news in sorted(parts.items()):
        stated = old in after
        if not stated and len(news) < 2:
            continue  # one item in its place: renumbered or merged there, not split
        split.add(old)
        place = place_by_key(conn, old)
        out.report.split_there.append(
            {"from": old, "name": place.name, "into": news, "still_stated": stated}
        )
        registry_side = {
            "side": "registry",
            "key": old,
            "name": place.name,
            "qid": old,
            "country": place.country,
            "lat": place.lat,
            "lon": place.lon,
            "partners": sorted(before[old]),
            "partner_count": len(before[old]),
        }
        wikidata_sides = [
            {
                "side": f"wikidata {qid}",
                "key": qid,
                "name": facts[qid].name if qid in facts else place.name,
                "qid": qid,
                "country": facts[qid].country if qid in facts else None,
                "lat": facts[qid].lat if qid in facts else None,
                "lon": facts[qid].lon if qid in facts else None,
                "partners": sorted(after.get(qid, ())),
                "partner_count": len(after.get(qid, ())),
            }
            for qid in ([old] if stated else []) + news
        ]
        out.queue.append(
            {
                "key": f"refresh_contradiction:{'|'.join([old, *news])}{SPLIT_SUFFIX}",
                "kind": "refresh_contradiction",
                "places": [old, *news],
                "reason": f"split in Wikidata: {place.name} ({old}) now also appears as "
                f"{', '.join(news)}, of the same name, with some of its partners; "
                "not applied: the new items' links wait for a curator",
                "evidence": [registry_side, *wikidata_sides],
            }
        )
    return split


def refresh(
    engine: Engine,
    items: list[Record | Rejected],
    file: Path,
    actor: str,
    as_of: str | None = None,
    dry_run: bool = False,
) -> RefreshReport:
    """Diff a Wikidata file against the registry; unless `dry_run`, apply what no local
    decision contradicts, queue the contradictions and keep the report."""
    with engine.connect() as conn:
        planned = plan(conn, items, file.name)
    report = planned.report
    if dry_run:
        return report
    if planned.apply:
        apply_records(engine, planned.apply, actor, skip_invalid=True)
    with writing(engine, actor) as w:
        w.require("import")
        for link_id, column, value in planned.date_changes:
            set_link_date(w, link_id, column, value)
        add_items(w, planned.queue, "refresh")
        _replace_statements(w, planned.pairs, as_of)
        report.applied = True
        w.conn.execute(
            insert(wikidata_refresh).values(
                at=w.now, actor=w.actor, file=file.name[:300], report=report.to_dict()
            )
        )
    return report


def _replace_statements(w: Writer, pairs: dict[tuple[str, str], Record], as_of: str | None) -> None:
    known = statements(w.conn)
    wanted = {pair: {"start": r.start, "end": r.end, "as_of": as_of} for pair, r in pairs.items()}
    if {p: (v["start"], v["end"]) for p, v in known.items()} == {
        p: (v["start"], v["end"]) for p, v in wanted.items()
    }:
        return
    w.conn.execute(delete(wikidata_statement))
    rows = [
        {"a_qid": a, "b_qid": b, "start_date": v["start"], "end_date": v["end"], "as_of": as_of}
        for (a, b), v in sorted(wanted.items())
    ]
    for start in range(0, len(rows), 1000):
        w.conn.execute(insert(wikidata_statement), rows[start : start + 1000])
