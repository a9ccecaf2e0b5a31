"""Online backup and restore of the whole registry, on SQLite and PostgreSQL alike.

A backup is a gzip-compressed file of JSON lines: a header (format, schema
revision, time), then for each table a line naming it and its columns and one
line per row. It is read inside one snapshot transaction, so a backup taken
while the app serves writes is consistent. A restore recreates the schema at the
backup's revision, inserts every row in one transaction, then migrates to the
newest revision: a backup from an older version of jumelage restores too.
"""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Table,
    delete,
    func,
    insert,
    inspect,
    select,
    update,
)

from jumelage.errors import Conflict, Invalid
from jumelage.store.db import current_revision, migrate, sync_sequences, write_engine
from jumelage.store.schema import metadata

FORMAT = "jumelage-backup"
VERSION = 1


@dataclass
class BackupReport:
    path: str
    revision: str | None
    tables: int
    rows: int


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    if engine.dialect.name == "postgresql":
        connection = engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with connection as conn, conn.begin():
            yield conn
        return
    # In WAL mode a read transaction sees one snapshot until it ends.
    with engine.connect() as conn, conn.begin():
        yield conn


def _tables() -> list[Table]:
    """Every table but the caches (the derived values are computed again from the data)."""
    return [t for t in metadata.sorted_tables if not t.info.get("cache")]


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat()
    return value


def backup(engine: Engine, path: Path) -> BackupReport:
    """Write a consistent backup of every table to `path` (atomically: temp file, rename)."""
    revision = current_revision(engine)
    if revision is None:
        raise Conflict("the database has no schema yet; nothing to back up")
    temp = path.with_name(path.name + ".partial")
    rows = 0
    with gzip.open(temp, "wb", compresslevel=6) as out:
        header = {
            "format": FORMAT,
            "version": VERSION,
            "revision": revision,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "dialect": engine.dialect.name,
        }
        out.write(orjson.dumps(header) + b"\n")
        with _snapshot(engine) as conn:
            for table in _tables():
                rows += _dump_table(conn, table, out)
    temp.replace(path)
    return BackupReport(str(path), revision, len(_tables()), rows)


def _dump_table(conn: Connection, table: Table, out: gzip.GzipFile) -> int:
    names = [c.name for c in table.c]
    out.write(orjson.dumps({"table": table.name, "columns": names}) + b"\n")
    count = 0
    order = table.c.id if "id" in table.c else next(iter(table.c))
    for row in conn.execute(select(table).order_by(order)):
        out.write(orjson.dumps([_encode(v) for v in row]) + b"\n")
        count += 1
    return count


def _read(path: Path) -> tuple[dict[str, Any], dict[str, tuple[list[str], list[list[Any]]]]]:
    try:
        with gzip.open(path, "rb") as handle:
            header = orjson.loads(handle.readline())
            if header.get("format") != FORMAT:
                raise Invalid(f"{path.name} is not a jumelage backup", field="file")
            tables: dict[str, tuple[list[str], list[list[Any]]]] = {}
            current: list[list[Any]] = []
            for line in handle:
                item = orjson.loads(line)
                if isinstance(item, dict):
                    current = []
                    tables[item["table"]] = (item["columns"], current)
                else:
                    current.append(item)
    except (OSError, EOFError, orjson.JSONDecodeError) as err:
        raise Invalid(f"{path.name} cannot be read as a backup: {err}", field="file") from None
    return header, tables


def _is_empty(engine: Engine) -> bool:
    existing = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        return all(
            not conn.execute(select(func.count()).select_from(metadata.tables[name])).scalar()
            for name in ("municipality", "account")
            if name in existing
        )


def restore(engine: Engine, path: Path) -> BackupReport:
    """Restore a backup into an empty database (nothing is overwritten)."""
    header, tables = _read(path)
    if not _is_empty(engine):
        raise Conflict(
            "the target database holds data; restore into an empty database "
            "(a new JUMELAGE_DATABASE_URL)"
        )
    migrate(engine, header["revision"])
    rows = 0
    with write_engine(engine).begin() as conn:
        for table in _tables():
            if table.name not in tables:
                continue
            columns, data = tables[table.name]
            # The migrations seed some rows (the registry state); the backup's replace them.
            conn.execute(delete(table))
            rows += _load_table(conn, table, columns, data)
        sync_sequences(conn)
    migrate(engine)
    return BackupReport(str(path), header["revision"], len(tables), rows)


def _load_table(conn: Connection, table: Table, columns: list[str], data: list[list[Any]]) -> int:
    known = [c for c in columns if c in table.c]
    # Rows that point at rows of their own table (a merged municipality) are
    # inserted without the pointer first, and pointed afterwards.
    self_refs = [c.name for c in table.c if any(fk.column.table is table for fk in c.foreign_keys)]
    rows = []
    for raw in data:
        record = dict(zip(columns, raw, strict=True))
        rows.append({c: _decode(table, c, record[c]) for c in known})
    pointers = [
        (r["id"], {c: r[c] for c in self_refs}) for r in rows if any(r[c] for c in self_refs)
    ]
    for r in rows:
        for c in self_refs:
            r[c] = None
    for start in range(0, len(rows), 2000):
        conn.execute(insert(table), rows[start : start + 2000])
    for row_id, pointer in pointers:
        conn.execute(update(table).where(table.c.id == row_id).values(**pointer))
    return len(rows)


def _decode(table: Table, column: str, value: Any) -> Any:
    if value is not None and isinstance(table.c[column].type, DateTime):
        return dt.datetime.fromisoformat(value)
    return value


def rows_of(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, comparable across backends (for round-trip checks)."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in _tables():
            order = table.c.id if "id" in table.c else next(iter(table.c))
            found[table.name] = [
                tuple(_encode(v) for v in row)
                for row in conn.execute(select(table).order_by(order))
            ]
    return found
