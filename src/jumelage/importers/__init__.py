"""Importers: parse a file into link records, then write them through the services.

Parsers yield `Record`s (a link between two places, as a source states it) or
`Rejected` rows (line number and reason). `apply_records` writes them in one
transaction: if any row is rejected the whole import is rolled back, unless the
caller asks to skip invalid rows. Re-importing the same file changes nothing.

The records are written in bulk: batches of records are worked through in memory
by the rules of `services.registry.ensure_municipality` and `record_sourced_link`
(a refused record undoes what it did, as a savepoint per row would), then written
with one statement per table, audit records included (`bulk_places`,
`bulk_links`). The outcome is the one those services reach row by row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import Engine

from jumelage.errors import Invalid, JumelageError
from jumelage.importers.bulk_links import Links, Op
from jumelage.importers.bulk_places import Audit, Places
from jumelage.services import Writer, writing
from jumelage.services.registry import PlaceFacts, SourceRef, check_sourced_link
from jumelage.store.bulk import insert_rows
from jumelage.store.schema import audit_log

# `exports.safe_cell` puts an apostrophe before text a spreadsheet would read as a
# formula; the importers read such a cell back without it, so an export imports back
# unchanged.
_QUOTED = ("'=", "'+", "'-", "'@")


def unquote_cell(value: str) -> str:
    """A CSV cell as the registry wrote it, without the apostrophe of `safe_cell`."""
    return value[1:] if value.startswith(_QUOTED) else value


@dataclass
class Record:
    line: int
    a: PlaceFacts
    b: PlaceFacts
    level: str
    source: SourceRef
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str


@dataclass
class ImportReport:
    records: int = 0
    links: Counter[str] = field(default_factory=Counter)
    municipalities: Counter[str] = field(default_factory=Counter)
    rejected: list[Rejected] = field(default_factory=list)
    committed: bool = False

    @property
    def changed(self) -> bool:
        return bool(
            self.links["created"]
            + self.links["updated"]
            + self.municipalities["created"]
            + self.municipalities["updated"]
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "records": self.records,
            "links": dict(self.links),
            "municipalities": dict(self.municipalities),
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejected],
            "committed": self.committed,
        }


class Report(Protocol):
    rejected: list[Rejected]

    def to_dict(self) -> dict[str, object]: ...


class ImportRejected(JumelageError):
    """Rows were rejected, so nothing was imported (`outcome` says what did not happen)."""

    status = 422
    code = "import_rejected"

    def __init__(self, report: Report, outcome: str = "nothing imported") -> None:
        shown = "; ".join(f"line {r.line}: {r.reason}" for r in report.rejected[:5])
        more = len(report.rejected) - 5
        tail = f" (and {more} more)" if more > 0 else ""
        super().__init__(
            f"{len(report.rejected)} row(s) rejected, {outcome}: {shown}{tail}",
            details=report.to_dict(),
        )
        self.report = report


class _Rollback(Exception):
    pass


BATCH = 1000


def apply_records(
    engine: Engine,
    items: Iterable[Record | Rejected],
    actor: str,
    skip_invalid: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Write parsed records in one transaction; see the module's docstring."""
    report = ImportReport()
    try:
        with writing(engine, actor) as w:
            places = Places(w.conn, w.now)
            links = Links(w.conn, w.now, w.actor)
            for batch in _batches(items, BATCH):
                _apply_batch(batch, places, links, report, progress)
                _write_audit(w, places.audits + links.audits)
                places.audits, links.audits = [], []
            if report.rejected and not skip_invalid:
                raise _Rollback
    except _Rollback:
        raise ImportRejected(report) from None
    report.committed = True
    return report


def _batches(items: Iterable[Record | Rejected], size: int) -> Iterator[list[Record | Rejected]]:
    batch: list[Record | Rejected] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _apply_batch(
    batch: list[Record | Rejected],
    places: Places,
    links: Links,
    report: ImportReport,
    progress: Callable[[int], None] | None,
) -> None:
    """The places of every record in order (a refused record leaves nothing), then,
    with the new places' ids known, their links."""
    places.prefetch(f for r in batch if isinstance(r, Record) for f in (r.a, r.b))
    ops: list[Op] = []
    for item in batch:
        if progress is not None:
            progress(item.line)
        if isinstance(item, Rejected):
            report.rejected.append(item)
            continue
        report.records += 1
        places.begin()
        try:
            a, a_out = places.ensure(item.a)
            b, b_out = places.ensure(item.b)
            start, end = check_sourced_link(a is b, item.level, item.start, item.end)
        except Invalid as err:
            places.undo()
            field_note = f" ({err.field})" if err.field else ""
            report.rejected.append(Rejected(item.line, f"{err.message}{field_note}"))
            continue
        report.municipalities.update([a_out, b_out])
        ops.append(Op(a, b, item.level, item.source, start, end))
    links.fresh_places.update(places.flush())
    links.read(ops)
    for op in ops:
        report.links[links.record(op)] += 1
    links.flush()


def _write_audit(w: Writer, audits: list[Audit]) -> None:
    """One audit record per change, as `Writer.audit` writes them, in one statement."""
    if not audits:
        return
    w.changed = True
    insert_rows(
        w.conn,
        audit_log,
        [
            {
                "at": w.now,
                "actor": w.actor,
                "action": action,
                "object_type": object_type,
                "object_id": target.id,
                "before": before,
                "after": after,
            }
            for action, object_type, target, before, after in audits
        ],
    )
