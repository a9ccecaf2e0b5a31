"""The load generator: wrk (from Debian's packages) in its own process on loopback.

Each run is bounded in time (`duration`) and in requests (`cap` per wrk thread);
`report.lua` cycles through a file of request paths and prints one JSON line with
the request count, the error counts and the latency percentiles.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "report.lua"


def ensure_wrk() -> str:
    """The path of wrk, installed with apt-get if it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    for args in (["apt-get", "install", "-y", "wrk"], ["apt-get", "update"]):
        subprocess.run(args, check=False, stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
        if found:
            return found
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed (apt-get install -y wrk)")
    return found


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(
    base_url: str,
    paths: Path,
    connections: int,
    duration: float,
    cap: int = 500_000,
    headers: tuple[str, ...] = (),
    tag: str | None = None,
) -> Run:
    """One bounded wrk run with one thread (the machine's other core serves). With
    `tag`, every request carries a query parameter of its own (`nocache=<tag>.<n>`):
    give each run a tag of its own, so that no cache has seen any of its requests."""
    command = [
        ensure_wrk(),
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "10s",
    ]
    for header in headers:
        command += ["-H", header]
    command += ["-s", str(SCRIPT), base_url, "--", str(paths), str(cap)]
    if tag is not None:
        command.append(tag)
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    line = next((s for s in out.stdout.splitlines() if s.startswith("{")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no report: {out.stdout} {out.stderr}")
    data = json.loads(line)
    errors = sum(data["errors"].values())
    latency = data["latency_us"]
    return Run(
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        errors=int(errors),
        p50_ms=latency["p50"] / 1000,
        p99_ms=latency["p99"] / 1000,
    )
