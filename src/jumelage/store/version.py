"""A process-local count of committed writes, so this process's caches see its own
writes at once (other processes' writes are seen through the database)."""

from __future__ import annotations

import threading

_count = 0
_lock = threading.Lock()


def note_local_write() -> None:
    global _count
    with _lock:
        _count += 1


def local_writes() -> int:
    return _count
