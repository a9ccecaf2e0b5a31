"""The links of a bulk import: `record_sourced_link`'s rules, applied in memory.

Runs after the batch's places have ids. The links between places that existed
before the import are read with their sources (by `b_id`, which is indexed);
links created by the import stay in memory. New links, their "recorded" history
events, date fills, new or re-dated sources and their audit records are written
in bulk when the batch is flushed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from jumelage.importers.bulk_places import CHUNK, Audit
from jumelage.services.registry import SourceRef
from jumelage.store.bulk import insert_rows
from jumelage.store.schema import link, link_event, link_source

_ORDER = count(1)
NEW_LINK_ORDER = 1 << 62


@dataclass(eq=False)
class Source:
    source: str
    reference: str
    name_a: str | None
    name_b: str | None
    as_of: str | None
    id: int | None = None
    before: dict[str, Any] | None = None  # as_of before this import changed it


@dataclass(eq=False)
class Link:
    a_id: int
    b_id: int
    level: str
    status: str
    start_date: str | None
    end_date: str | None
    id: int | None = None
    order: int = 0  # the id, or a number after every id for a link made now
    sources: list[Source] = field(default_factory=list)
    fills: dict[str, Any] = field(default_factory=dict)
    updates: int = 0


@dataclass
class Op:
    """One record's link, in the order the records came."""

    first: Any  # bulk_places.Place
    second: Any
    level: str
    source: SourceRef
    start: str | None
    end: str | None


