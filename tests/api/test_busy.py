"""A write that arrives while another write holds the database (a long import).

SQLite has one writer: a write waits for the lock (`store.db.SQLITE_BUSY_MS`) and
then answers 503 with Retry-After, in the API's one error shape, having written
nothing. PostgreSQL locks rows and tables, not the database: the write waits for
the import's lock and then goes through.
"""

from __future__ import annotations

import sqlite3
import threading
import time

from fastapi.testclient import TestClient
from sqlalchemy import text

from jumelage.app import create_app
from jumelage.store import db
from tests.builders import bearer, token_for


def _population(client):
    answer = client.get("/api/v1/municipalities/Q365")
    return answer.json()["population"], answer.headers["etag"]


def test_a_write_while_an_import_holds_the_database_waits_or_says_when_to_try_again(
    registry, monkeypatch
):
    admin = bearer(token_for(registry.engine, "umbrella", "admin", []))
    engine = registry.engine
    if engine.dialect.name == "sqlite":
        monkeypatch.setattr(db, "SQLITE_BUSY_MS", 300)
        engine.dispose()  # new connections wait 0.3 s instead of 10
    with TestClient(create_app(registry)) as client:
        before, etag = _population(client)
        if engine.dialect.name == "sqlite":
            importer = sqlite3.connect(engine.url.database, isolation_level=None)
            importer.execute("BEGIN IMMEDIATE")  # what a long import holds
            answer = client.patch(
                "/api/v1/municipalities/Q365",
                json={"population": before + 1},
                headers={**admin, "If-Match": etag},
            )
            importer.execute("ROLLBACK")
            importer.close()
            assert answer.status_code == 503
            assert answer.headers["retry-after"] == "5"
            assert answer.json()["error"]["code"] == "busy"
            assert "nothing was written" in answer.json()["error"]["message"]
            assert _population(client)[0] == before
        else:
            importer = engine.connect()
            importer.execute(text("LOCK TABLE municipality IN EXCLUSIVE MODE"))
            release = threading.Timer(1.0, importer.rollback)
            release.start()
            started = time.monotonic()
            answer = client.patch(
                "/api/v1/municipalities/Q365",
                json={"population": before + 1},
                headers={**admin, "If-Match": etag},
            )
            release.join()
            importer.close()
            assert answer.status_code == 200
            assert time.monotonic() - started >= 0.9  # it waited for the lock
            before, etag = _population(client)
        # Once the lock is gone the same write goes through.
        answer = client.patch(
            "/api/v1/municipalities/Q365",
            json={"population": before + 1},
            headers={**admin, "If-Match": etag},
        )
        assert answer.status_code == 200
        assert _population(client)[0] == before + 1
