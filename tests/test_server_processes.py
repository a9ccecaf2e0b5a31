"""Real `jumelage serve` processes: several servers with several workers on one
database, and the memory a worker keeps for anonymous callers.

A write through one server must be seen by the next read through any worker of
any other server (each worker asks the database's data version before it answers
from its cache), on SQLite and PostgreSQL. And 1,000 distinct anonymous URLs must
leave a worker's resident memory within its response cache's bound
(`JUMELAGE_RESPONSE_CACHE_MB`) plus 12 MiB for the allocator.
"""

from __future__ import annotations

import csv
import http.client
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.builders import token_for
from tests.test_server import _free_port, _wait_until_serving

# What a worker's resident memory may grow by beyond its cache's bound.
ALLOWANCE_MB = 12
CACHE_MB = 4


@contextmanager
def serving(data_dir: Path, workers: int, **env: str) -> Iterator[tuple[int, int]]:
    """A server on a port of its own: (port, the server process's pid)."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "jumelage", "serve", "--port", str(port), "--workers", str(workers)],
        env={
            **os.environ,
            "JUMELAGE_DATA_DIR": str(data_dir),
            "JUMELAGE_LOG_LEVEL": "warning",
            "JUMELAGE_WARM_UP": "0",
            "JUMELAGE_SECRET_KEY": "test-secret",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_serving(port)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def _ask(port: int, method: str, path: str, headers: dict[str, str] | None = None, body=None):
    """One request on a connection of its own, so the kernel may hand it to any worker."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        data = json.dumps(body).encode() if body is not None else None
        sent = {**(headers or {}), **({"Content-Type": "application/json"} if data else {})}
        connection.request(method, path, body=data, headers=sent)
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()


def test_a_write_through_one_server_is_seen_by_the_next_read_through_every_worker_of_another(
    loaded_engine, tmp_path
):
    url = loaded_engine.url.render_as_string(hide_password=False)
    token = token_for(loaded_engine, "umbrella", "admin", [])
    admin = {"Authorization": f"Bearer {token}"}
    with (
        serving(tmp_path / "one", 2, JUMELAGE_DATABASE_URL=url) as (one, _),
        serving(tmp_path / "two", 2, JUMELAGE_DATABASE_URL=url) as (two, _),
    ):
        # Both servers' workers read Köln (and keep the answer) before the write.
        for port in (one, two) * 10:
            status, _headers, body = _ask(port, "GET", "/api/v1/municipalities/Q365")
            assert status == 200
        before = json.loads(body)["population"]
        _status, headers, _body = _ask(one, "GET", "/api/v1/municipalities/Q365")
        status, _headers, _body = _ask(
            one,
            "PATCH",
            "/api/v1/municipalities/Q365",
            {**admin, "If-Match": headers["etag"]},
            {"population": before + 1},
        )
        assert status == 200
        # Twenty new connections: the kernel spreads them over the second server's
        # two workers; every one answers with the write.
        seen = [
            json.loads(_ask(two, "GET", "/api/v1/municipalities/Q365")[2])["population"]
            for _ in range(20)
        ]
        assert seen == [before + 1] * 20


def _registry_of_many_links(data_dir: Path) -> None:
    """6,000 partnerships between 6,000 towns, imported as a user would."""
    rnd = random.Random(1)
    path = data_dir / "links.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["a_name", "a_country", "b_name", "b_country", "level", "start_date"])
        for n in range(6000):
            a, b = rnd.sample(range(3000), 2)
            out.writerow(
                [f"Neustadt {a}", "DE", f"Villeneuve {b}", "FR", "partnership", 1950 + n % 70]
            )
    subprocess.run(
        [sys.executable, "-m", "jumelage", "import", str(path), "--format", "csv"],
        env={**os.environ, "JUMELAGE_DATA_DIR": str(data_dir)},
        check=True,
        capture_output=True,
    )


def _resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_1000_distinct_anonymous_urls_leave_a_workers_memory_within_its_cache_bound(tmp_path):
    _registry_of_many_links(tmp_path)
    # One worker: the server process is the worker.
    with serving(tmp_path, 1, JUMELAGE_RESPONSE_CACHE_MB=str(CACHE_MB)) as (port, pid):
        total = 0
        for offset in range(50):  # the same kind of answer, so that the code paths are warm
            total += len(_ask(port, "GET", f"/api/v1/links?limit=100&offset={offset}")[2])
        before = _resident_mb(pid)
        for offset in range(100, 1100):
            status, _headers, body = _ask(port, "GET", f"/api/v1/links?limit=100&offset={offset}")
            assert status == 200
            total += len(body)
        grown = _resident_mb(pid) - before
    # The answers were worth more than twice the bound: kept whole they would not fit.
    assert total / 2**20 > 2 * (CACHE_MB + ALLOWANCE_MB)
    assert grown <= CACHE_MB + ALLOWANCE_MB, f"the worker grew by {grown:.0f} MiB"
