"""The project's own CSV format for links (the same columns `jumelage export --format csv`
writes, so an export imports back unchanged).

Columns (header row required; order free; unknown columns are ignored):

    a_id, a_qid, a_name, a_country, a_lat, a_lon,
    b_id, b_qid, b_name, b_country, b_lat, b_lon,
    level, start_date, end_date, source, as_of, reference

A place is identified by its QID, or else by its exact name and country. `a_id` and `b_id`
(optional) are the places' ids in the registry that wrote the file: rows with one id name one
place, and a place without a QID is matched by name only when that is unambiguous, else
created, so an export imports into an empty registry without a guess.
`level` defaults to partnership; `source` defaults to the file's name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from jumelage.domain.vocabulary import LEVELS
from jumelage.errors import Invalid
from jumelage.importers import Record, Rejected, unquote_cell
from jumelage.services.registry import PlaceFacts, SourceRef

REQUIRED = ("a_name", "b_name")
COLUMNS = (
    "a_id",
    "a_qid",
    "a_name",
    "a_country",
    "a_lat",
    "a_lon",
    "b_id",
    "b_qid",
    "b_name",
    "b_country",
    "b_lat",
    "b_lon",
    "level",
    "start_date",
    "end_date",
    "source",
    "as_of",
    "reference",
)


def _float(row: dict[str, str], key: str) -> float | None:
    raw = (row.get(key) or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise Invalid(f"{key}={raw!r} is not a number", field=key, rule="number") from None


def _place(row: dict[str, str], side: str, scope: str = "") -> PlaceFacts:
    def text(key: str) -> str | None:
        value = (row.get(f"{side}_{key}") or "").strip()
        return value or None

    name = text("name")
    if name is None:
        raise Invalid(f"{side}_name is empty", field=f"{side}_name", rule="required")
    country = text("country")
    return PlaceFacts(
        name=name,
        qid=(text("qid") or "").upper() or None,
        country=country.upper() if country else None,
        lat=_float(row, f"{side}_lat"),
        lon=_float(row, f"{side}_lon"),
        ref=f"{scope}#{own}" if (own := text("id")) else None,
    )


def parse(path: Path, default_source: str | None = None) -> Iterator[Record | Rejected]:
    source_name = default_source or f"import:{path.name}"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise Invalid(f"{path.name} is not UTF-8 text ({err.reason} at byte {err.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise Invalid(
            f"{path.name}: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}",
            field="header",
            rule="columns",
        )
    for raw in reader:
        line = reader.line_num
        if None in raw:
            yield Rejected(line, "more values than columns")
            continue
        row = {k: unquote_cell(v) if isinstance(v, str) else v for k, v in raw.items()}
        try:
            level = (row.get("level") or "partnership").strip()
            if level not in LEVELS:
                raise Invalid(f"level {level!r} is not one of {', '.join(LEVELS)}", field="level")
            yield Record(
                line=line,
                a=_place(row, "a", path.name),
                b=_place(row, "b", path.name),
                level=level,
                source=SourceRef(
                    source=(row.get("source") or "").strip() or source_name,
                    as_of=(row.get("as_of") or "").strip() or None,
                    reference=(row.get("reference") or "").strip(),
                    name_a=(row.get("a_name") or "").strip() or None,
                    name_b=(row.get("b_name") or "").strip() or None,
                ),
                start=(row.get("start_date") or "").strip() or None,
                end=(row.get("end_date") or "").strip() or None,
            )
        except Invalid as err:
            yield Rejected(line, err.message)
