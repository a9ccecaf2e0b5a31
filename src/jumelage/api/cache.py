"""A cache of public GET responses of the API, valid until the data changes.

Every answer of `/api/v1` to an anonymous GET is a function of the registry's
data (and, for the partner search board and dormant links, of the day). The
cache keeps the complete response (status, headers, body) keyed by path, query
string and day, and serves it again while the data version is unchanged — in
front of the framework, so a hit costs about what a static answer does.

The data version: on SQLite, `PRAGMA data_version` of a connection kept for
this purpose changes whenever another connection (in any process) commits; on
PostgreSQL, `registry_state.data_version` (one row, raised by every write in the
write's own transaction) is read for every public GET, on the read threads
(`api.offload`), so a write through any worker of any server is seen by the next
read everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from starlette.datastructures import State
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jumelage.api.offload import offload_for
from jumelage.store.cache import data_version, noting_stale
from jumelage.store.db import read_engine
from jumelage.store.version import local_writes

# The bounds of one worker's cache: at most this many answers and bytes; an
# answer larger than MAX_BODY is never kept. ENTRY_OVERHEAD is an allowance for
# the Python objects of an entry and its key (measured: about 1 kB).
MAX_ENTRIES = 10_000
MAX_BODY = 2_000_000
MAX_TOTAL = 64 * 1024 * 1024
ENTRY_OVERHEAD = 1024
# The ETag a route sets for an object with a version.
_VERSION_TAG = re.compile(rb'"[0-9]{1,19}"')


class DataVersion:
    """A cheap answer to "has the registry changed since?"."""

    def __init__(self, engine: Engine, state: State) -> None:
        """`state`: the app's, on whose read threads the version is read on PostgreSQL."""
        self._reader = read_engine(engine)
        self.state = state
        self._sqlite: sqlite3.Connection | None = None
        self._cursor: sqlite3.Cursor | None = None
        database = engine.url.database
        if engine.dialect.name == "sqlite" and database and database != ":memory:":
            self._sqlite = sqlite3.connect(database, check_same_thread=False)
            self._cursor = self._sqlite.cursor()

    def current(self) -> tuple[int, int]:
        if self._cursor is not None:
            remote = int(self._cursor.execute("PRAGMA data_version").fetchone()[0])
        else:
            with self._reader.connect() as conn:
                remote = data_version(conn)
        return remote, local_writes()

    async def checked(self) -> tuple[int, int]:
        """`current()` without blocking the event loop: SQLite's pragma reads a
        counter in shared memory; the database's row is read on the app's read
        threads (`api.offload`)."""
        if self._cursor is not None:
            return self.current()
        return await offload_for(self.state).run(self.current)


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

    @property
    def cost(self) -> int:
        """Bytes the entry holds: body, headers and a fixed allowance for the objects."""
        headers = sum(len(k) + len(v) for k, v in self.start.get("headers", ()))
        return len(self.body) + headers + ENTRY_OVERHEAD


def _header(start: Message, name: bytes) -> bytes | None:
    for key, value in start.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return None


def _request_header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def _validated(scope: Scope, start: Message, body: bytes, shared: bool) -> Message:
    """The response start with an ETag and Cache-Control.

    An answer that names an object's version as its ETag (`"<version>"`) gets
    `"<version>.<digest of the body>"`: clients send it back as If-Match, which
    compares the version (`api.auth.expected_version`), and as If-None-Match,
    which compares the whole tag (the body also holds what the version does not
    cover, such as the partners). Every other answer gets a weak ETag of its body.
    Public API answers may be kept by a shared cache in front (`public`), which
    must ask again each time (`no-cache`) and gets 304 while nothing changed;
    answers for a signed-in caller are `private`.
    """
    headers = [(k, v) for k, v in start.get("headers", ())]
    etag = _header(start, b"etag")
    if start["status"] == 200 and (etag is None or _VERSION_TAG.fullmatch(etag)):
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        headers = [(k, v) for k, v in headers if k.lower() != b"etag"]
        if etag is None:
            headers.append((b"etag", f'W/"{digest}"'.encode()))
        else:  # the object's version, for If-Match, and which body it is, for If-None-Match
            headers.append((b"etag", etag[:-1] + f'.{digest}"'.encode()))
    if _header(start, b"cache-control") is None and scope["path"].startswith("/static/"):
        # Files of this release: a cache may keep them an hour without asking.
        headers.append((b"cache-control", b"public, max-age=3600"))
    elif _header(start, b"cache-control") is None:
        policy = b"public, no-cache" if shared else b"private, no-cache"
        headers.append((b"cache-control", policy))
        headers.append((b"vary", b"Authorization, Cookie"))
    return {**start, "headers": headers}


