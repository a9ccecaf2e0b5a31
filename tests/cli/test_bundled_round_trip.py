"""The bundled registry's CSV export imports into an empty registry without a loss:
every link with its level, status and dates, every linked place with its QID, name,
country and point; nothing refused as ambiguous (the export carries the ids)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _jumelage(data_dir: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "jumelage", *args],
        env={**os.environ, "JUMELAGE_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _registry(path: Path) -> tuple[list[tuple], set[tuple]]:
    conn = sqlite3.connect(path)
    try:
        key = "coalesce(m.qid, m.name || '/' || coalesce(m.country, ''))"
        links = sorted(
            (min(a, b), max(a, b), *rest)
            for a, b, *rest in conn.execute(
                f"""select {key.replace("m.", "a.")}, {key.replace("m.", "b.")},
                           l.level, l.status, l.start_date, l.end_date
                    from link l join municipality a on a.id = l.a_id
                                join municipality b on b.id = l.b_id"""
            )
        )
        places = set(
            conn.execute(
                """select qid, name, country, round(lat, 5), round(lon, 5) from municipality
                   where id in (select a_id from link union select b_id from link)"""
            )
        )
    finally:
        conn.close()
    return links, places


def test_the_bundled_registry_exported_as_csv_imports_into_an_empty_one_unchanged(tmp_path):
    first, second = tmp_path / "bundled", tmp_path / "imported"
    _jumelage(first, "init")
    exported = tmp_path / "links.csv"
    _jumelage(first, "export", "--format", "csv", "--output", str(exported))
    report = json.loads(_jumelage(second, "import", str(exported), "--format", "csv", "--json"))
    links, places = _registry(first / "jumelage.sqlite3")
    assert report["rejected"] == []
    assert report["links"]["created"] == len(links) > 30_000
    again_links, again_places = _registry(second / "jumelage.sqlite3")
    assert again_links == links
    assert again_places == places
