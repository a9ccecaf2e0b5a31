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
    env = {
        **os.environ,
        "JUMELAGE_DATA_DIR": str(tmp_path),
        "JUMELAGE_LOG_LEVEL": "warning",
        "JUMELAGE_PIN_WORKERS": "1",
    }
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


def _workers(process: subprocess.Popen[bytes]) -> list[int]:
    return [
        pid
        for pid in _children(process.pid)
        if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def _sockets_of(worker: int) -> list[socket.socket]:
    """Copies of every socket the worker holds (close them after use)."""
    found = []
    pidfd = _syscall(SYS_PIDFD_OPEN, worker, 0)
    try:
        for entry in Path(f"/proc/{worker}/fd").iterdir():
            try:
                if not os.readlink(entry).startswith("socket:"):
                    continue
                borrowed = _syscall(SYS_PIDFD_GETFD, pidfd, int(entry.name), 0)
            except OSError:
                continue
            found.append(socket.socket(fileno=borrowed))
    finally:
        os.close(pidfd)
    return found


def _listening(sock: socket.socket) -> bool:
    return bool(sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))


def test_each_worker_accepts_on_a_socket_of_its_own_and_a_burst_of_connections_is_shared(
    server,
):
    process, port = server
    workers = _workers(process)
    assert len(workers) == 2
    listening = {}
    for worker in workers:
        socks = _sockets_of(worker)
        try:
            mine = [s for s in socks if s.family == socket.AF_INET and _listening(s)]
            assert len(mine) == 1, "one listening socket per worker"
            assert mine[0].getsockname()[1] == port
            assert mine[0].getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
            listening[worker] = os.fstat(mine[0].fileno()).st_ino
        finally:
            for s in socks:
                s.close()
    assert len(set(listening.values())) == 2, "the workers do not share one socket"
    # Sixteen keep-alive connections opened at once, as a proxy's pool or a load
    # generator opens them: on one shared socket one worker often took all of them.
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(16)]
    try:
        for client in clients:
            client.sendall(b"GET /api/v1/about HTTP/1.1\r\nHost: x\r\n\r\n")
        for client in clients:
            assert client.recv(12).startswith(b"HTTP/1.1 200")
        ours = {client.getsockname() for client in clients}
        held = {}
        for worker in workers:
            socks = _sockets_of(worker)
            try:
                peers = set()
                for s in socks:
                    try:
                        peers.add(s.getpeername())
                    except OSError:
                        continue
                held[worker] = len(peers & ours)
            finally:
                for s in socks:
                    s.close()
    finally:
        for client in clients:
            client.close()
    assert sum(held.values()) == 16
    # The kernel spreads connections by a hash of their addresses: all sixteen on
    # one worker has a chance of 2 in 65,536.
    assert all(count > 0 for count in held.values()), held


def _cores_allowed(pid: int) -> set[str]:
    """The Cpus_allowed_list of every thread of a process."""
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.startswith("Cpus_allowed_list:"):
                found.add(line.split(":", 1)[1].strip())
    return found


def test_pinned_each_worker_with_all_its_threads_runs_on_a_core_of_its_own(server):
    process, _port = server
    cores = sorted(os.sched_getaffinity(0))
    placed = [_cores_allowed(worker) for worker in _workers(process)]
    if len(cores) < 2:
        # Nothing to choose between: the workers keep the cores they were given.
        assert all(p == _cores_allowed(os.getpid()) for p in placed)
        return
    assert all(len(p) == 1 for p in placed), "every thread of a worker on the same core"
    chosen = [next(iter(p)) for p in placed]
    assert all(c.isdigit() for c in chosen), chosen
    assert len(set(chosen)) == 2, "the two workers on different cores"
    assert {int(c) for c in chosen} <= set(cores)


def test_a_second_server_on_the_port_of_a_running_one_is_refused(server, tmp_path):
    _process, port = server
    env = {**os.environ, "JUMELAGE_DATA_DIR": str(tmp_path / "other")}
    result = subprocess.run(
        [sys.executable, "-m", "jumelage", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