class Links:
    def __init__(self, conn: Connection, now: Any, actor: str) -> None:
        self.conn = conn
        self.now = now
        self.actor = actor
        self.by_pair: dict[tuple[int, int, str], list[Link]] = {}
        self.by_id: dict[int, Link] = {}
        self.b_read: set[int] = set()
        self.fresh_places: set[int] = set()
        self.new: list[tuple[Link, dict[str, Any], str]] = []  # link, values, event source
        self.new_sources: list[tuple[Link, Source]] = []
        self.touched: set[Link] = set()
        self.redated: list[Source] = []
        self.audits: list[Audit] = []

    def read(self, ops: list[Op]) -> None:
        """Read the links (and sources) of the pairs whose places both existed before."""
        wanted = {
            max(op.first.id, op.second.id)
            for op in ops
            if op.first.id not in self.fresh_places and op.second.id not in self.fresh_places
        }
        ids = sorted(wanted - self.b_read)
        found: dict[int, Link] = {}
        for start in range(0, len(ids), CHUNK):
            rows = self.conn.execute(
                select(link).where(link.c.b_id.in_(ids[start : start + CHUNK]))
            )
            for r in rows:
                if r.id in self.by_id:
                    continue
                item = Link(r.a_id, r.b_id, r.level, r.status, r.start_date, r.end_date, r.id, r.id)
                found[r.id] = self.by_id[r.id] = item
                self.by_pair.setdefault((r.a_id, r.b_id, r.level), []).append(item)
        self.b_read.update(ids)
        link_ids = sorted(found)
        for start in range(0, len(link_ids), CHUNK):
            rows = self.conn.execute(
                select(link_source)
                .where(link_source.c.link_id.in_(link_ids[start : start + CHUNK]))
                .order_by(link_source.c.id)
            )
            for r in rows:
                found[r.link_id].sources.append(
                    Source(r.source, r.reference, r.name_a, r.name_b, r.as_of, r.id)
                )

    def record(self, op: Op) -> str:
        """As `services.registry.record_sourced_link` after its checks: the outcome."""
        first, second = op.first.id, op.second.id
        swap = first > second
        a_id, b_id = (second, first) if swap else (first, second)
        source = op.source
        name_a, name_b = (source.name_b, source.name_a) if swap else (source.name_a, source.name_b)
        # The live link of the pair and level, else the latest ended one.
        candidates = self.by_pair.get((a_id, b_id, op.level), [])
        existing = min(candidates, key=lambda k: (k.status == "ended", -k.order), default=None)
        outcome = "unchanged"
        if existing is None:
            existing = self._create(a_id, b_id, op.level, source, op.start, op.end)
            outcome = "created"
        elif self._fill(existing, op.start, op.end):
            outcome = "updated"
        if self._upsert_source(existing, source, name_a, name_b) and outcome == "unchanged":
            outcome = "updated"
        return outcome

    def _create(
        self,
        a_id: int,
        b_id: int,
        level: str,
        source: SourceRef,
        start: str | None,
        end: str | None,
    ) -> Link:
        status = "ended" if end else "active"
        item = Link(a_id, b_id, level, status, start, end, order=NEW_LINK_ORDER + next(_ORDER))
        values = {
            "a_id": a_id,
            "b_id": b_id,
            "level": level,
            "status": status,
            "status_a": status,
            "status_b": status,
            "start_date": start,
            "end_date": end,
        }
        self.by_pair.setdefault((a_id, b_id, level), []).append(item)
        self.new.append((item, values, f"{source.source}: {source.reference}"))
        self.audits.append(("create", "link", item, None, values))
        return item

    def _fill(self, item: Link, start: str | None, end: str | None) -> bool:
        fills = {}
        if start and not item.start_date:
            fills["start_date"] = start
        if end and not item.end_date:
            fills["end_date"] = end
        if not fills:
            return False
        item.start_date = item.start_date or start
        item.end_date = item.end_date or end
        item.fills.update(fills)
        item.updates += 1
        self.touched.add(item)
        self.audits.append(("update", "link", item, {k: None for k in fills}, fills))
        return True

    def _upsert_source(
        self, item: Link, source: SourceRef, name_a: str | None, name_b: str | None
    ) -> bool:
        for held in item.sources:
            if (held.source, held.reference, held.name_a, held.name_b) == (
                source.source,
                source.reference,
                name_a,
                name_b,
            ):
                if held.as_of == source.as_of:
                    return False
                before = {"as_of": held.as_of}
                held.as_of = source.as_of
                if held.id is not None:
                    held.before = held.before or before
                    self.redated.append(held)
                self.audits.append(("update", "link_source", item, before, {"as_of": held.as_of}))
                return True
        held = Source(source.source, source.reference, name_a, name_b, source.as_of)
        item.sources.append(held)
        self.new_sources.append((item, held))
        self.audits.append(
            (
                "create",
                "link_source",
                item,
                None,
                {"source": source.source, "reference": source.reference, "as_of": source.as_of},
            )
        )
        return True

    def flush(self) -> None:
        self._insert_links()
        self._write_fills()
        if self.new_sources:
            ids = insert_rows(
                self.conn,
                link_source,
                [
                    {
                        "link_id": item.id,
                        "source": s.source,
                        "reference": s.reference,
                        "name_a": s.name_a,
                        "name_b": s.name_b,
                        "as_of": s.as_of,
                    }
                    for item, s in self.new_sources
                ],
                ids=True,
            )
            for (_item, held), new_id in zip(self.new_sources, ids, strict=True):
                held.id = new_id
        if self.redated:
            self.conn.execute(
                update(link_source)
                .where(link_source.c.id == bindparam("v_id"))
                .values(as_of=bindparam("v_as_of")),
                [{"v_id": s.id, "v_as_of": s.as_of} for s in dict.fromkeys(self.redated)],
            )
        self.new_sources, self.redated = [], []

    def _insert_links(self) -> None:
        if not self.new:
            return
        rows = []
        for item, _values, _src in self.new:
            status = item.status
            rows.append(
                {
                    "a_id": item.a_id,
                    "b_id": item.b_id,
                    "level": item.level,
                    "status": status,
                    "status_a": status,
                    "status_b": status,
                    "start_date": item.start_date,
                    "end_date": item.end_date,
                    "version": 1 + item.updates,
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        ids = insert_rows(self.conn, link, rows, ids=True)
        for (item, _values, _src), new_id in zip(self.new, ids, strict=True):
            item.id = new_id
            self.by_id[item.id] = item
            item.fills, item.updates = {}, 0
            self.touched.discard(item)
        insert_rows(
            self.conn,
            link_event,
            [
                {
                    "link_id": item.id,
                    "kind": "recorded",
                    "date": values["start_date"],
                    "to_value": item.level,
                    "source": src,
                    "actor": self.actor,
                    "recorded_at": self.now,
                }
                for item, values, src in self.new
            ],
        )
        self.new = []

    def _write_fills(self) -> None:
        groups: dict[tuple[str, ...], list[Link]] = {}
        for item in self.touched:
            groups.setdefault(tuple(sorted(item.fills)), []).append(item)
        for columns, members in groups.items():
            statement = (
                update(link)
                .where(link.c.id == bindparam("v_id"))
                .values(
                    {c: bindparam(f"v_{c}") for c in columns}
                    | {
                        "updated_at": bindparam("v_now"),
                        "version": link.c.version + bindparam("v_n"),
                    }
                )
            )
            self.conn.execute(
                statement,
                [
                    {"v_id": k.id, "v_now": self.now, "v_n": k.updates}
                    | {f"v_{c}": k.fills[c] for c in columns}
                    for k in members
                ],
            )
        for item in self.touched:
            item.fills, item.updates = {}, 0
        self.touched = set()
