"""Many rows into one table at once, with the ids of new rows when asked.

On PostgreSQL this is SQLAlchemy's executemany (batched "insertmanyvalues", with
RETURNING for the ids). On SQLite, whose driver runs in this process, the rows go
straight to the driver's `executemany` with each column's bind processor applied
once per distinct value object (the timestamp of a write is one object), and the
ids are given explicitly: the import holds SQLite's write lock (BEGIN IMMEDIATE)
from start to end, and SQLite itself would pick the same ones (max(id) + 1, …).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select


def insert_rows(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], ids: bool = False
) -> list[int]:
    """Insert `rows` (all with the same keys); returns their new ids if `ids`."""
    if not rows:
        return []
    if conn.dialect.name != "sqlite":
        if not ids:
            conn.execute(insert(table), list(rows))
            return []
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return [int(i) for i in conn.execute(statement, list(rows)).scalars()]
    new_ids: list[int] = []
    columns = list(rows[0])
    if ids:
        first = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        new_ids = list(range(first, first + len(rows)))
        columns = ["id", *columns]
    params = _tuples(conn, table, columns, rows, new_ids)
    quote = conn.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, params)
    finally:
        cursor.close()
    return new_ids


def _tuples(
    conn: Connection,
    table: Table,
    columns: list[str],
    rows: Sequence[dict[str, Any]],
    ids: list[int],
) -> list[Any]:
    """The rows as tuples in `columns` order, each value through its column's processor."""
    given = columns[1:] if ids else columns
    get = itemgetter(*given)
    processors = [(i, _processor(conn, table, c)) for i, c in enumerate(given)]
    processed = [(i, p) for i, p in processors if p is not None]
    if not processed and len(given) > 1:
        if ids:
            return [(i, *get(row)) for i, row in zip(ids, rows, strict=True)]
        return [get(row) for row in rows]
    found: list[Any] = []
    for number, row in enumerate(rows):
        values = get(row)
        values = list(values) if len(given) > 1 else [values]
        for i, process in processed:
            values[i] = process(values[i])
        found.append((ids[number], *values) if ids else tuple(values))
    return found


def _processor(conn: Connection, table: Table, column: str) -> Callable[[Any], Any] | None:
    process = table.c[column].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    if process is None:
        return None
    last: list[Any] = [_NOTHING, None]

    def once_per_object(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, process(value)
        return last[1]

    return once_per_object


_NOTHING = object()
