"""The one cache of computed values: results kept in memory until the registry's
data changes.

Every write through the services bumps `registry_state.data_version` in its own
transaction (`jumelage.services.writing`); `data_version(conn)` reads it in the
caller's transaction. A value is kept under a key made of the database, that
version, the function that computes it and its arguments, so a stale value is
never served: after a write (through this process or any other on the same
database) the version differs and the next request computes afresh. Old entries
fall out, least recently used first, when a cache is full; each value is computed
once even when many threads ask for it at the same moment.

The HTTP response cache in front of the app (`jumelage.api.cache`) keys on the
same data version.

`SharedCache` is the same cache for the values derived from the whole registry
(the statistics, the map's data, the matcher: seconds of work each), shared by
every process on the database: one process computes a data version's value and
stores it in the database (`queries_derived`), the others load it from there.
While the newest version is being computed, a served app (`serve_stale(True)`,
with its warmer) answers from the newest stored one (stale while revalidate), so
no request waits and no two processes compute the same value at once. Reads of
single objects (a place, its partners, a search) never go through it: they stay
exact.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import pickle
import socket
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine, select

from jumelage.store import queries_derived
from jumelage.store.schema import registry_state

log = logging.getLogger(__name__)

T = TypeVar("T")


def data_version(conn: Connection) -> int:
    """The registry's data version as `conn`'s transaction sees it: every write bumps it."""
    found = conn.execute(select(registry_state.c.data_version).where(registry_state.c.id == 1))
    return int(found.scalar() or 0)


def engine_key(engine: Engine) -> str:
    """The database a value was computed from (no password)."""
    return engine.url.render_as_string(hide_password=True)


class VersionedCache:
    """A least-recently-used map that computes each missing key once, even under threads."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.computed = 0  # how many times a value was computed (for tests and benchmarks)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            guard = self._computing.setdefault(key, threading.Lock())
        with guard:
            with self._lock:
                if key in self._items:
                    return self._items[key]
            value = compute()
            with self._lock:
                self.computed += 1
                self._items[key] = value
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
                self._computing.pop(key, None)
        return value

    def of_version(
        self, conn: Connection, compute: Callable[[], T], *key: Hashable, version: int | None = None
    ) -> T:
        """`compute()` once per database, data version and `key` (the function and its
        arguments, as the caller names them); `version` if the caller has read it."""
        database = engine_key(conn.engine)
        version = data_version(conn) if version is None else version
        full = (database, version, *key)

        def compute_and_forget_older() -> T:
            value = compute()
            with self._lock:  # the same value of an older version is never asked again
                stale = [
                    k
                    for k in self._items
                    if isinstance(k, tuple) and k[0] == database and k[2:] == key
                ]
                for k in stale:
                    del self._items[k]
            return value

        return self.get(full, compute_and_forget_older)  # type: ignore[no-any-return]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class PerVersion(Generic[T]):
    """A value built from the whole registry by `build(conn)`, once per data version:
    a `VersionedCache` keyed on the build function."""

    def __init__(self, build: Callable[[Connection], T], keep: int = 8) -> None:
        self._build = build
        self._key = f"{build.__module__}.{build.__qualname__}"
        self.cache = VersionedCache(size=keep)

    def get(self, conn: Connection) -> T:
        return self.cache.of_version(conn, lambda: self._build(conn), self._key)


# How long a claim lives unless renewed; its holder renews it every third of that.
CLAIM_SECONDS = 60.0
# How often a read waiting for another process's value looks for it.
WAIT_POLL = 0.1
# How long a read serving an older version trusts that the database has no newer
# one before it looks again.
LOOK_AGAIN = 1.0

_stale = threading.Event()
# Set around work that needs the current versions (the warm-up): reads wait for them.
_fresh: ContextVar[bool] = ContextVar("jumelage_fresh_reads", default=False)
# Set around a request by whoever keeps its answer (`api.cache`): the versions of
# the older values the answer was made of.
_served_stale: ContextVar[list[int] | None] = ContextVar("jumelage_served_stale", default=None)


@contextmanager
def fresh_reads() -> Iterator[None]:
    """Within: reads of shared values wait for the current data version."""
    token = _fresh.set(True)
    try:
        yield
    finally:
        _fresh.reset(token)


