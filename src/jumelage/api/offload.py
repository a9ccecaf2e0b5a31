"""The threads that run the database work of the hottest API routes.

A route declared with `def` runs in the framework's thread pool (anyio's
`to_thread`), which cost 90-160 µs of CPU for each call with 16 requests at once:
a capacity limiter, a cancel scope and a future per call, and threads that then
contend for the interpreter lock (benchmarks/RESULTS.md, item 6). The hottest
public reads (a municipality with its partners, its partners alone, the name
search, the link list) are `async def` routes that hand only their database work
to a few threads of their own through one queue, for about 20 µs: the event loop
is never blocked by the database, and a slow query holds up only its own thread.
On PostgreSQL the response cache reads the data version on these threads too.

One `Offload` per app, started and stopped with it (the lifespan in `app.py`);
`offload_for(app.state)` finds it, and starts one for the running loop when the
app runs without its lifespan.
"""

from __future__ import annotations

import asyncio
import contextvars
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from starlette.datastructures import State
from starlette.requests import Request

from jumelage.registry import Registry

T = TypeVar("T")
P = ParamSpec("P")

# Threads per worker for the routes' database work on SQLite, in each of the two
# pools (the framework's for `def` routes, `Offload` for the hottest reads): the work
# is the worker's own CPU under one interpreter lock, and more threads only contend
# for it (benchmarks/THREADS.md: one thread gave 3,794 req/s, two 3,406, four 3,084,
# medians of nine runs). Two, not one, so that one slow request does not hold up
# the worker's others. On PostgreSQL a thread mostly waits for the server;
# 20 in each pool is what the connection pool holds (`store.db`).
SQLITE_THREADS = 2
POSTGRESQL_THREADS = 20


def route_threads(registry: Registry) -> int:
    """How many requests a worker computes at once in each pool (JUMELAGE_THREADS,
    else by database)."""
    if registry.settings.threads:
        return registry.settings.threads
    return SQLITE_THREADS if registry.engine.dialect.name == "sqlite" else POSTGRESQL_THREADS


_STOP = object()


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.cancelled():  # the client went away; the answer is dropped
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


class Offload:
    """`size` threads taking calls from one queue and answering on `loop`."""

    def __init__(self, loop: asyncio.AbstractEventLoop, size: int) -> None:
        self.loop = loop
        self._jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._work, name=f"jumelage-read-{n}", daemon=True)
            for n in range(size)
        ]
        for thread in self._threads:
            thread.start()

    def _work(self) -> None:
        take = self._jobs.get
        answer = self.loop.call_soon_threadsafe
        while True:
            job = take()
            if job is _STOP:
                return
            future, context, function, args = job
            try:
                value = context.run(function, *args)
            except BaseException as exc:  # handed to the awaiting route, raised there
                ok, value = False, exc
            else:
                ok = True
            try:
                answer(_settle, future, ok, value)
            except RuntimeError:  # the loop has closed: nobody waits any more
                return

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` on one of the threads, with the caller's context variables."""
        future: asyncio.Future[T] = self.loop.create_future()
        self._jobs.put((future, contextvars.copy_context(), function, args))
        return await future

    def stop(self, wait: bool = True, timeout: float = 5.0) -> None:
        """The threads end once the calls queued before have run; with `wait`, for
        at most `timeout` seconds in all (they are daemons: a stuck one does not
        keep the process alive)."""
        for _ in self._threads:
            self._jobs.put(_STOP)
        if wait:
            deadline = time.monotonic() + timeout
            for thread in self._threads:
                thread.join(timeout=max(0.0, deadline - time.monotonic()))


def offload_for(state: State) -> Offload:
    """The `Offload` of the app whose state is `state` (started with the app); for
    an app run without its lifespan (each request on a loop of its own), one for
    the running loop."""
    loop = asyncio.get_running_loop()
    found: Offload | None = getattr(state, "offload", None)
    if found is None or found.loop is not loop:
        if found is not None:
            found.stop(wait=False)
        found = state.offload = Offload(loop, route_threads(state.registry))
    return found


async def read(
    request: Request,
    function: Callable[Concatenate[Registry, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """`function(registry, *args)` on the worker's read threads: the database work of
    an `async def` route. What it raises is raised here."""
    state = request.app.state
    return await offload_for(state).run(lambda: function(state.registry, *args, **kwargs))
