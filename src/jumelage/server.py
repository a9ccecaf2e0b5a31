"""Running the web app under uvicorn, in one or several worker processes.

The listening sockets are bound here, as TCP sockets with TCP_NODELAY, and handed
to uvicorn. With several workers uvicorn would otherwise bind a socket with
protocol 0; asyncio then never sets TCP_NODELAY on the connections it accepts,
and every keep-alive request after the first waits about 40 ms for the
client's delayed ACK (uvicorn issue #3149). Linux passes TCP_NODELAY from the
listening socket to accepted ones, and asyncio sets it on sockets whose
protocol is TCP; `tests/test_server.py` checks the accepted sockets of a real
multi-worker server.

Several workers: each accepts on a listening socket of its own, all bound to the
same port with SO_REUSEPORT, and the kernel spreads new connections over them by
a hash of the connection's addresses. On one shared socket, the worker that
wakes first accepts every connection waiting; a burst of keep-alive connections
(a proxy's pool, a load generator) then often lands on one worker, which does all
the work while the others idle (benchmarks/RESULTS.md showed CPU shares of 100/0).
Linux admits to a SO_REUSEPORT group only sockets of the same user, and the port
is first taken by a plain bind, so a port in use by any other server is still
refused with a clear message (`jumelage.cli.core._listen`).

With JUMELAGE_PIN_WORKERS=1, each worker is also kept on one core (CPU affinity,
the cores this process may use, in turn). A worker hands each request between
its event loop and the thread that runs the route, and the two take turns at the
interpreter lock; on one core a turn is a plain thread switch. With two workers
and the load generator on the same two cores, every request computed, it took the
CPU per request from 516 to 471 microseconds (medians of nine runs; the spreads
of req/s overlap: benchmarks/THREADS.md), so it is left to the operator, who knows
whether the cores are the server's alone.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import socket
from pathlib import Path

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process

from jumelage.settings import Settings

APP = "jumelage.app:served_app"
logger = logging.getLogger("uvicorn.error")


def _best(module: str, fallback: str) -> str:
    return module if importlib.util.find_spec(module) else fallback


def _tcp_socket(host: str, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound TCP socket on `host:port`; OSError (EADDRINUSE …) when it cannot be had."""
    sock = _tcp_socket(host, reuse_port=False)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def worker_sockets(sock: socket.socket, workers: int) -> list[socket.socket]:
    """One listening socket per worker on the address of `sock` (made by
    `listening_socket`, which proved the port free and is closed here), all in
    one SO_REUSEPORT group."""
    host, port = sock.getsockname()[:2]
    sock.close()
    found: list[socket.socket] = []
    try:
        for _ in range(workers):
            member = _tcp_socket(host, reuse_port=True)
            found.append(member)
            member.bind((host, port))
            member.listen(2048)
            member.set_inheritable(True)
    except OSError:
        for member in found:
            member.close()
        raise
    return found


def config(settings: Settings, host: str, port: int, workers: int) -> uvicorn.Config:
    return uvicorn.Config(
        APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=_best("httptools", "h11"),
        loop=_best("uvloop", "asyncio"),
        log_level=settings.log_level,
        proxy_headers=True,
        access_log=False,
        # A worker that starts while the machine is busy may take seconds to import.
        timeout_worker_healthcheck=60,
    )


def pin(pid: int, cpu: int) -> None:
    """Keep every thread of process `pid` (and the threads they start) on `cpu`."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            os.sched_setaffinity(int(task.name), {cpu})
        except (ProcessLookupError, PermissionError):
            continue


def worker_cores(workers: int) -> list[int] | None:
    """The core of each worker, in turn over the cores this process may use; None
    where affinity cannot be set (not Linux) or a single core is all there is."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return None
    return [cores[slot % len(cores)] for slot in range(workers)]


class Workers(Multiprocess):
    """uvicorn's supervisor (signals, health checks, SIGHUP restarts), with each
    worker on a socket of its own: a worker that dies or hangs is replaced on its
    socket, so connections the kernel queued there are served by the replacement.
    The number of workers is that of the sockets (SIGTTIN and SIGTTOU are refused)."""

    def __init__(
        self, cfg: uvicorn.Config, sockets: list[socket.socket], cores: list[int] | None
    ) -> None:
        super().__init__(cfg, sockets)
        self.slots = sockets
        self.cores = cores

    def _spawn(self, slot: int) -> Process:
        process = Process(self.config, [self.slots[slot]])
        process.start()
        if self.cores is not None and process.pid is not None:
            # Before the new interpreter starts a thread of its own: each inherits it.
            pin(process.pid, self.cores[slot])
        return process

    def init_processes(self) -> None:
        self.processes = [self._spawn(slot) for slot in range(len(self.slots))]

    def keep_subprocess_alive(self) -> None:
        for slot, process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                logger.error("worker [%s] failed to start; stopping", process.pid)
                self.should_exit.set()
                return
            logger.info("worker [%s] died; starting another on its socket", process.pid)
            self.processes[slot] = self._spawn(slot)

    def restart_all(self) -> None:
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._spawn(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                logger.error("worker [%s] was not ready in time; restart stopped", new.pid)
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def handle_ttin(self) -> None:
        logger.info("the number of workers is set at start (--workers); SIGTTIN ignored")

    def handle_ttou(self) -> None:
        logger.info("the number of workers is set at start (--workers); SIGTTOU ignored")


def run(settings: Settings, sock: socket.socket, workers: int) -> None:
    """Serve on a socket made by `listening_socket`."""
    host, port = sock.getsockname()[:2]
    cfg = config(settings, host, port, workers)
    if workers > 1:
        cores = worker_cores(workers) if settings.pin_workers else None
        Workers(cfg, worker_sockets(sock, workers), cores).run()
    else:
        uvicorn.Server(cfg).run(sockets=[sock])
