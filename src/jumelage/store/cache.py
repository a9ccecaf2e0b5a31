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
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine, select

from jumelage.store.schema import registry_state

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
