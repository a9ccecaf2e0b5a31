"""How many requests a worker computes at once: the threads that run the routes'
database work (the framework's pool for `def` routes, `api.offload` for the
hottest reads), and how the read threads behave."""

import asyncio
import contextvars
import dataclasses
import threading
import time

import pytest
from anyio import to_thread
from fastapi.testclient import TestClient

from jumelage.api.offload import Offload
from jumelage.app import create_app
from jumelage.registry import Registry


def _tokens(client: TestClient) -> float:
    assert client.portal is not None
    return client.portal.call(lambda: to_thread.current_default_thread_limiter().total_tokens)


def _read_threads(client: TestClient) -> int:
    offload: Offload = client.app.state.offload  # type: ignore[attr-defined]
    return len(offload._threads)


def test_a_worker_computes_as_many_requests_at_once_as_its_database_suits(registry):
    expected = 2 if registry.engine.dialect.name == "sqlite" else 20
    with TestClient(create_app(registry)) as client:
        assert _tokens(client) == expected
        assert _read_threads(client) == expected
        assert client.get("/api/v1/municipalities/Q365").status_code == 200


def test_jumelage_threads_sets_how_many_requests_a_worker_computes_at_once(registry):
    settings = dataclasses.replace(registry.settings, threads=7)
    with TestClient(create_app(Registry(settings, registry.engine))) as client:
        assert _tokens(client) == 7
        assert _read_threads(client) == 7
    offload: Offload = client.app.state.offload  # type: ignore[attr-defined]
    assert not any(t.is_alive() for t in offload._threads)  # ended with the app


def _read_threads_alive(before: set[threading.Thread]) -> int:
    return sum(
        t.name.startswith("jumelage-read-") and t not in before for t in threading.enumerate()
    )


def test_an_app_run_without_its_lifespan_still_answers_and_keeps_one_set_of_threads(registry):
    before = set(threading.enumerate())  # other tests' apps may still run theirs
    client = TestClient(create_app(registry))  # each request on a loop of its own
    for _ in range(3):
        assert client.get("/api/v1/municipalities/Q365").status_code == 200
        assert client.get("/api/v1/municipalities/999999").status_code == 404
        assert client.get("/api/v1/municipalities?q=Köln").status_code == 200
    # The threads of the earlier loops end; one set stays.
    one_set = 2 if registry.engine.dialect.name == "sqlite" else 20
    deadline = time.monotonic() + 5
    while _read_threads_alive(before) > one_set and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _read_threads_alive(before) == one_set
    client.app.state.offload.stop()  # type: ignore[attr-defined]
    assert _read_threads_alive(before) == 0


def test_the_loop_goes_on_while_a_read_waits_and_errors_reach_the_caller():
    asyncio.run(_reads_on_their_threads())


async def _reads_on_their_threads() -> None:
    offload = Offload(asyncio.get_running_loop(), 2)
    gate = threading.Event()
    marker: contextvars.ContextVar[str] = contextvars.ContextVar("marker")
    marker.set("the caller's")
    try:
        slow = asyncio.ensure_future(offload.run(lambda: gate.wait(10) and marker.get()))
        # One thread is held; the other still answers, and the loop is not blocked.
        assert await asyncio.wait_for(offload.run(lambda: 2 + 2), 5) == 4
        await asyncio.sleep(0.01)
        assert not slow.done()
        gate.set()
        assert await asyncio.wait_for(slow, 5) == "the caller's"

        def fails() -> None:
            raise LookupError("no such place")

        with pytest.raises(LookupError, match="no such place"):
            await offload.run(fails)
        # A caller that gives up does not break the thread for the next one.
        held = threading.Event()
        abandoned = asyncio.ensure_future(offload.run(lambda: held.wait(10)))
        await asyncio.sleep(0.01)
        abandoned.cancel()
        held.set()
        assert await asyncio.wait_for(offload.run(lambda: "next"), 5) == "next"
    finally:
        gate.set()
        offload.stop()
    assert not any(t.is_alive() for t in offload._threads)
