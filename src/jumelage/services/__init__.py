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

from sqlalchemy import Connection, Engine, Table, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from jumelage.domain.permissions import Principal, can, system
from jumelage.errors import Busy, Conflict, Forbidden, PreconditionFailed
from jumelage.store.db import held_by_another_write, write_engine
from jumelage.store.schema import audit_log, registry_state
from jumelage.store.version import note_local_write

# How long a write refused as busy is asked to wait before it is tried again.
RETRY_AFTER_SECONDS = 5


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Writer:
    """A transaction with its principal: who writes, and when."""

    conn: Connection
    principal: Principal
    now: dt.datetime
    changed: bool = False

    @property
    def actor(self) -> str:
        return self.principal.name

    def require(self, operation: str, *municipality_ids: int | None) -> None:
        """Refuse (403) unless the principal may do this for these municipalities."""
        ids = {m for m in municipality_ids if m is not None}
        if not can(self.principal, operation, ids):
            scope = f" for municipality {', '.join(map(str, sorted(ids)))}" if ids else ""
            raise Forbidden(
                f"{self.principal.name} ({self.principal.role}) may not {operation}{scope}",
                details={"operation": operation, "municipalities": sorted(ids)},
            )

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
def writing(engine: Engine, actor: str | Principal) -> Iterator[Writer]:
    """A write transaction; commits on success, rolls back on any exception.

    A plain name acts as the system (administrator): the CLI, importers and the
    loader. The web and API pass the signed-in user's principal.
    """
    principal = actor if isinstance(actor, Principal) else system(actor.strip())
    if not principal.name:
        raise ValueError("every write needs an actor")
    try:
        with write_engine(engine).begin() as conn:
            writer = Writer(conn, principal, utcnow())
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
    except IntegrityError as exc:
        # The services check what they know to be unique and answer with the
        # existing item; a uniqueness rule only the database saw (a concurrent
        # writer, say) is a conflict too, never an internal error.
        duplicate = unique_violation(exc)
        if duplicate is None:
            raise
        raise Conflict(
            f"the change collides with an existing record ({duplicate}); "
            "reload and apply your change to the existing one",
            details={"unique": duplicate},
        ) from None
    except OperationalError as exc:
        # Another write held the database longer than a write waits (a long
        # import holds SQLite's lock from start to end): say so, never "internal".
        if not held_by_another_write(exc):
            raise
        raise Busy(
            "the registry is busy with another write (an import, say); "
            f"nothing was written; try again in {RETRY_AFTER_SECONDS} seconds",
            details={"retry_after": RETRY_AFTER_SECONDS},
        ) from None
    # After the commit: caches of this process see the change at once.
    note_local_write()


def unique_violation(exc: IntegrityError) -> str | None:
    """What a refused write collided with, when the database refused it as a
    duplicate (SQLite: "UNIQUE constraint failed: t.c"; PostgreSQL: SQLSTATE 23505)."""
    original = exc.orig
    if getattr(original, "sqlstate", None) == "23505":
        diag = getattr(original, "diag", None)
        return str(getattr(diag, "constraint_name", None) or "unique")
    message = str(original)
    prefix = "UNIQUE constraint failed: "
    if message.startswith(prefix):
        return message[len(prefix) :]
    return None


def inserted_id(result: Any) -> int:
    """The primary key of the row an INSERT created."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def lock_row(w: Writer, table: Table, row_id: int) -> None:
    """Hold a row until the transaction ends, so that the version checked is the
    version the UPDATE replaces (optimistic locking made atomic).

    PostgreSQL: SELECT ... FOR UPDATE; a concurrent writer waits, then reads the
    committed row and gets 412. SQLite: writers already run one at a time (BEGIN
    IMMEDIATE), and the clause is left out.
    """
    w.conn.execute(select(table.c.id).where(table.c.id == row_id).with_for_update())


def check_version(current: int, expected: int | None, what: str) -> None:
    """Refuse (412) a write based on a stale read; None means the client sent no version."""
    if expected is not None and expected != current:
        raise PreconditionFailed(
            f"{what} was changed by someone else (version {current}, you sent {expected}); "
            "reload it and apply your change again",
            details={"current_version": current, "your_version": expected},
        )
