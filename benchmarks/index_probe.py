"""What an index on link(a_id) would change: the links of a place, found by SQL.

The schema indexes `link.b_id` and the live (a_id, b_id, level) triples only, so
`WHERE a_id = ?` scans the table. This probe copies the database, adds
`CREATE INDEX ix_link_a_id ON link (a_id)` to the copy, and times the query that
Datasette's canned query (and any SQL client) runs for a place's links, for the
same sample of places, on both files.
"""

from __future__ import annotations

import shutil
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


def probe(database: Path, ids: list[int], work: Path) -> dict[str, float]:
    copy = work / "index-probe.sqlite3"
    shutil.copyfile(database, copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("CREATE INDEX ix_link_a_id ON link (a_id)")
    found = {"without_ms": _time(database, ids), "with_ms": _time(copy, ids)}
    copy.unlink()
    return found
