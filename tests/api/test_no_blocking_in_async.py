"""Async only where something is awaited: a route or dependency declared `async def`
runs on the event loop, so a database call inside it would stall every request of
the worker. Such functions may await the request's body, and hand database work to
the read threads (`api.offload.read`), and call nothing that reaches the database;
other routes that read or write data are plain `def` (the framework's thread pool)."""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from jumelage.app import create_app

# Names whose call reaches the database (directly, or by rendering a page that
# asks who is signed in).
DATABASE = {
    "connect",
    "begin",
    "execute",
    "writing",
    "registry",
    "principal",
    "current_principal",
    "signed_in",
    "sign_in_first",
    "page",
    "error_page",
    "fragment",
    "submit",
    "sign_in",
}
DATABASE_MODULES = ("queries", "services", "service", "store")


def _dependants(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    if dependant.call is not None:
        yield dependant.call
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def _routes(routes: list[Any]) -> Iterator[Any]:
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _routes(included.routes)
        elif hasattr(route, "endpoint"):
            yield route


def _async_functions(app: Any) -> dict[str, Callable[..., Any]]:
    found = {}
    for route in _routes(app.routes):
        calls = [route.endpoint]
        if isinstance(route, APIRoute):
            calls.extend(_dependants(route.dependant))
        for call in calls:
            if inspect.iscoroutinefunction(call):
                found[f"{call.__module__}.{call.__qualname__}"] = call
    return found


def _calls(function: Callable[..., Any]) -> list[str]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    names = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            names.append(func.id)
        elif isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else ""
            names.append(f"{owner}.{func.attr}" if owner else func.attr)
    return names


def _reaches_the_database(name: str) -> bool:
    owner, _, attribute = name.rpartition(".")
    return (attribute or name) in DATABASE or owner.startswith(DATABASE_MODULES)


def test_no_async_route_or_dependency_calls_the_database(registry):
    app = create_app(registry)
    functions = _async_functions(app)
    blocking = {
        where: [c for c in _calls(f) if _reaches_the_database(c)] for where, f in functions.items()
    }
    assert {where: calls for where, calls in blocking.items() if calls} == {}


def test_the_check_sees_a_database_call_in_an_async_function():
    async def bad(request: Any) -> Any:
        with registry(request).engine.connect() as conn:  # noqa: F821
            return conn

    assert any(_reaches_the_database(c) for c in _calls(bad))


def test_every_async_route_that_reads_data_hands_it_to_the_read_threads(registry):
    app = create_app(registry)
    endpoints = {r.endpoint for r in _routes(app.routes)}
    awaited = {name: f for name, f in _async_functions(app).items() if f in endpoints}
    # The API's documentation page and the framework's schema are fixed texts.
    fixed = {
        "jumelage.app.create_app.<locals>.docs",
        "fastapi.applications.FastAPI.setup.<locals>.openapi",
    }
    assert fixed <= set(awaited)
    offloaded = {name for name, f in awaited.items() if "read" in _calls(f)}
    assert offloaded == set(awaited) - fixed
    # The hottest public reads are among them.
    assert {
        "jumelage.api.v1.get_municipality",
        "jumelage.api.v1.get_partners",
        "jumelage.api.v1.search_municipalities",
        "jumelage.api.v1.list_links",
    } <= offloaded
