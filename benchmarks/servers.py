"""Servers under test, each started in its own process group and stopped by its id.

`Server.cpu()` reads the CPU time of each serving process from /proc, so a run can
report how the load was shared between workers.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as err:
        return int(err.code), err.read()


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except FileNotFoundError:
        return found
    for task in tasks:
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return found


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


@dataclass
class Server:
    name: str
    command: Sequence[str]
    env: dict[str, str]
    port: int
    ready_path: str
    log: Path
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    workers: list[int] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log.open("wb")
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(
            list(self.command),
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 300) -> float:
        """Seconds from start to the first 200 answer on `ready_path`."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log}")
            try:
                status, _ = get(self.base_url + self.ready_path, timeout=5)
                if status == 200:
                    elapsed = time.perf_counter() - self.started_at
                    self._find_workers()
                    return elapsed
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not answer within {timeout} s; see {self.log}")

    def _find_workers(self) -> None:
        assert self.process is not None
        children = [
            pid
            for pid in _children(self.process.pid)
            if b"resource_tracker" not in _cmdline(pid) and b"python" in _cmdline(pid)
        ]
        self.workers = children or [self.process.pid]

    def cpu(self) -> list[float]:
        """CPU seconds used so far by each serving process."""
        return [_cpu_seconds(pid) for pid in self.workers]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return b""


def jumelage(
    name: str,
    data_dir: Path,
    workers: int | None,
    logs: Path,
    src: Path | None = None,
    ready_path: str = "/api/v1/about",
    database_url: str | None = None,
    warm_up: bool = False,
) -> Server:
    """`jumelage serve` as shipped; `src` runs another checkout's code (a baseline);
    `database_url` another database than the data folder's SQLite file; `warm_up`
    the background warm-up as in production (off by default, see below)."""
    port = free_port()
    env = {
        **os.environ,
        "JUMELAGE_DATA_DIR": str(data_dir),
        "JUMELAGE_LOG_LEVEL": "warning",
        "JUMELAGE_SECRET_KEY": "benchmark",
        # No background warm-up of the statistics, map and matcher caches unless asked:
        # none of run.py's questions reads them, and its CPU would fall into the runs.
        "JUMELAGE_WARM_UP": "1" if warm_up else "0",
    }
    env.pop("JUMELAGE_DATABASE_URL", None)
    if database_url is not None:
        env["JUMELAGE_DATABASE_URL"] = database_url
    if src is not None:
        env["PYTHONPATH"] = str(src)
    command = [sys.executable, "-m", "jumelage", "serve", "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    return Server(name, command, env, port, ready_path, logs / f"{name}.log")


def datasette(name: str, venv: Path, database: Path, metadata: Path, logs: Path) -> Server:
    """`datasette serve` as its documentation starts it: one process."""
    port = free_port()
    command = [
        str(venv / "bin" / "datasette"),
        "serve",
        str(database),
        "--port",
        str(port),
        "--metadata",
        str(metadata),
    ]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return Server(name, command, env, port, "/-/versions.json", logs / f"{name}.log")


def floor(name: str, bodies: Path, workers: int, logs: Path) -> Server:
    """The bare ASGI floor: the same server and workers, answers from memory."""
    port = free_port()
    env = {**os.environ, "FLOOR_BODIES": str(bodies)}
    command = [sys.executable, str(HERE / "floor_app.py"), str(port), str(workers)]
    return Server(name, command, env, port, "/-/ready", logs / f"{name}.log")
