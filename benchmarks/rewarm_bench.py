"""Reads right after a burst of writes, on two servers sharing one database.

    python benchmarks/rewarm_bench.py [--data-dir DIR] [--runs 3] [--seconds 30]
        [--writes 40] [--baseline COMMIT] [--backends sqlite,postgresql]

Two `jumelage serve --workers 2` servers (with their warm-up, as shipped) on one
database: the bundled registry in SQLite (both servers on one file) and in a
throw-away PostgreSQL server (`.ci/postgres.sh`, two data folders as on two
machines). Each run measures 64 connections (32 per server, wrk on loopback)
reading a mix of pages for `--seconds`: once quiet, with every derived value
computed, and once right after a burst of `--writes` API writes (a population
changed through PATCH, alternating between the servers), while the new data
version's statistics, map and matcher are computed. Requests per second, p99 and
errors; with `--baseline`, the same on that commit's code (before the values
were shared between processes). Written to benchmarks/REWARM.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import servers
from loadgen import Run, run_wrk
from postgres import Postgres
from postgres import start as start_postgres
from servers import Server, get
from tools import baseline_source, git, machine

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CONNECTIONS = 64

# What a visitor reads: the pages made of derived values (statistics, network
# figures, the map's data, partner recommendations) and single objects.
PATHS = (
    "/api/v1/stats/decades",
    "/api/v1/stats/rankings/municipalities?limit=20",
    "/api/v1/stats/rankings/countries",
    "/api/v1/stats/network",
    "/api/v1/municipalities/Q365/recommendations",
    "/map/data.json?lang=en",
    "/statistics",
    "/api/v1/municipalities/Q365",
    "/api/v1/municipalities/Q90",
    "/api/v1/municipalities/Q90/partners",
)
GZIP = ("Accept-Encoding: gzip",)  # as a browser asks for the map's data
WRITTEN = ("Q1726", "Q1055", "Q64", "Q1718", "Q2090", "Q1794", "Q1731", "Q586")


def cli(data_dir: Path, url: str | None, *args: str, src: Path | None = None) -> str:
    env = {**os.environ, "JUMELAGE_DATA_DIR": str(data_dir), "JUMELAGE_SECRET_KEY": "bench"}
    env.pop("JUMELAGE_DATABASE_URL", None)
    if url:
        env["JUMELAGE_DATABASE_URL"] = url
    if src is not None:
        env["PYTHONPATH"] = str(src)
    done = subprocess.run(
        [sys.executable, "-m", "jumelage", *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"jumelage {' '.join(args)}: {done.stdout} {done.stderr}")
    return done.stdout


def prepare_sqlite(data_dir: Path) -> str:
    """The bundled registry in DIR, an administrator's API token, the matcher's weights."""
    data_dir.mkdir(parents=True, exist_ok=True)
    token_file = data_dir / "bench-token"
    if not (data_dir / "jumelage.sqlite3").exists():
        print("loading the bundled registry (a few minutes) …", flush=True)
        cli(data_dir, None, "init")
    if not token_file.exists():
        os.environ["BENCH_PASSWORD"] = "bench-password-1234"
        cli(
            data_dir,
            None,
            "user",
            "add",
            "bench",
            "--role",
            "admin",
            "--password-env",
            "BENCH_PASSWORD",
        )
        token = cli(data_dir, None, "user", "token", "bench", "--label", "bench").split()[-1]
        token_file.write_text(token)
    if not (data_dir / "matching").exists():
        print("learning the matcher's weights once …", flush=True)
        cli(data_dir, None, "match", "Q365")
    return token_file.read_text().strip()


def psql(server: Postgres, sql: str) -> None:
    subprocess.run(
        [
            f"{server.bin}/psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(server.port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-qc",
            sql,
        ],
        check=True,
        capture_output=True,
    )


def prepare_postgres(sqlite_dir: Path, work: Path, server: Postgres) -> None:
    """The SQLite registry restored into PostgreSQL, through a backup."""
    backup = work / "registry.jsonl.gz"
    cli(sqlite_dir, None, "backup", str(backup))
    cli(work / "restore", server.url, "restore", str(backup))


# The last revision before the shared derived values (whose table and column the
# older code never reads): each code under test migrates from there to its own head.
BEFORE_SHARING = "0006"
RESET = (
    "DROP TABLE IF EXISTS derived_value",
    f"UPDATE alembic_version SET version_num = '{BEFORE_SHARING}'",
)


def schema_for(src: Path, place: Path | Postgres) -> None:
    """The database's schema as the code under test expects it."""
    if isinstance(place, Postgres):
        for sql in RESET:
            psql(place, sql)
        psql(place, "ALTER TABLE network_membership DROP COLUMN IF EXISTS version")
        url = place.url
    else:
        import sqlite3

        with sqlite3.connect(place / "jumelage.sqlite3") as conn:
            for sql in RESET:
                conn.execute(sql)
            columns = [r[1] for r in conn.execute("PRAGMA table_info(network_membership)")]
            if "version" in columns:
                conn.execute("ALTER TABLE network_membership DROP COLUMN version")
        url = f"sqlite:///{place / 'jumelage.sqlite3'}"
    migrate = (
        "import sys; from jumelage.store.db import make_engine, migrate; "
        "migrate(make_engine(sys.argv[1]))"
    )
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, "-c", migrate, url], env=env, check=True)


