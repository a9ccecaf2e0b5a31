"""Engines and migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from jumelage.store.schema import metadata

MIGRATIONS = Path(__file__).parent / "migrations"

# Routes do their database work on a worker's threads (JUMELAGE_THREADS: 2 on SQLite,
# 20 on PostgreSQL, in each of two pools, `api.offload`), each request on a
# connection of its own; the warm-up and the derived values' background computation
# take more. A connection given back beyond the pool's size is closed, and the next
# request opens one again (on SQLite with its four pragmas, on PostgreSQL a new
# server process): under load that churn cost more than the queries. SQLite
# connections are cheap to keep, so the pool has room for far more threads than run;
# a PostgreSQL server counts connections against `max_connections` for every worker,
# so its pool keeps half of the two pools' 40 and opens the rest when needed.
SQLITE_POOL = {"pool_size": 40, "max_overflow": 10}
# How long a write waits for another write's lock (a long import holds it from
# start to end) before it gives up with `errors.Busy`.
SQLITE_BUSY_MS = 10_000
# PostgreSQL's answers that mean "another transaction was in the way; the same
# request may succeed when tried again": serialization failure, deadlock, lock
# not available.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
POSTGRESQL_POOL = {"pool_size": 20, "max_overflow": 20}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so
    # that SAVEPOINTs and rollbacks work as written (SQLAlchemy's pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside the one writer and keeps a crash from
    # corrupting the file; synchronous=FULL makes every acknowledged commit
    # survive a power loss too (writes are rare here, reads are not).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def held_by_another_write(exc: OperationalError) -> bool:
    """Whether a failed statement failed only because another write was in the way."""
    original = exc.orig
    if getattr(original, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    return str(original).startswith(("database is locked", "database table is locked"))


def _sqlite_begin(conn: Connection) -> None:
    # Writers take the write lock up front (BEGIN IMMEDIATE): a deferred
    # transaction that reads first and then writes can fail with SQLITE_BUSY when
    # another writer committed in between; waiting for the lock cannot.
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    # Straight to the driver: through SQLAlchemy's execution layer (events, a
    # result object) the BEGIN cost about 40 µs, a fifth of a municipality's answer.
    driver = conn.connection.driver_connection
    assert driver is not None
    try:
        driver.execute(f"BEGIN {mode}")
    except sqlite3.OperationalError as exc:
        # As SQLAlchemy reports a failed statement, so callers catch one kind.
        raise OperationalError(f"BEGIN {mode}", None, exc) from None


def write_engine(engine: Engine) -> Engine:
    """The engine to open write transactions with (BEGIN IMMEDIATE on SQLite)."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; creates the SQLite file's directory if needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        if database and database != ":memory:":
            kwargs = {**SQLITE_POOL, **kwargs}
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **{**POSTGRESQL_POOL, **kwargs})


def read_engine(engine: Engine) -> Engine:
    """The engine for reads that need no snapshot across their statements.

    On PostgreSQL its connections run in autocommit: each statement is its own
    transaction, which under READ COMMITTED is the snapshot each statement had
    anyway, and the BEGIN and ROLLBACK around a read (two of its three round trips)
    are not sent. On SQLite, where a transaction holds one snapshot for all its
    statements, the engine itself.
    """
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (the same migrations on every backend)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def is_migrated(engine: Engine) -> bool:
    if "alembic_version" not in inspect(engine).get_table_names():
        return False
    return current_revision(engine) == head_revision()


def sync_sequences(conn: Connection) -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        conn.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            ),
            {"t": table.name},
        )
