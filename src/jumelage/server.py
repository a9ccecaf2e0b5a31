"""Running the web app under uvicorn, in one or several worker processes.

The listening socket is bound here, as a TCP socket with TCP_NODELAY, and handed
to uvicorn. With several workers uvicorn would otherwise bind a socket with
protocol 0; asyncio then never sets TCP_NODELAY on the connections it accepts,
and every keep-alive request after the first waits about 40 ms for the
client's delayed ACK (uvicorn issue #3149). Linux passes TCP_NODELAY from the
listening socket to accepted ones, and asyncio sets it on sockets whose
protocol is TCP; `tests/test_server.py` checks the accepted sockets of a real
multi-worker server.
"""

from __future__ import annotations

import importlib.util
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

from jumelage.settings import Settings

APP = "jumelage.app:served_app"


def _best(module: str, fallback: str) -> str:
    return module if importlib.util.find_spec(module) else fallback


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


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


def run(settings: Settings, sock: socket.socket, workers: int) -> None:
    """Serve on a socket made by `listening_socket`."""
    host, port = sock.getsockname()[:2]
    cfg = config(settings, host, port, workers)
    server = uvicorn.Server(cfg)
    if workers > 1:
        Multiprocess(cfg, sockets=[sock]).run()
    else:
        server.run(sockets=[sock])