def server(name: str, data_dir: Path, url: str | None, src: Path, logs: Path) -> Server:
    """Two workers with the warm-up on, as a production server runs."""
    return servers.jumelage(name, data_dir, 2, logs, src=src, database_url=url, warm_up=True)


def write_burst(servers: list[Server], token: str, writes: int) -> float:
    """`writes` PATCHes of a population, alternating between the servers; seconds taken."""
    started = time.perf_counter()
    auth = {"Authorization": f"Bearer {token}"}
    for i in range(writes):
        base = servers[i % len(servers)].base_url
        qid = WRITTEN[i % len(WRITTEN)]
        status, body = get(f"{base}/api/v1/municipalities/{qid}", auth)
        version = json.loads(body)["version"]
        request = urllib.request.Request(
            f"{base}/api/v1/municipalities/{qid}",
            data=json.dumps({"population": 100_000 + i}).encode(),
            headers={**auth, "If-Match": f'"{version}"', "Content-Type": "application/json"},
            method="PATCH",
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            assert answer.status == 200, (status, answer.status)
    return time.perf_counter() - started


def read_load(servers: list[Server], paths: Path, seconds: float) -> Run:
    """64 connections, half on each server, at once; p99 is the larger of the two."""
    found: list[Run] = []

    def one(base: str) -> None:
        found.append(run_wrk(base, paths, CONNECTIONS // len(servers), seconds, headers=GZIP))

    threads = [threading.Thread(target=one, args=(s.base_url,)) for s in servers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Run(
        requests=sum(r.requests for r in found),
        seconds=max(r.seconds for r in found),
        errors=sum(r.errors for r in found),
        p50_ms=max(r.p50_ms for r in found),
        p99_ms=max(r.p99_ms for r in found),
    )


def wait_warm(servers: list[Server], seconds: float = 900) -> None:
    """Until every server answers the derived pages (and its warm-up is done)."""
    deadline = time.monotonic() + seconds
    for s in servers:
        for path in PATHS:
            while get(s.base_url + path, timeout=600)[0] != 200:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{s.name} did not answer {path}")
                time.sleep(1)
    time.sleep(20)  # the warm-up of the last version is done after its quiet period


def one_backend(
    backend: str,
    code: str,
    src: Path,
    data_dirs: list[Path],
    url: str | None,
    token: str,
    args: argparse.Namespace,
    logs: Path,
    paths: Path,
) -> list[dict[str, float]]:
    runs = []
    started = [server(f"{backend}-{code}-{i}", d, url, src, logs) for i, d in enumerate(data_dirs)]
    try:
        for s in started:
            s.start()
        for s in started:
            s.wait_ready()
        wait_warm(started)
        for n in range(args.runs):
            quiet = read_load(started, paths, args.seconds)
            took = write_burst(started, token, args.writes)
            after = read_load(started, paths, args.seconds)
            row = {
                "quiet_rps": quiet.rps,
                "quiet_p99": quiet.p99_ms,
                "quiet_errors": quiet.errors,
                "after_rps": after.rps,
                "after_p99": after.p99_ms,
                "after_errors": after.errors,
                "burst_s": took,
            }
            print(
                f"{backend} {code} run {n + 1}:",
                json.dumps({k: round(v, 1) for k, v in row.items()}),
                flush=True,
            )
            runs.append(row)
            time.sleep(40)  # the recomputation finishes before the next quiet run
    finally:
        for s in started:
            s.stop()
    return runs


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def table(results: dict[tuple[str, str], list[dict[str, float]]]) -> list[str]:
    lines = [
        "| database | code | quiet req/s | quiet p99 ms | quiet errors | after burst req/s "
        "| after burst p99 ms | after burst errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for (backend, code), runs in results.items():
        cell = {k: [r[k] for r in runs] for k in runs[0]}
        lines.append(
            f"| {backend} | {code} | {spread(cell['quiet_rps'])} | {spread(cell['quiet_p99'])} "
            f"| {sum(cell['quiet_errors']):.0f} | {spread(cell['after_rps'])} "
            f"| {spread(cell['after_p99'])} | {sum(cell['after_errors']):.0f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/jumelage-rewarm-bench"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--writes", type=int, default=40)
    parser.add_argument("--baseline", help="a commit whose code to measure as well (before)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--output", type=Path, default=HERE / "REWARM.md")
    args = parser.parse_args()

    work = args.data_dir / "work"
    logs = work / "logs"
    work.mkdir(parents=True, exist_ok=True)
    token = prepare_sqlite(args.data_dir)
    paths = work / "paths.txt"
    paths.write_text("\n".join(PATHS) + "\n")
    load_before = machine()["load"]
    codes = {"this": REPO / "src"}
    if args.baseline:
        codes = {"before": baseline_source(REPO, args.baseline, work), **codes}

    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    postgres = start_postgres(REPO) if "postgresql" in args.backends else None
    try:
        if postgres is not None:
            prepare_postgres(args.data_dir, work, postgres)
        for backend in args.backends.split(","):
            for code, src in codes.items():
                if backend == "sqlite":
                    schema_for(src, args.data_dir)
                    dirs, url = [args.data_dir, args.data_dir], None
                else:
                    assert postgres is not None
                    schema_for(src, postgres)
                    dirs = [work / "pg-one", work / "pg-two"]
                    for d in dirs:
                        if not (d / "matching").exists():
                            shutil.copytree(args.data_dir / "matching", d / "matching")
                    url = postgres.url
                results[(backend, code)] = one_backend(
                    backend, code, src, dirs, url, token, args, logs, paths
                )
    finally:
        if postgres is not None:
            postgres.stop()
        schema_for(REPO / "src", args.data_dir)

    info = machine()
    commit = git("rev-parse", "--short", "HEAD", cwd=REPO)
    lines = [
        "# Reads right after a burst of writes (`benchmarks/rewarm_bench.py`)",
        "",
        f"Measured {dt.date.today().isoformat()} at commit {commit}"
        + (f", before = {args.baseline[:12]}" if args.baseline else "")
        + f"; {info['cpu']}, {info['cores']} cores, {info['memory']}, Python {info['python']};"
        f" load average {load_before} before, {info['load']} after (the machine is shared).",
        "",
        f"Two `jumelage serve --workers 2` servers on one database, warm-up on. {CONNECTIONS}"
        f" connections (wrk, {CONNECTIONS // 2} per server) for {args.seconds:.0f} s read"
        f" {len(PATHS)} paths in turn: {', '.join(f'`{p}`' for p in PATHS)}.",
        f"*Quiet*: every derived value computed. *After burst*: the {args.seconds:.0f} s right"
        f" after {args.writes} PATCHes through the API (alternating servers). Median of"
        f" {args.runs} runs, (lowest–highest); p99 is the larger of the two servers'; errors"
        " are wrk's (connect, read, write, time-outs over 10 s, non-2xx/3xx) summed.",
        "",
        *table(results),
        "",
    ]
    args.output.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
