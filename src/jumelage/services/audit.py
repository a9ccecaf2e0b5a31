"""Reverting a recorded change: an administrator puts the values before it back.

The revert is itself a change with its own audit record; nothing is erased. A
change can be reverted only while the object still holds the values it set:
if someone changed the object since, the later change must be reverted first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, insert, select, update

from jumelage.errors import Conflict, Invalid, NotFound
from jumelage.services import Writer
from jumelage.store.schema import audit_log, link_event, metadata

# Tables whose rows a revert may change: they carry a version, so concurrent
# edits are noticed.
REVERTIBLE = (
    "municipality",
    "link",
    "charter",
    "link_terms",
    "activity",
    "contact",
    "partner_search",
    "search_answer",
    "official",
    "ambassador",
    "actor",
    "link_actor",
    "award",
    "programme",
    "dev_project",
    "funding_grant",
)


def _comparable(value: Any) -> Any:
    """Values as the audit log stores them; SQLite hands back naive UTC datetimes."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat()
    return value.isoformat() if isinstance(value, dt.date) else value


def revert(w: Writer, audit_id: int) -> dict[str, Any]:
    w.require("audit.revert")
    entry = w.conn.execute(select(audit_log).where(audit_log.c.id == audit_id)).first()
    if entry is None:
        raise NotFound(f"no recorded change with id {audit_id}")
    if entry.object_type not in REVERTIBLE or entry.object_id is None:
        raise Invalid(
            f"a {entry.action} of {entry.object_type} cannot be reverted here",
            field="audit_id",
            rule="revertible",
        )
    table = metadata.tables[entry.object_type]
    row = w.conn.execute(select(table).where(table.c.id == entry.object_id)).first()
    if row is None:
        raise NotFound(f"{entry.object_type} {entry.object_id} no longer exists")
    restore = _restore_values(entry, table)
    after = entry.after or {}
    changed_since = [k for k in restore if k in after and _comparable(getattr(row, k)) != after[k]]
    if changed_since:
        raise Conflict(
            f"{entry.object_type} {entry.object_id} changed since ({', '.join(changed_since)}); "
            "revert the later change first",
            details={"fields": changed_since},
        )
    current = {k: _comparable(getattr(row, k)) for k in restore}
    w.conn.execute(
        update(table)
        .where(table.c.id == row.id)
        .values(**_db_values(table, restore), version=table.c.version + 1)
    )
    if entry.object_type == "link":
        w.conn.execute(
            insert(link_event).values(
                link_id=row.id,
                kind="reverted",
                reason=f"change {audit_id} ({entry.action}) reverted",
                data={"audit_id": audit_id, "restored": restore},
                actor=w.actor,
                recorded_at=w.now,
            )
        )
    w.audit("revert", entry.object_type, entry.object_id, current, {**restore, "reverts": audit_id})
    return {"object_type": entry.object_type, "object_id": entry.object_id, "restored": restore}


def _restore_values(entry: Any, table: Any) -> dict[str, Any]:
    if entry.action == "create" and "deleted_at" in table.c:
        return {"deleted_at": "now"}
    if entry.action == "delete":
        return {"deleted_at": None}
    before = entry.before or {}
    values = {k: v for k, v in before.items() if k in table.c and k not in ("id", "version")}
    if not values:
        raise Invalid(
            f"change {entry.id} ({entry.action}) recorded no earlier values to restore",
            field="audit_id",
            rule="revertible",
        )
    return values


def _db_values(table: Any, values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        column = table.c[key]
        if value == "now" and key == "deleted_at":
            out[key] = dt.datetime.now(dt.UTC)
        elif isinstance(value, str) and isinstance(column.type, DateTime):
            out[key] = dt.datetime.fromisoformat(value)
        else:
            out[key] = value
    return out
