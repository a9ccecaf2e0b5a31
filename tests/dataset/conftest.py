from __future__ import annotations

from pathlib import Path

import pytest

from jumelage.dataset.gazetteer import Gazetteer, load_gazetteer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer(FIXTURES / "gazetteer", FIXTURES / "gazetteer" / "cities500.json")


@pytest.fixture(scope="session")
def fixture_sources() -> Path:
    return FIXTURES / "sources"
