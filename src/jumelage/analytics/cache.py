"""Results kept in memory until the registry's data changes.

Keys name the database, its data version (bumped by every write) and the
computation with its parameters, so a stale result is never served: after a
write the version differs and the next request computes afresh. Old entries
fall out when the cache is full.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


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

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
