"""Importers: parse a file into link records, then write them through the services.

Parsers yield `Record`s (a link between two places, as a source states it) or
`Rejected` rows (line number and reason). `apply_records` writes them in one
transaction: if any row is rejected the whole import is rolled back, unless the
caller asks to skip invalid rows. Re-importing the same file changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from jumelage.errors import Invalid, JumelageError
from jumelage.services import writing
from jumelage.services.registry import (
    PlaceFacts,
    SourceRef,
    ensure_municipality,
    record_sourced_link,
)


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


class ImportRejected(JumelageError):
    """Rows were rejected, so nothing was imported."""

    status = 422
    code = "import_rejected"

    def __init__(self, report: ImportReport) -> None:
        shown = "; ".join(f"line {r.line}: {r.reason}" for r in report.rejected[:5])
        more = len(report.rejected) - 5
        tail = f" (and {more} more)" if more > 0 else ""
        super().__init__(
            f"{len(report.rejected)} row(s) rejected, nothing imported: {shown}{tail}",
            details=report.to_dict(),
        )
        self.report = report


class _Rollback(Exception):
    pass


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
            for item in items:
                if progress is not None:
                    progress(item.line)
                if isinstance(item, Rejected):
                    report.rejected.append(item)
                    continue
                report.records += 1
                # A savepoint per row, so a refused row leaves no half-written place.
                savepoint = w.conn.begin_nested()
                try:
                    a_id, a_out = ensure_municipality(w, item.a)
                    b_id, b_out = ensure_municipality(w, item.b)
                    out = record_sourced_link(
                        w, a_id, b_id, item.level, item.source, item.start, item.end
                    )
                except Invalid as err:
                    savepoint.rollback()
                    field_note = f" ({err.field})" if err.field else ""
                    report.rejected.append(Rejected(item.line, f"{err.message}{field_note}"))
                    continue
                savepoint.commit()
                report.municipalities.update([a_out, b_out])
                report.links[out] += 1
            if report.rejected and not skip_invalid:
                raise _Rollback
    except _Rollback:
        raise ImportRejected(report) from None
    report.committed = True
    return report
