import pytest
from fastapi.testclient import TestClient

from jumelage.app import create_app
from jumelage.services.reference import load_reference_data


@pytest.fixture
def engine_with_reference(registry):
    """The fixture dataset with the bundled programmes, DAC list and networks."""
    load_reference_data(registry.engine)
    return registry.engine


@pytest.fixture
def client(registry, engine_with_reference):
    with TestClient(create_app(registry)) as test_client:
        yield test_client
