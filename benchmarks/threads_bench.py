"""How a worker should run its routes: how many threads compute requests at once
(JUMELAGE_THREADS), and whether each worker is kept on a core of its own
(JUMELAGE_PIN_WORKERS). `jumelage serve` on the benchmark's SQLite registry, every
request a place of its own with a query parameter of its own (the computed question
of run.py), 16 connections, the settings alternating, each started afresh
`--rounds` times; writes benchmarks/THREADS.md.

    python benchmarks/threads_bench.py --threads 4 1 --pin 1 0 --workers 2 --rounds 3

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


def serve(threads: int, pin: int, workers: int) -> Server:
    """`jumelage serve` as run.py starts it, with these settings."""
    server = servers.jumelage(f"threads-{threads}-pin-{pin}", WORK / "data", workers, WORK / "logs")
    server.env["JUMELAGE_THREADS"] = str(threads)
    server.env["JUMELAGE_PIN_WORKERS"] = str(pin)
    server.start()
    server.wait_ready()
    time.sleep(3)
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, nargs="+", default=[4, 1])
    parser.add_argument("--pin", type=int, nargs="+", default=[1, 0], choices=[0, 1])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="server starts per setting")
    parser.add_argument("--runs", type=int, default=3, help="wrk runs of 3 s per start")
    args = parser.parse_args()
    paths = WORK / "paths-computed-jumelage.txt"
    settings = [(t, p) for p in args.pin for t in args.threads]
    runs: dict[tuple[int, int], list[tuple[float, float, int, float]]] = {s: [] for s in settings}
    load = "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    for _ in range(args.rounds):
        for threads, pin in settings:
            server = serve(threads, pin, args.workers)
            try:
                for _ in range(args.runs):
                    before = sum(server.cpu())
                    run = run_wrk(server.base_url, paths, 16, 3, tag=uuid.uuid4().hex)
                    cpu = (sum(server.cpu()) - before) / max(run.requests, 1) * 1e6
                    runs[(threads, pin)].append((run.rps, run.p99_ms, run.errors, cpu))
                    print(
                        threads,
                        pin,
                        f"{run.rps:.0f} req/s p99 {run.p99_ms:.0f} ms {cpu:.0f} µs CPU/request",
                        flush=True,
                    )
            finally:
                server.stop()
    commit = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, cwd=HERE
    ).stdout.strip()
    lines = [
        "# Threads and cores per worker (`benchmarks/threads_bench.py`)",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, commit `{commit}`, on the 2-core "
        f"machine (load average at the start {load}). `jumelage serve --workers {args.workers}` "
        "on the benchmark's SQLite registry; every request a place with partners of its own "
        "with a query parameter of its own (run.py's computed question); 16 connections; "
        f"{args.rounds} server starts per setting, {args.runs} runs of 3 s each, settings "
        "alternating. CPU per request: the CPU time of all the server's processes during a "
        "run, over the requests answered.",
        "",
        "| JUMELAGE_THREADS | JUMELAGE_PIN_WORKERS | req/s, median (min–max) "
        "| p99 ms, median (min–max) | CPU µs per request, median | errors |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for (threads, pin), found in runs.items():
        rps, p99, errors, cpu = zip(*found, strict=True)
        lines.append(
            f"| {threads} | {pin} | {statistics.median(rps):,.0f} "
            f"({min(rps):,.0f}–{max(rps):,.0f}) | {statistics.median(p99):,.0f} "
            f"({min(p99):,.0f}–{max(p99):,.0f}) | {statistics.median(cpu):,.0f} | {sum(errors)} |"
        )
    lines.append("")
    (HERE / "THREADS.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
