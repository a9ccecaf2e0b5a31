"""The floor: a bare ASGI app that answers with jumelage's own JSON bytes from memory.

    FLOOR_BODIES=bodies.json python benchmarks/floor_app.py PORT WORKERS

`bodies.json` maps a request target ("/api/v1/municipalities/Q365") to the body
jumelage answered. The app runs under the same server as `jumelage serve`
(uvicorn, httptools, uvloop, the TCP_NODELAY socket, the same worker count), so
the difference between the two is jumelage's own work per request.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import orjson
from uvicorn.supervisors import Multiprocess

from jumelage.server import config, listening_socket
from jumelage.settings import load_settings

NOT_FOUND = b'{"error": "not in the floor\'s table"}'


def create_app() -> Any:
    with open(os.environ["FLOOR_BODIES"], "rb") as handle:
        table: dict[str, str] = orjson.loads(handle.read())
    bodies = {target.encode(): body.encode() for target, body in table.items()}
    bodies[b"/-/ready"] = b"{}"
    headers = {
        target: [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        for target, body in bodies.items()
    }

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        target = scope["raw_path"]
        if scope["query_string"]:
            target += b"?" + scope["query_string"]
        body = bodies.get(target)
        if body is None:
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": NOT_FOUND})
            return
        await send({"type": "http.response.start", "status": 200, "headers": headers[target]})
        await send({"type": "http.response.body", "body": body})

    return app


def main() -> None:
    port, workers = int(sys.argv[1]), int(sys.argv[2])
    settings = load_settings({**os.environ, "JUMELAGE_LOG_LEVEL": "warning"})
    cfg = config(settings, "127.0.0.1", port, workers)
    cfg.app = "floor_app:create_app"
    sock = listening_socket("127.0.0.1", port)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if workers > 1:
        Multiprocess(cfg, sockets=[sock]).run()
    else:
        import uvicorn

        uvicorn.Server(cfg).run(sockets=[sock])


if __name__ == "__main__":
    main()
