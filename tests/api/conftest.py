import pytest
from fastapi.testclient import TestClient

from jumelage.app import create_app


@pytest.fixture
def client(registry):
    with TestClient(create_app(registry)) as test_client:
        yield test_client
