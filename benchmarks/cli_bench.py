"""How long the command line takes to answer `--help`, as a new process each time.

    python benchmarks/cli_bench.py [--runs N] [--write]

Runs each command N times (default 30) after two warm-up runs, through the
installed `jumelage` script beside this Python, and prints median, 90th
percentile, smallest and largest wall time. `--write` rewrites
benchmarks/CLI.md with the table and the machine it was taken on. The target is
a help under 0.5 s: the help must not load the application (numpy, igraph,
SQLAlchemy, the web layer), which `tests/cli/test_startup.py` checks.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = Path(sys.executable).with_name("jumelage")
COMMANDS = (
    ["--help"],
    ["--version"],
    ["link", "--help"],
    ["stats", "municipalities", "--help"],
    ["evaluate-matching", "--help"],
)


def time_command(args: list[str], runs: int) -> list[float]:
    for _ in range(2):
        subprocess.run([str(SCRIPT), *args], capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(SCRIPT), *args], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def row(args: list[str], times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return (
        f"| `jumelage {' '.join(args)}` | {statistics.median(times):.3f} | {p90:.3f} "
        f"| {ordered[0]:.3f} | {ordered[-1]:.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--write", action="store_true", help="Rewrite benchmarks/CLI.md.")
    options = parser.parse_args()
    lines = [
        "| command | median s | p90 s | min s | max s |",
        "| --- | --- | --- | --- | --- |",
    ]
    for args in COMMANDS:
        lines.append(row(args, time_command(args, options.runs)))
        print(lines[-1], flush=True)
    if options.write:
        load = os.getloadavg()[0]
        machine = (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {load:.2f} when the run ended"
        )
        text = (
            "# Command-line start-up\n\n"
            "Wall time of `jumelage … --help` as a new process, measured by "
            f"`python benchmarks/cli_bench.py --runs {options.runs} --write` "
            f"({options.runs} runs per command after two warm-up runs; {machine}).\n"
            "Target: every help under 0.5 s.\n\n" + "\n".join(lines) + "\n"
        )
        (HERE / "CLI.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
