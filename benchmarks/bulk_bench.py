"""Cold start and bulk work: `jumelage serve` on an empty database until the first
answer, `jumelage init` (the bundled data), and the Wikidata dump importer against
the time `zcat` alone needs to decompress the same file.

Every command runs as a child process; its wall time is measured around it and its
CPU time (its own and its children's, such as the decompressor) from rusage.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import dumpgen
import servers

# (entities, bundled ids up to) of the full dump and of the small one that the
# row-by-row importer of the baseline can go through in reasonable time.
FULL = (200_000, None)
SMALL = (10_000, 600)
QUICK = (40_000, 2500)


def _env(data: Path, src: Path | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "JUMELAGE_DATA_DIR": str(data),
        "JUMELAGE_LOG_LEVEL": "warning",
        "JUMELAGE_SECRET_KEY": "benchmark",
    }
    env.pop("JUMELAGE_DATABASE_URL", None)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def jumelage(*args: str) -> list[str]:
    return [sys.executable, "-m", "jumelage", *args]


def cold_start(work: Path, repeats: int, log: Callable[[str], None]) -> tuple[list[float], Path]:
    """`jumelage serve` on an empty data folder, until Köln's page answers."""
    times, last = [], work / "cold-0"
    for number in range(repeats):
        folder = work / f"cold-{number}"
        shutil.rmtree(folder, ignore_errors=True)
        server = servers.jumelage(
            "cold start", folder, None, work / "logs", ready_path="/api/v1/municipalities/Q365"
        )
        server.start()
        try:
            times.append(server.wait_ready(timeout=600))
        finally:
            server.stop()
        log(f"cold start {number + 1}: {times[-1]:.1f} s")
        last = folder
    return times, last


def init_times(
    work: Path, repeats: int, log: Callable[[str], None], src: Path | None = None
) -> list[tuple[float, float]]:
    found = []
    for number in range(repeats):
        folder = work / "init"
        shutil.rmtree(folder, ignore_errors=True)
        found.append(timed(jumelage("init"), _env(folder, src)))
        label = "init, before" if src else "init"
        log(f"{label} {number + 1}: {found[-1][0]:.1f} s wall, {found[-1][1]:.1f} s CPU")
    shutil.rmtree(work / "init", ignore_errors=True)
    return found


def dump_file(work: Path, size: tuple[int, int | None], log: Callable[[str], None]) -> Path:
    """The generated dump (made once and kept) and its composition beside it."""
    entities, limit = size
    path = work / f"dump-{entities}-{limit or 'all'}.json.gz"
    meta = path.with_suffix(".composition.json")
    if not path.exists() or not meta.exists():
        log(f"generating {path.name}")
        composition = dumpgen.generate(path, entities, limit)
        meta.write_text(json.dumps(asdict(composition)))
    return path


def empty_registry(work: Path, src: Path | None = None) -> Path:
    """A migrated, empty database to copy before each import; with `src`, migrated by
    that code (an older commit refuses a schema newer than its own migrations)."""
    folder = work / ("empty-template" if src is None else f"empty-template-{src.parent.name}")
    database = folder / "jumelage.sqlite3"
    if not database.exists():
        folder.mkdir(parents=True, exist_ok=True)
        code = (
            "from jumelage.registry import open_registry, prepare;"
            "from jumelage.settings import load_settings;"
            "prepare(open_registry(load_settings()))"
        )
        subprocess.run([sys.executable, "-c", code], env=_env(folder, src), check=True)
    return database


def import_dump(
    work: Path, dump: Path, src: Path | None, again: bool = False
) -> tuple[tuple[float, float], tuple[float, float] | None]:
    """Import into an empty registry; with `again`, import the same file a second time."""
    folder = work / "import"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copyfile(empty_registry(work, src), folder / "jumelage.sqlite3")
    command = jumelage("import", str(dump), "--format", "wikidata-dump", "--as-of", "2026-11")
    first = timed(command, _env(folder, src))
    second = timed(command, _env(folder, src)) if again else None
    return first, second


def decompress(dump: Path) -> tuple[float, float]:
    return timed(["zcat", str(dump)])


def run(
    work: Path, data: Path, baseline: Path | None, quick: bool, log: Callable[[str], None]
) -> dict[str, Any]:
    repeats = 1 if quick else 3
    cold, folder = cold_start(work, repeats, log)
    if data.exists():
        shutil.rmtree(data)
    folder.rename(data)
    result: dict[str, Any] = {"cold_start": cold, "init": [], "init_before": []}
    for _ in range(repeats):
        result["init"] += init_times(work, 1, log)
        if baseline is not None:
            result["init_before"] += init_times(work, 1, log, baseline)
    full = dump_file(work, QUICK if quick else FULL, log)
    small = dump_file(work, SMALL, log)
    result["dumps"] = {}
    for name, dump in (("full", full), ("small", small)):
        composition = json.loads(dump.with_suffix(".composition.json").read_text())
        runs: dict[str, list[Any]] = {"zcat": [], "import": [], "reimport": []}
        for number in range(repeats):
            runs["zcat"].append(decompress(dump))
            first, second = import_dump(work, dump, None, again=number == 0)
            runs["import"].append(first)
            if second is not None:
                runs["reimport"].append(second)
            log(
                f"{name} dump {number + 1}: zcat {runs['zcat'][-1][0]:.1f} s,"
                f" import {first[0]:.1f} s ({composition['entities'] / first[0]:,.0f} entities/s)"
            )
        if name == "small" and baseline is not None:
            runs["before"] = [import_dump(work, dump, baseline)[0]]
            log(f"small dump, before: {runs['before'][0][0]:.1f} s")
        result["dumps"][name] = {
            "file": dump.name,
            "compressed_bytes": dump.stat().st_size,
            "composition": composition,
            "runs": runs,
        }
    shutil.rmtree(work / "import", ignore_errors=True)
    return result


def ensure_loaded(data: Path, log: Callable[[str], None]) -> None:
    if not (data / "jumelage.sqlite3").exists():
        log("loading the bundled data")
        timed(jumelage("init"), _env(data))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
