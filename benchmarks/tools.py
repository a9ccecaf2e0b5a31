"""Benchmark-only tools, each in its own virtualenv under benchmarks/.work/ so that
their dependencies cannot disturb the project's: Datasette, and py-spy for profiles.
Also the machine's description and the baseline checkout for before/after figures."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

DATASETTE = "datasette==0.65.5"
PY_SPY = "py-spy==0.4.3"


def venv(path: Path, requirement: str, executable: str) -> Path:
    """A virtualenv at `path` holding `requirement`; created once."""
    if not (path / "bin" / executable).exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(path)], check=True)
        subprocess.run(
            [str(path / "bin" / "pip"), "install", "--quiet", requirement],
            check=True,
        )
    return path


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = os.getloadavg()
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": f"{int(memory) / 1024 / 1024:.0f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "load": f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}",
    }


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


def baseline_source(repo: Path, commit: str, work: Path) -> Path:
    """The `src` folder of another commit, unpacked with `git archive` (no checkout)."""
    target = work / f"baseline-{commit[:12]}"
    if not (target / "src" / "jumelage").exists():
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit, "src"],
            cwd=repo,
            capture_output=True,
            check=True,
        ).stdout
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
    return target / "src"


def baseline_data(database: Path, src: Path, folder: Path) -> Path:
    """A copy of the database for the baseline's code: the same data, its schema
    marked at the baseline's newest migration (later migrations only add indexes
    here, which the old code does not mind)."""
    import sqlite3

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "jumelage.sqlite3"
    target.unlink(missing_ok=True)
    versions = src / "jumelage" / "store" / "migrations" / "versions"
    head = max(p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py"))
    with sqlite3.connect(database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
        copy.execute("UPDATE alembic_version SET version_num = ?", (head,))
    return folder
