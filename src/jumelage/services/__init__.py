"""The one write path. API, forms, CLI and importers all call these functions.

A write runs inside `writing(engine, actor)`: one transaction that also records
the audit trail and bumps the registry's data version. If anything raises, the
transaction rolls back and nothing changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, update

from jumelage.store.db import write_engine
from jumelage.store.schema import audit_log, registry_state


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Writer:
    """A transaction with its actor: who writes, and when."""

    conn: Connection
    actor: str
    now: dt.datetime
    changed: bool = False

    def audit(
        self,
        action: str,
        object_type: str,
        object_id: int | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        self.changed = True
        self.conn.execute(
            insert(audit_log).values(
                at=self.now,
                actor=self.actor,
                action=action,
                object_type=object_type,
                object_id=object_id,
                before=_jsonable(before),
                after=_jsonable(after),
            )
        )


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {
        k: (v.isoformat() if isinstance(v, dt.datetime | dt.date) else v) for k, v in values.items()
    }


@contextmanager
def writing(engine: Engine, actor: str) -> Iterator[Writer]:
    """A write transaction; commits on success, rolls back on any exception."""
    if not actor or not actor.strip():
        raise ValueError("every write needs an actor")
    with write_engine(engine).begin() as conn:
        writer = Writer(conn, actor.strip(), utcnow())
        yield writer
        # Every change writes an audit record; a transaction without one changed
        # nothing, and caches keyed on the data version stay valid.
        if not writer.changed:
            return
        conn.execute(
            update(registry_state)
            .where(registry_state.c.id == 1)
            .values(data_version=registry_state.c.data_version + 1)
        )


def inserted_id(result: Any) -> int:
    """The primary key of the row an INSERT created."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
