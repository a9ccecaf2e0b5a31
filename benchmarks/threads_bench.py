"""How many threads per worker should compute the routes: `jumelage serve` on the
benchmark's SQLite registry, every request a place of its own with a query parameter
of its own (the computed question of run.py), 16 connections, JUMELAGE_THREADS
alternating between the values given, each value started afresh `--rounds` times;
writes benchmarks/THREADS.md.

    python benchmarks/threads_bench.py --threads 40 2 --workers 2 --rounds 3

Needs the registry and the path list that run.py leaves in benchmarks/.work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import time
import uuid
from pathlib import Path

import servers
from loadgen import run_wrk
from servers import Server

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"


def serve(threads: int, workers: int) -> Server:
    """`jumelage serve` as run.py starts it, with `threads` threads per worker."""
    server = servers.jumelage(f"threads-{threads}", WORK / "data", workers, WORK / "logs")
    server.env["JUMELAGE_THREADS"] = str(threads)
    server.start()
    server.wait_ready()
    time.sleep(3)
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, nargs="+", default=[40, 2])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="server starts per value")
    parser.add_argument("--runs", type=int, default=3, help="wrk runs of 3 s per start")
    args = parser.parse_args()
    paths = WORK / "paths-computed-jumelage.txt"
    runs: dict[int, list[tuple[float, float, int]]] = {t: [] for t in args.threads}
    load = "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    for _ in range(args.rounds):
        for threads in args.threads:
            server = serve(threads, args.workers)
            try:
                for _ in range(args.runs):
                    run = run_wrk(server.base_url, paths, 16, 3, tag=uuid.uuid4().hex)
                    runs[threads].append((run.rps, run.p99_ms, run.errors))
                    print(threads, f"{run.rps:.0f} req/s p99 {run.p99_ms:.0f} ms", flush=True)
            finally:
                server.stop()
    commit = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, cwd=HERE
    ).stdout.strip()
    lines = [
        "# Threads per worker (`benchmarks/threads_bench.py`)",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, commit `{commit}`, on the 2-core "
        f"machine (load average at the start {load}). `jumelage serve --workers {args.workers}` "
        "on the benchmark's SQLite registry; every request a place with partners of its own "
        "with a query parameter of its own (run.py's computed question); 16 connections; "
        f"{args.rounds} server starts per value, {args.runs} runs of 3 s each, values "
        "alternating.",
        "",
        "| JUMELAGE_THREADS | req/s, median (min–max) | p99 ms, median (min–max) | errors |",
        "|---:|---:|---:|---:|",
    ]
    for threads, found in runs.items():
        rps, p99, errors = zip(*found, strict=True)
        lines.append(
            f"| {threads} | {statistics.median(rps):,.0f} ({min(rps):,.0f}–{max(rps):,.0f}) | "
            f"{statistics.median(p99):,.0f} ({min(p99):,.0f}–{max(p99):,.0f}) | {sum(errors)} |"
        )
    lines.append("")
    (HERE / "THREADS.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