def _not_modified(scope: Scope, start: Message) -> Message | None:
    """A 304 start when If-None-Match names this answer's ETag (weak comparison: every
    ETag a GET answers with names its body)."""
    sent = _request_header(scope, b"if-none-match")
    etag = _header(start, b"etag")
    if sent is None or etag is None or start["status"] != 200:
        return None
    tags = {t.strip().removeprefix(b"W/") for t in sent.split(b",")}
    if etag.removeprefix(b"W/") not in tags and b"*" not in tags:
        return None
    keep = (b"etag", b"cache-control", b"vary")
    headers = [(k, v) for k, v in start["headers"] if k.lower() in keep]
    return {"type": "http.response.start", "status": 304, "headers": headers}


async def _answer(scope: Scope, send: Send, start: Message, body: bytes) -> None:
    not_modified = _not_modified(scope, start)
    if not_modified is not None:
        await send(not_modified)
        await send({"type": "http.response.body", "body": b""})
        return
    await send(start)
    await send({"type": "http.response.body", "body": body})


class ResponseCache:
    """Public GET answers of the API kept in memory, least recently used first out,
    within `max_entries` answers and `max_bytes` bytes (bodies, headers and an
    allowance per entry); and ETag / 304 / Cache-Control for every GET."""

    def __init__(
        self,
        app: ASGIApp,
        engine: Engine,
        state: State,
        prefix: str = "/api/v1/",
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_TOTAL,
    ) -> None:
        self.app = app
        self.prefix = prefix
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.version = DataVersion(engine, state)
        self.entries: OrderedDict[tuple[str, bytes, bytes, str], Entry] = OrderedDict()
        self.size = 0
        self.hits = 0
        self.misses = 0
        self.today = _Today()

    def _cacheable(self, scope: Scope) -> bool:
        if not scope["path"].startswith(self.prefix):
            return False
        # Signed-in callers may see more; their answers are not shared.
        for name, _value in scope["headers"]:
            if name == b"cookie" or name == b"authorization":
                return False
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        cacheable = self._cacheable(scope)
        if not cacheable:
            await self._through(scope, receive, send, None, (0, 0))
            return
        # Names follow Accept-Language (GET /api/v1/municipalities/{ref}): answers differ by it.
        language = next((v for n, v in scope["headers"] if n == b"accept-language"), b"")
        key = (scope["path"], scope["query_string"], language, self.today.text())
        version = await self.version.checked()
        entry = self.entries.get(key)
        if entry is not None and entry.version == version:
            self.hits += 1
            self.entries.move_to_end(key)
            await _answer(scope, send, entry.start, entry.body)
            return
        self.misses += 1
        await self._through(scope, receive, send, key, version)

    async def _through(
        self, scope: Scope, receive: Receive, send: Send, key: Any, version: tuple[int, int]
    ) -> None:
        """Run the app, then answer (304 when the client holds this body); keep the
        answer when `key` is given."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        with noting_stale() as stale:
            await self.app(scope, receive, capture)
        if start is None:
            return
        body = b"".join(chunks)
        if stale:
            # Made of a value of an older data version while the current one is
            # computed: neither this cache nor one in front may keep it.
            headers = [*start.get("headers", ()), (b"cache-control", b"no-store")]
            start = {**start, "headers": headers}
            key = None
        shared = scope["path"].startswith(self.prefix) and key is not None
        start = _validated(scope, start, body, shared)
        await _answer(scope, send, start, body)
        if key is not None and start["status"] == 200 and len(body) <= MAX_BODY:
            self._store(key, Entry(version, start, body))

    def _store(self, key: Any, entry: Entry) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= old.cost
        self.entries[key] = entry
        self.size += entry.cost
        while len(self.entries) > self.max_entries or self.size > self.max_bytes:
            _key, dropped = self.entries.popitem(last=False)
            self.size -= dropped.cost