@contextmanager
def noting_stale() -> Iterator[list[int]]:
    """Within: the list holds the data version of every older value read (an answer
    made of one is not to be kept as the current version's)."""
    found: list[int] = []
    token = _served_stale.set(found)
    try:
        yield found
    finally:
        _served_stale.reset(token)


def _stale_answer(found: Derived[T]) -> Derived[T]:
    noted = _served_stale.get()
    if noted is not None:
        noted.append(found.version)
    return found


def serve_stale(allowed: bool) -> None:
    """Let reads of shared values be answered from the newest stored version while
    the current one is computed (a served app, whose warmer brings them up to
    date); without, a read waits for the current version."""
    if allowed:
        _stale.set()
    else:
        _stale.clear()


def _owner() -> str:
    """This process, as a claim names it."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


@dataclass(frozen=True)
class Derived(Generic[T]):
    """A shared value, the data version it was computed for, when, and the
    registry's data version when it was read."""

    value: T
    version: int
    computed_at: dt.datetime
    current: int

    @property
    def stale(self) -> bool:
        return self.version < self.current


class _Claims:
    """The claims this process holds, renewed in a thread while there are any."""

    def __init__(self) -> None:
        self._held: dict[tuple[str, str], Engine] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def take(self, engine: Engine, key: str, version: int) -> bool:
        now = time.time()
        if not queries_derived.claim(engine, key, version, _owner(), now, now + CLAIM_SECONDS):
            return False
        with self._lock:
            self._held[(engine_key(engine), key)] = engine
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._renew, name="jumelage-claims", daemon=True
                )
                self._thread.start()
        return True

    def drop(self, engine: Engine, key: str) -> None:
        with self._lock:
            self._held.pop((engine_key(engine), key), None)

    def _renew(self) -> None:
        while True:
            time.sleep(CLAIM_SECONDS / 3)
            with self._lock:
                if not self._held:
                    self._thread = None
                    return
                held = list(self._held.items())
            for (_database, key), engine in held:
                try:
                    queries_derived.renew(engine, [key], _owner(), time.time() + CLAIM_SECONDS)
                except Exception:  # the claim lapses; another process computes instead
                    log.exception("renewing the claim on %s failed", key)


_CLAIMS = _Claims()
# Values computed while older ones are served: one at a time per process.
_BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jumelage-derived")


