"""The web application: JSON API, interactive docs, static files."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from jumelage import __version__, web
from jumelage.api import (
    responses,
    v1,
    v1_accounts,
    v1_activities,
    v1_curation,
    v1_founding,
    v1_lifecycle,
    v1_matching,
    v1_programmes,
    v1_stats,
)
from jumelage.api.cache import ResponseCache
from jumelage.api.middleware import BodyLimit, CleanQuery, SecurityHeaders
from jumelage.api.offload import Offload, route_threads
from jumelage.errors import JumelageError
from jumelage.registry import Registry, open_registry, prepare
from jumelage.security import secret_key
from jumelage.settings import Settings, load_settings
from jumelage.warm import Warmer
from jumelage.web import render

STATIC = Path(__file__).resolve().parent / "web" / "static"


async def _on_http_error(request: Request, exc: Exception) -> Response:
    """An unknown address: a page for a browser, the API's error shape for the API
    and for every client that does not ask for HTML."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404 and render.wants_page(request):
        return await run_in_threadpool(render.error_page, request, 404, "no page at this address")
    return await responses.on_http_error(request, exc)


DESCRIPTION = """\
The open registry of town twinning: municipalities, the links between them
(partnership, friendship, contact, project partnership), their history and sources.

A municipality is addressed by its internal id or its Wikidata QID
(`/api/v1/municipalities/Q365`). Every error has one shape:
`{"error": {"code": ..., "message": ..., "details": ...}}`. Dates are ISO 8601 with
a stated precision: `1950`, `1987-02` or `1980-05-22`.
"""

_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>jumelage API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script></body></html>
"""


class JumelageAPI(FastAPI):
    """FastAPI with the response cache in front of the whole framework.

    A cache hit is answered before Starlette's own layers (error handling, body
    limit, routing) run; a miss goes through all of them, and the answer they
    produce (with the security headers) is what the cache keeps.
    """

    cache: ResponseCache | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.cache is None:
            await super().__call__(scope, receive, send)
        else:
            await self.cache(scope, receive, send)

    async def _framework(self, scope: Scope, receive: Receive, send: Send) -> None:
        await super().__call__(scope, receive, send)


def settle_heap() -> None:
    """What a worker holds from its start on (modules, routes, the framework's
    models, the registry's engine) is kept out of the cyclic garbage collector's
    sight (`gc.freeze`): a full collection otherwise walks all of it, which stalled
    requests now and then by 50-100 ms under load (p99 about 100 ms instead of 20;
    benchmarks/RESULTS.md). Objects still go as soon as nothing refers to them."""
    gc.collect()
    gc.freeze()


def create_app(
    registry: Registry | None = None, settings: Settings | None = None, warm_up: bool = False
) -> FastAPI:
    """The ASGI app; opens (and migrates) the registry from the settings if none is given.

    With `warm_up`, a background thread computes the slow cached answers while the app
    runs (see `jumelage.warm`); `app.state.warmer` is that thread's handle.
    """
    if registry is None:
        registry = open_registry(settings or load_settings())
        prepare(registry)
    held = registry

    @asynccontextmanager
    async def serving(app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = route_threads(held)
        reads = app.state.offload = Offload(asyncio.get_running_loop(), route_threads(held))
        settle_heap()
        warmer = None
        if warm_up:
            warmer = app.state.warmer = Warmer(held.engine, held.settings)
            warmer.start()
        try:
            yield
        finally:
            if warmer is not None:
                warmer.stop()
            reads.stop()

    app = JumelageAPI(
        lifespan=serving,
        title="jumelage",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        license_info={"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
    )
    app.add_middleware(BodyLimit, max_bytes=registry.settings.max_body_bytes)
    app.add_middleware(CleanQuery)
    app.add_middleware(SecurityHeaders)
    # Outermost: a hit is answered before anything else runs.
    app.state.registry = registry
    app.cache = ResponseCache(
        app._framework,
        engine=registry.engine,
        state=app.state,
        max_bytes=registry.settings.response_cache_mb * 1024 * 1024,
    )
    app.state.secret_key = secret_key(registry.settings)
    app.add_exception_handler(JumelageError, responses.on_domain_error)
    app.add_exception_handler(RequestValidationError, responses.on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(DataError, responses.on_out_of_range)
    app.add_exception_handler(OverflowError, responses.on_out_of_range)
    app.add_exception_handler(Exception, responses.on_unexpected_error)
    for module in (
        v1,
        v1_lifecycle,
        v1_founding,
        v1_activities,
        v1_accounts,
        v1_programmes,
        v1_stats,
        v1_matching,
        v1_curation,
    ):
        app.include_router(module.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False)
    async def docs(_request: Request) -> Response:
        return HTMLResponse(_DOCS_PAGE)

    return app


def served_app() -> FastAPI:
    """The app as `jumelage serve` runs it: settings from the environment, warm-up on
    unless JUMELAGE_WARM_UP=0."""
    settings = load_settings()
    return create_app(settings=settings, warm_up=settings.warm_up)
