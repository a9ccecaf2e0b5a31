"""A process killed with SIGKILL mid-write leaves a consistent database holding every
acknowledged write: the write stream and the import are really killed, repeatedly."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from jumelage.registry import Registry, initialise
from jumelage.settings import load_settings
from jumelage.store.db import make_engine
from jumelage.store.schema import audit_log, link, registry_state
from jumelage.store.schema_lifecycle import activity
from tests.builders import csv_link, write_csv

WRITER = """
import sys
from jumelage.services import activities, writing
from jumelage.store.db import make_engine
engine = make_engine(sys.argv[1])
n = 0
while True:
    n += 1
    with writing(engine, "writer") as w:
        new_id = activities.record_activity(
            w, 1, activities.ActivityInput(kind="visit", title=f"visit {n}", start_date="2024")
        )
    # Acknowledged only after the commit returned.
    print(new_id, flush=True)
"""


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'killed.sqlite3'}"
    settings = load_settings({"JUMELAGE_DATABASE_URL": url, "JUMELAGE_SECRET_KEY": "x"})
    registry = Registry(settings, make_engine(url))
    initialise(registry, "fixture")
    registry.engine.dispose()
    return url


def _consistent(url: str) -> None:
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    engine.dispose()


def _run_and_kill(
    args: list[str], env: dict[str, str], after: float, first_acks: int = 0
) -> list[str]:
    """Start a process, wait for `first_acks` acknowledgements (so it is surely
    writing), then let it run `after` seconds more and kill it."""
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    acknowledged: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            acknowledged.append(line.strip())

    reader = threading.Thread(target=read)
    reader.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < first_acks and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(after)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    reader.join()
    return acknowledged


def test_every_acknowledged_write_survives_a_kill(sqlite_url: str) -> None:
    env = {**os.environ, "JUMELAGE_DATABASE_URL": sqlite_url}
    rng = random.Random(20261125)
    acknowledged: list[int] = []
    for _round in range(5):
        got = _run_and_kill(
            [sys.executable, "-c", WRITER, sqlite_url], env, rng.uniform(0.0, 0.5), first_acks=5
        )
        acknowledged += [int(x) for x in got if x.isdigit()]
        _consistent(sqlite_url)
    assert len(acknowledged) > 20, "the writer should have acknowledged writes before the kills"
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        stored = set(conn.execute(select(activity.c.id)).scalars())
        audited = set(
            conn.execute(
                select(audit_log.c.object_id).where(audit_log.c.object_type == "activity")
            ).scalars()
        )
        version = conn.execute(select(registry_state.c.data_version)).scalar()
    assert set(acknowledged) <= stored
    # Each write and its audit record commit together, or neither does.
    assert stored == audited
    assert version is not None and version >= len(stored)


def test_a_killed_import_leaves_all_or_nothing(sqlite_url: str, tmp_path: Path) -> None:
    rows = [csv_link(f"Ort {i}", "DE", f"Ville {i}", "FR") for i in range(2500)]
    path = write_csv(tmp_path / "big.csv", rows)
    env = {**os.environ, "JUMELAGE_DATABASE_URL": sqlite_url}
    command = [sys.executable, "-m", "jumelage", "import", str(path), "--format", "csv"]
    engine = make_engine(sqlite_url)

    def links() -> int:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(link)).scalar() or 0)

    before = links()
    rng = random.Random(7)
    for _round in range(3):
        _run_and_kill(command, env, rng.uniform(1.5, 4.0))
        _consistent(sqlite_url)
        assert links() in (before, before + 2500)
        if links() == before + 2500:
            break
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert links() == before + 2500
    engine.dispose()
