"""Small helpers the services share: checked texts, choices, counts and soft-deleted rows
(dates: `jumelage.domain.dates.checked_date` and `checked_period`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Table, select, update

from jumelage.errors import Invalid, NotFound
from jumelage.services import Writer, check_version

# The reference lists shipped with the package (programmes, DAC list, networks).
REFERENCE = Path(__file__).resolve().parent.parent / "data" / "reference"


def checked_text(
    value: str | None, field: str, max_length: int, required: bool = True
) -> str | None:
    if value is None or not value.strip():
        if required:
            raise Invalid(f"{field} is required", field=field, rule="required")
        return None
    if len(value) > max_length:
        raise Invalid(f"{field} is at most {max_length} characters", field=field, rule="max_length")
    return value.strip()


def checked_choice(value: str | None, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        raise Invalid(f"{field} must be one of {', '.join(allowed)}", field=field, rule="choice")
    return value


def checked_count(value: int | None, field: str, maximum: int = 10_000_000) -> int | None:
    if value is None:
        return None
    if not 0 <= value <= maximum:
        raise Invalid(f"{field} must lie within 0..{maximum}", field=field, rule="range")
    return value


def checked_list(values: list[str] | None, field: str, max_items: int = 50) -> list[str]:
    items = [v.strip() for v in values or [] if v and v.strip()]
    if len(items) > max_items:
        raise Invalid(f"{field} holds at most {max_items} entries", field=field, rule="max_items")
    if any(len(v) > 200 for v in items):
        raise Invalid(f"each entry of {field} is at most 200 characters", field=field)
    return items


def live_row(w: Writer, table: Table, row_id: int, what: str) -> Any:
    """The live row, locked until the transaction ends (see `jumelage.services.lock_row`)."""
    row = w.conn.execute(
        select(table).where(table.c.id == row_id, table.c.deleted_at.is_(None)).with_for_update()
    ).first()
    if row is None:
        raise NotFound(f"no {what} with id {row_id}")
    return row


def update_row(
    w: Writer,
    table: Table,
    row: Any,
    changes: dict[str, Any],
    expected_version: int | None,
    what: str,
) -> None:
    """Change fields of a row with optimistic locking and an audit record."""
    check_version(row.version, expected_version, f"{what} {row.id}")
    changes = {k: v for k, v in changes.items() if getattr(row, k) != v}
    if not changes:
        return
    result = w.conn.execute(
        update(table)
        .where(table.c.id == row.id, table.c.version == row.version)
        .values(**changes, updated_at=w.now, version=table.c.version + 1)
    )
    # Someone else wrote between our read and this update.
    check_version(row.version + (0 if result.rowcount else 1), row.version, f"{what} {row.id}")
    w.audit("update", table.name, row.id, {k: getattr(row, k) for k in changes}, changes)


def soft_delete(w: Writer, table: Table, row: Any, expected_version: int | None, what: str) -> None:
    check_version(row.version, expected_version, f"{what} {row.id}")
    result = w.conn.execute(
        update(table)
        .where(table.c.id == row.id, table.c.version == row.version)
        .values(deleted_at=w.now, updated_at=w.now, version=table.c.version + 1)
    )
    check_version(row.version + (0 if result.rowcount else 1), row.version, f"{what} {row.id}")
    w.audit("delete", table.name, row.id, {"deleted_at": None}, {"deleted_at": w.now})
