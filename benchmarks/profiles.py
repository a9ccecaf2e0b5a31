"""Where the time goes: py-spy samples of a serving process under load, summarised.

The summary lists the share of samples (of the worker's busy time) spent inside
each frame (inclusive) and in each function's own code (self), as a table.
"""

from __future__ import annotations

import subprocess
import threading
from collections import Counter
from pathlib import Path

from http_bench import run_tag
from loadgen import run_wrk
from servers import Server


def record(
    py_spy: Path,
    server: Server,
    paths: Path,
    seconds: float,
    out: Path,
    headers: tuple[str, ...],
    unique: bool = False,
) -> Path:
    """Sample the (single) worker of `server` while wrk drives it at 16 connections;
    with `unique`, each request carries a query parameter of its own."""
    pid = server.workers[0]
    command = [
        str(py_spy),
        "record",
        "--pid",
        str(pid),
        "--rate",
        "250",
        "--duration",
        str(int(seconds)),
        "--format",
        "raw",
        "--output",
        str(out),
        "--nonblocking",
    ]
    sampler = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    load = threading.Thread(
        target=run_wrk,
        args=(server.base_url, paths, 16, seconds + 1),
        kwargs={"headers": headers, "tag": run_tag() if unique else None},
    )
    load.start()
    sampler.wait(timeout=seconds + 120)
    load.join()
    return out


def _frame(text: str) -> str:
    # "function (path/to/file.py:123)" -> "function (file.py)"
    name, _, where = text.partition(" (")
    where = where.rstrip(")").rsplit(":", 1)[0]
    parts = where.split("/")
    short = (
        "/".join(parts[-2:]) if parts[-2:-1] in (["jumelage"], ["api"], ["store"]) else parts[-1]
    )
    if "site-packages" in where or "lib/python" in where:
        short = parts[parts.index("site-packages") + 1] if "site-packages" in parts else parts[-1]
    return f"{name} ({short})"


def summarise(
    raw: Path, top: int = 12
) -> tuple[int, list[tuple[str, float]], list[tuple[str, float]]]:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            # A sample py-spy read while the frame changed under it (--nonblocking)
            # can hold a garbled name with a line break; it is left out.
            continue
        n = int(count)
        frames = [_frame(f) for f in stack.split(";")]
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    skip = (
        "<module>",
        "run (",
        "_run_code",
        "_run_module",
        "Server.",
        "main (",
        "spawn",
        "Process.",
    )
    incl = [(f, n / total) for f, n in inclusive.most_common(200) if not f.startswith(skip)][:top]
    return total, incl, [(f, n / total) for f, n in own.most_common(top)]
