"""What the index on link(a_id) changes: the links of a place, found by SQL.

Migration 0003 adds `ix_link_a_id`; before it, `link` was indexed on `b_id` and
on the live (a_id, b_id, level) triples only, so `WHERE a_id = ?` scanned the
table. This probe copies the database twice, drops the index from one copy, and
times the query that Datasette's canned query (and any SQL client) runs for a
place's links, for the same sample of places, on both.
"""

from __future__ import annotations

import sqlite3
import statistics
import time
from pathlib import Path

QUERY = "select id from link where a_id = :id union all select id from link where b_id = :id"


def _time(database: Path, ids: list[int]) -> float:
    """Median milliseconds per lookup over three passes through the sample."""
    with sqlite3.connect(database) as conn:
        passes = []
        for _ in range(3):
            started = time.perf_counter()
            for mid in ids:
                conn.execute(QUERY, {"id": mid}).fetchall()
            passes.append((time.perf_counter() - started) / len(ids) * 1000)
    return statistics.median(passes)


def _copy(database: Path, target: Path, index: bool) -> Path:
    target.unlink(missing_ok=True)
    with sqlite3.connect(database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
        copy.execute("DROP INDEX IF EXISTS ix_link_a_id")
        if index:
            copy.execute("CREATE INDEX ix_link_a_id ON link (a_id)")
    return target


def probe(database: Path, ids: list[int], work: Path) -> dict[str, float]:
    without = _copy(database, work / "probe-without.sqlite3", index=False)
    with_index = _copy(database, work / "probe-with.sqlite3", index=True)
    found = {"without_ms": _time(without, ids), "with_ms": _time(with_index, ids)}
    without.unlink()
    with_index.unlink()
    return found
