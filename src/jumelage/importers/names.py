"""A file of names by language: the names a registry's pages show, set for many places
at once (an umbrella body's list of French names, say). Each row goes through
`services.registry.set_language_name`, as a change on a place's page would; the file
is applied in one transaction, all rows or none, and applying it again changes nothing.

Columns (header row required; order free; unknown columns ignored):

    place, country, lang, name

`place` is what the place resolver takes (an id, a QID, a name; `country`, optional,
narrows a name); `lang` is de, en or fr; `name` is the name those pages show (empty:
the place's main name).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from jumelage.errors import Invalid
from jumelage.importers import ImportRejected, Rejected, unquote_cell
from jumelage.services import writing
from jumelage.services.registry import set_language_name
from jumelage.store.places import resolve

COLUMNS = ("place", "country", "lang", "name")
REQUIRED = ("place", "lang", "name")


@dataclass(frozen=True)
class NameRow:
    line: int
    place: str
    country: str | None
    lang: str
    name: str | None


@dataclass
class NamesReport:
    rows: int = 0
    set: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    committed: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "set": self.set,
            "unchanged": self.unchanged,
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejected],
            "committed": self.committed,
        }


def parse(path: Path) -> list[NameRow | Rejected]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise Invalid(f"{path.name} is not UTF-8 text ({err.reason} at byte {err.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise Invalid(
            f"{path.name}: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}",
            field="header",
            rule="columns",
        )
    rows: list[NameRow | Rejected] = []
    for row in reader:
        if None in row:
            rows.append(Rejected(reader.line_num, "more values than columns"))
            continue
        country = (row.get("country") or "").strip().upper() or None
        rows.append(
            NameRow(
                reader.line_num,
                (row.get("place") or "").strip(),
                country,
                (row.get("lang") or "").strip(),
                unquote_cell((row.get("name") or "").strip()) or None,
            )
        )
    return rows


class _Rollback(Exception):
    pass


def apply_names(
    engine: Engine, rows: list[NameRow | Rejected], actor: str, dry_run: bool = False
) -> NamesReport:
    """Set every row's name in one transaction; any rejected row rejects the file.
    `dry_run`: the same checks and counts, nothing kept."""
    report = NamesReport()
    try:
        with writing(engine, actor) as w:
            for row in rows:
                if isinstance(row, Rejected):
                    report.rejected.append(row)
                    continue
                report.rows += 1
                try:
                    place = resolve(w.conn, row.place, row.country, field="place")
                    changed = set_language_name(w, place, row.lang, row.name)
                except Invalid as err:
                    report.rejected.append(Rejected(row.line, err.message))
                    continue
                if changed:
                    report.set += 1
                else:
                    report.unchanged += 1
            if report.rejected or dry_run:
                raise _Rollback
    except _Rollback:
        if report.rejected:
            raise ImportRejected(report, "no name set") from None
        return report
    report.committed = True
    return report
