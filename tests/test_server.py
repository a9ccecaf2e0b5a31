"""The server as shipped: several workers, and TCP_NODELAY on every accepted connection.

Without TCP_NODELAY each keep-alive request after the first waits about 40 ms for
the client's delayed ACK. The test looks at the real accepted socket inside a
worker process: it borrows the worker's file descriptor (pidfd_getfd, Linux 5.6)
and reads the option.
"""

from __future__ import annotations

import ctypes
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

SYS_PIDFD_OPEN, SYS_PIDFD_GETFD = 434, 438
_libc = ctypes.CDLL(None, use_errno=True)


def _syscall(number: int, *args: int) -> int:
    result = _libc.syscall(number, *args)
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return int(result)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_serving(port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"GET /api/v1/about HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not come up")


@pytest.fixture
def server(tmp_path: Path):
    port = _free_port()
    env = {**os.environ, "JUMELAGE_DATA_DIR": str(tmp_path), "JUMELAGE_LOG_LEVEL": "warning"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jumelage",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--dataset",
            "fixture",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_serving(port)
        yield process, port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _accepted_socket_options(worker: int, peer: tuple[str, int]) -> int | None:
    pidfd = _syscall(SYS_PIDFD_OPEN, worker, 0)
    try:
        for entry in Path(f"/proc/{worker}/fd").iterdir():
            if not os.readlink(entry).startswith("socket:"):
                continue
            borrowed = _syscall(SYS_PIDFD_GETFD, pidfd, int(entry.name), 0)
            with socket.socket(fileno=borrowed) as sock:
                try:
                    if sock.getpeername() != peer:
                        continue
                except OSError:
                    continue
                return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        os.close(pidfd)
    return None


def test_the_shipped_multi_worker_server_sets_tcp_nodelay_on_accepted_connections(server):
    process, port = server
    workers = [
        pid
        for pid in _children(process.pid)
        if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    assert len(workers) == 2
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.sendall(b"GET /api/v1/about HTTP/1.1\r\nHost: x\r\n\r\n")  # keep-alive
        assert client.recv(12).startswith(b"HTTP/1.1 200")
        peer = client.getsockname()
        options = [_accepted_socket_options(w, peer) for w in workers]
    found = [o for o in options if o is not None]
    assert len(found) == 1, "exactly one worker holds the accepted connection"
    assert found[0] != 0, "TCP_NODELAY is not set on the accepted connection"
