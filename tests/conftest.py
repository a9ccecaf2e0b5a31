"""Test layers and their databases.

Integration tests take the `engine` fixture and run once per backend: SQLite
always, PostgreSQL when JUMELAGE_TEST_POSTGRESQL_URL names a server (an admin
URL; each test gets its own database, created from a migrated template and
dropped afterwards). With JUMELAGE_TEST_REQUIRE_ALL=1 (as in CI) a missing
PostgreSQL server or browser is an error, never a silent skip.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from jumelage.registry import Registry, initialise, prepare
from jumelage.settings import Settings, load_settings
from jumelage.store.db import make_engine

PG_URL = os.environ.get("JUMELAGE_TEST_POSTGRESQL_URL", "").strip()
REQUIRE_ALL = os.environ.get("JUMELAGE_TEST_REQUIRE_ALL", "") == "1"


NO_POSTGRESQL = "PostgreSQL layer: JUMELAGE_TEST_POSTGRESQL_URL names no server"


def backends() -> list[Any]:
    """SQLite, and PostgreSQL: run when a server is named, else counted as skipped."""
    if not PG_URL and REQUIRE_ALL:
        raise pytest.UsageError(
            "JUMELAGE_TEST_REQUIRE_ALL=1 but JUMELAGE_TEST_POSTGRESQL_URL is not set"
        )
    postgres = [pytest.mark.postgres]
    if not PG_URL:
        postgres.append(pytest.mark.skip(reason=NO_POSTGRESQL))
    return ["sqlite", pytest.param("postgresql", marks=postgres)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", backends(), scope="session")


class PostgresServer:
    """Creates and drops throw-away databases on the test server."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url).set(drivername="postgresql+psycopg")
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=None)

    def create(self, template: str | None = None) -> str:
        name = f"jumelage_test_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        return name

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer | None]:
    if not PG_URL:
        yield None
        return
    server = PostgresServer(PG_URL)
    yield server
    server.admin.dispose()


@pytest.fixture(scope="session")
def templates(
    backend: str, pg_server: PostgresServer | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """Two migrated databases per backend, made once: empty, and with the fixture data."""
    made: dict[str, str] = {}
    for kind in ("empty", "fixture"):
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("templates") / f"{kind}.sqlite3"
            made[kind] = str(path)
            url = f"sqlite:///{path}"
        else:
            assert pg_server is not None
            made[kind] = pg_server.create()
            url = pg_server.url_of(made[kind])
        engine = make_engine(url)
        registry = Registry(settings_for(url), engine)
        if kind == "empty":
            prepare(registry)
        else:
            initialise(registry, "fixture")
        engine.dispose()
    yield made
    if backend == "postgresql":
        assert pg_server is not None
        for name in made.values():
            pg_server.drop(name)


def _database_from(
    kind: str,
    backend: str,
    templates: dict[str, str],
    pg_server: PostgresServer | None,
    tmp_path: Path,
) -> Iterator[Engine]:
    if backend == "sqlite":
        path = tmp_path / f"{kind}.sqlite3"
        shutil.copyfile(templates[kind], path)
        engine = make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
        return
    assert pg_server is not None
    name = pg_server.create(template=templates[kind])
    engine = make_engine(pg_server.url_of(name))
    yield engine
    engine.dispose()
    pg_server.drop(name)


@pytest.fixture
def engine(
    backend: str, templates: dict[str, str], pg_server: PostgresServer | None, tmp_path: Path
) -> Iterator[Engine]:
    """An empty, migrated database of this backend."""
    yield from _database_from("empty", backend, templates, pg_server, tmp_path)


@pytest.fixture
def loaded_engine(
    backend: str, templates: dict[str, str], pg_server: PostgresServer | None, tmp_path: Path
) -> Iterator[Engine]:
    """A database of this backend holding the fixture dataset."""
    yield from _database_from("fixture", backend, templates, pg_server, tmp_path)


# The data folder of registries built for tests (the matcher's weights files go
# there): one per test process, removed when it ends, never the user's own.
_DATA_DIR = tempfile.mkdtemp(prefix="jumelage-test-data-")
atexit.register(shutil.rmtree, _DATA_DIR, True)


def settings_for(url: str) -> Settings:
    return load_settings(
        {
            "JUMELAGE_DATABASE_URL": url,
            "JUMELAGE_SECRET_KEY": "test-secret",
            "JUMELAGE_DATA_DIR": _DATA_DIR,
        }
    )


def registry_for(engine: Engine) -> Registry:
    return Registry(settings_for(engine.url.render_as_string(hide_password=False)), engine)


@pytest.fixture
def registry(loaded_engine: Engine) -> Registry:
    return registry_for(loaded_engine)


@pytest.fixture
def client(registry: Registry) -> Iterator[Any]:
    """The app on the fixture registry, through an in-process HTTP client."""
    from fastapi.testclient import TestClient

    from jumelage.app import create_app

    with TestClient(create_app(registry)) as test_client:
        yield test_client


@pytest.fixture
def admin(registry: Registry) -> dict[str, str]:
    """The headers of an administrator's API token."""
    from tests.builders import bearer, token_for

    return bearer(token_for(registry.engine, "umbrella", "admin", []))


# Test layers, as markers: `pytest -m unit` runs the pure rules in seconds.
#   unit: no database, no server, no browser, no subprocess, and quick (a test
#         marked `slow`, such as a bootstrap of thousands of fits, runs with integration);
#   integration: a real database (SQLite and PostgreSQL) or the command line's processes;
#   end_to_end: a real server process or a real browser.
END_TO_END = (
    "tests/browser/",
    "tests/durability/",
    "tests/test_server.py",
    "tests/test_server_processes.py",
)
# Modules that reach a database or start processes without the `backend` fixture.
INTEGRATION = (
    "tests/cli/",
    "tests/dataset/test_build.py",
    "tests/dataset/test_bundled.py",
    "tests/stats/test_bundled_network.py",
    "tests/unit/test_docs.py",
)


def layer_of(item: pytest.Item) -> str:
    path = Path(str(item.fspath)).resolve().relative_to(Path(__file__).resolve().parents[1])
    where = path.as_posix()
    if item.get_closest_marker("browser") or where.startswith(END_TO_END):
        return "end_to_end"
    if (
        "backend" in getattr(item, "fixturenames", ())
        or where.startswith(INTEGRATION)
        or item.get_closest_marker("slow")
    ):
        return "integration"
    return "unit"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(getattr(pytest.mark, layer_of(item)))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests each layer ran or skipped, so a missing layer shows."""
    names = {"postgres": "PostgreSQL", "browser": "browser"}
    parts = []
    for layer, name in names.items():
        counts = {
            outcome: sum(layer in r.keywords for r in terminalreporter.stats.get(outcome, []))
            for outcome in ("passed", "failed", "skipped")
        }
        said = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n) or "none run"
        parts.append(f"{name} {said}")
    terminalreporter.write_line("layers: " + "; ".join(parts))