class SharedCache(VersionedCache):
    """Values derived from the whole registry, computed once per data version for
    every process on the database and kept in the database between them; the
    newest of each held in memory here (`size` of them)."""

    def __init__(self, name: str, size: int = 8) -> None:
        super().__init__(size)
        self.name = name
        self.loaded = 0  # values read from the database instead of computed
        self._looked: dict[tuple[str, str], tuple[int, float]] = {}
        self._refreshing: dict[tuple[str, str], threading.Lock] = {}
        self._pending: set[tuple[str, str]] = set()  # computations queued in the background

    def derived(
        self, engine: Engine, key: str, compute: Callable[[], T], fresh: bool = False
    ) -> Derived[T]:
        """The value of `compute()` for the registry's current data version (or, while
        it is computed, for the newest stored one unless `fresh` is asked for)."""
        name = f"{self.name}:{key}"[:200]
        slot = (engine_key(engine), name)
        with engine.connect() as conn:
            current = data_version(conn)
            conn.rollback()
        held = self._held(slot)
        if held is not None and held.version >= current:
            return replace(held, current=current)
        stale_ok = _stale.is_set() and not fresh and not _fresh.get()
        if held is not None and stale_ok and self._looked_lately(slot, current):
            return _stale_answer(replace(held, current=current))
        with self._lock:
            guard = self._refreshing.setdefault(slot, threading.Lock())
        if not guard.acquire(blocking=not (stale_ok and held is not None)):
            assert held is not None  # another thread of this process is looking
            return _stale_answer(replace(held, current=current))
        try:
            found = self._refresh(engine, slot, compute, current, stale_ok)
        finally:
            guard.release()
        return _stale_answer(found) if found.stale else found

    def _refresh(
        self,
        engine: Engine,
        slot: tuple[str, str],
        compute: Callable[[], T],
        current: int,
        stale_ok: bool,
    ) -> Derived[T]:
        name = slot[1]
        held = self._newest(engine, slot)
        if held is not None and held.version >= current:
            return replace(held, current=current)
        if held is not None and stale_ok:
            self._revalidate(engine, slot, compute, current)
            with self._lock:
                self._looked[slot] = (current, time.monotonic())
            return replace(held, current=current)
        while True:
            if _CLAIMS.take(engine, name, current):
                return self._compute(engine, slot, compute, current)
            held = self._newest(engine, slot)
            if held is not None and held.version >= current:
                return replace(held, current=current)
            time.sleep(WAIT_POLL)

    def _held(self, slot: tuple[str, str]) -> Derived[Any] | None:
        with self._lock:
            found = self._items.get(slot)
            if found is not None:
                self._items.move_to_end(slot)
            return found

    def _looked_lately(self, slot: tuple[str, str], current: int) -> bool:
        with self._lock:
            version, at = self._looked.get(slot, (-1, 0.0))
        return version == current and time.monotonic() - at < LOOK_AGAIN

    def _newest(self, engine: Engine, slot: tuple[str, str]) -> Derived[Any] | None:
        """The newest value held here or stored in the database (read when newer)."""
        held = self._held(slot)
        with engine.connect() as conn:
            if queries_derived.stored_version(conn, slot[1]) <= (
                -1 if held is None else held.version
            ):
                conn.rollback()
                return held
            found = queries_derived.stored(conn, slot[1])
            conn.rollback()
        if found is None:
            return held
        value = pickle.loads(zlib.decompress(found.value))
        with self._lock:
            self.loaded += 1
        return self._remember(slot, Derived(value, found.version, found.computed_at, found.version))

    def _compute(
        self, engine: Engine, slot: tuple[str, str], compute: Callable[[], T], version: int
    ) -> Derived[T]:
        """`compute()` under this process's claim, stored for the others."""
        try:
            value = compute()
            # pickle: the values are our own (numpy arrays, dataclasses), read back
            # only from our own database.
            packed = zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)
            now = dt.datetime.now(dt.UTC)
            queries_derived.keep(engine, slot[1], version, packed, _owner(), now)
        except BaseException:
            queries_derived.release(engine, slot[1], _owner())
            raise
        finally:
            _CLAIMS.drop(engine, slot[1])
        with self._lock:
            self.computed += 1
        return self._remember(slot, Derived(value, version, now, version))

    def _revalidate(
        self, engine: Engine, slot: tuple[str, str], compute: Callable[[], T], version: int
    ) -> None:
        """Claim and compute `version` in the background, unless this process is at it:
        the request that asked answers at once, even while the database is busy."""
        with self._lock:
            if slot in self._pending:
                return
            self._pending.add(slot)
        _BACKGROUND.submit(self._claim_and_compute, engine, slot, compute, version)

    def _claim_and_compute(
        self, engine: Engine, slot: tuple[str, str], compute: Callable[[], T], version: int
    ) -> None:
        try:
            if _CLAIMS.take(engine, slot[1], version):
                self._compute(engine, slot, compute, version)
        except Exception:  # the next read or warm-up tries again
            log.exception("computing %s for data version %s failed", slot[1], version)
        finally:
            with self._lock:
                self._pending.discard(slot)

    def _remember(self, slot: tuple[str, str], found: Derived[T]) -> Derived[T]:
        with self._lock:
            held = self._items.get(slot)
            if held is not None and held.version >= found.version:
                return held  # type: ignore[no-any-return]
            self._items[slot] = found
            self._items.move_to_end(slot)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return found


def once_per_version(
    engine: Engine, key: str, version: int, work: Callable[[], None]
) -> bool | None:
    """`work()` for `version` in one process of all on the database: True when this
    one did it, False when another has done it (or a later version), None while
    another is doing it."""
    with engine.connect() as conn:
        done = queries_derived.stored_version(conn, key)
        conn.rollback()
    if done >= version:
        return False
    if not _CLAIMS.take(engine, key, version):
        return None
    try:
        work()
        queries_derived.keep(engine, key, version, b"", _owner(), dt.datetime.now(dt.UTC))
    except BaseException:
        queries_derived.release(engine, key, _owner())
        raise
    finally:
        _CLAIMS.drop(engine, key)
    return True
