"""A cache of public GET responses of the API, valid until the data changes.

Every answer of `/api/v1` to an anonymous GET is a function of the registry's
data (and, for the partner search board and dormant links, of the day). The
cache keeps the complete response (status, headers, body) keyed by path, query
string and day, and serves it again while the data version is unchanged — in
front of the framework, so a hit costs about what a static answer does.

The data version: on SQLite, `PRAGMA data_version` of a connection kept for
this purpose changes whenever another connection (in any process) commits; on
PostgreSQL, `registry_state.data_version` is read at most every quarter second,
so another worker's write shows within that time (this worker's own writes
show at once).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jumelage.store.schema import registry_state
from jumelage.store.version import local_writes

MAX_ENTRIES = 50_000
MAX_BODY = 2_000_000
MAX_TOTAL = 512 * 1024 * 1024
POLL_SECONDS = 0.25


class DataVersion:
    """A cheap answer to "has the registry changed since?"."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sqlite: sqlite3.Connection | None = None
        self._cursor: sqlite3.Cursor | None = None
        database = engine.url.database
        if engine.dialect.name == "sqlite" and database and database != ":memory:":
            self._sqlite = sqlite3.connect(database, check_same_thread=False)
            self._cursor = self._sqlite.cursor()
        self._polled_at = 0.0
        self._polled: int = -1

    def current(self) -> tuple[int, int]:
        if self._cursor is not None:
            remote = int(self._cursor.execute("PRAGMA data_version").fetchone()[0])
        else:
            now = time.monotonic()
            if now - self._polled_at > POLL_SECONDS:
                with self.engine.connect() as conn:
                    self._polled = int(
                        conn.execute(select(registry_state.c.data_version)).scalar() or 0
                    )
                self._polled_at = now
            remote = self._polled
        return remote, local_writes()


class _Today:
    """Today's date as ISO text, worked out again only when a day has passed."""

    def __init__(self) -> None:
        self._text = ""
        self._until = 0.0

    def text(self) -> str:
        now = time.time()
        if now >= self._until:
            today = dt.date.today()
            midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time())
            self._text, self._until = today.isoformat(), midnight.timestamp()
        return self._text


@dataclass
class Entry:
    version: tuple[int, int]
    start: Message
    body: bytes


class ResponseCache:
    def __init__(self, app: ASGIApp, engine: Engine, prefix: str = "/api/v1/") -> None:
        self.app = app
        self.prefix = prefix
        self.version = DataVersion(engine)
        self.entries: OrderedDict[tuple[str, bytes, bytes, str], Entry] = OrderedDict()
        self.size = 0
        self.hits = 0
        self.misses = 0
        self.today = _Today()

    def _cacheable(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        if not scope["path"].startswith(self.prefix):
            return False
        # Signed-in callers may see more; their answers are not shared.
        for name, _value in scope["headers"]:
            if name == b"cookie" or name == b"authorization":
                return False
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        # Names follow Accept-Language (GET /api/v1/municipalities/{ref}): answers differ by it.
        language = next((v for n, v in scope["headers"] if n == b"accept-language"), b"")
        key = (scope["path"], scope["query_string"], language, self.today.text())
        version = self.version.current()
        entry = self.entries.get(key)
        if entry is not None and entry.version == version:
            self.hits += 1
            self.entries.move_to_end(key)
            await send(entry.start)
            await send({"type": "http.response.body", "body": entry.body})
            return
        self.misses += 1
        await self._fill(scope, receive, send, key, version)

    async def _fill(
        self, scope: Scope, receive: Receive, send: Send, key: Any, version: tuple[int, int]
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        complete = False

        async def capture(message: Message) -> None:
            nonlocal start, complete
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                complete = not message.get("more_body", False)
            await send(message)

        await self.app(scope, receive, capture)
        if start is None or start["status"] != 200 or not complete:
            return
        body = b"".join(chunks)
        if len(body) > MAX_BODY:
            return
        self._store(key, Entry(version, start, body))

    def _store(self, key: Any, entry: Entry) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self.entries[key] = entry
        self.size += len(entry.body)
        while len(self.entries) > MAX_ENTRIES or self.size > MAX_TOTAL:
            _key, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)
