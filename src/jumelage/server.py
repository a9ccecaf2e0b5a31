"""Running the web app under uvicorn, in one or several worker processes."""

from __future__ import annotations

import importlib.util

import uvicorn

from jumelage.settings import Settings


def _best(module: str, fallback: str) -> str:
    return module if importlib.util.find_spec(module) else fallback


def run(settings: Settings, host: str, port: int, workers: int) -> None:
    # httptools and uvloop are the fast paths of uvicorn[standard]; with
    # httptools accepted connections also get TCP_NODELAY in multi-worker mode.
    uvicorn.run(
        "jumelage.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=_best("httptools", "h11"),
        loop=_best("uvloop", "asyncio"),
        log_level=settings.log_level,
        proxy_headers=True,
        access_log=False,
    )
