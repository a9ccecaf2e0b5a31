"""A bundle with one place twice: Köln as in the fixture, and a second Köln without
coordinates or QID that carries a copy of Köln–Liverpool and a link to Oxford."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from jumelage.dataset.curation import write_candidates
from jumelage.registry import Registry, initialise
from jumelage.services.bundle import FIXTURE
from jumelage.settings import load_settings
from jumelage.store.db import make_engine

TWIN_KEY = "DE:Köln"


def duplicate_bundle(target: Path) -> Path:
    shutil.copytree(FIXTURE, target)
    with (target / "municipalities.csv").open("a", encoding="utf-8") as out:
        out.write("33,,Köln,city,DE,,,,,,,,\n")
    with (target / "links.csv").open("a", encoding="utf-8") as out:
        out.write("101,22,33,partnership\n102,24,33,partnership\n")
    with (target / "link_sources.csv").open("a", encoding="utf-8") as out:
        out.write("101,wikidata-2016,2016-09,Wikidata P190,Liverpool,Köln\n")
        out.write("102,wikidata-2016,2016-09,Wikidata P190,Oxford,Köln\n")
    write_candidates(target)
    return target


def registry_on(engine: Engine, data_dir: Path) -> Registry:
    url = engine.url.render_as_string(hide_password=False)
    settings = load_settings(
        {
            "JUMELAGE_DATABASE_URL": url,
            "JUMELAGE_SECRET_KEY": "test-secret",
            "JUMELAGE_DATA_DIR": str(data_dir),
        }
    )
    return Registry(settings, engine)


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return duplicate_bundle(tmp_path / "bundle")


@pytest.fixture
def curated(engine: Engine, bundle: Path, tmp_path: Path) -> Registry:
    """A registry loaded from the bundle with the duplicate, its data folder its own."""
    registry = registry_on(engine, tmp_path / "data")
    initialise(registry, bundle)
    return registry


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """A second, empty database: the registry loaded anew."""
    engine = make_engine(f"sqlite:///{tmp_path / 'again.sqlite3'}")
    yield engine
    engine.dispose()
