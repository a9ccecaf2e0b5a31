"""How many requests a worker computes at once: the threads that run the routes."""

import dataclasses

from anyio import to_thread
from fastapi.testclient import TestClient

from jumelage.app import create_app
from jumelage.registry import Registry


def _tokens(client: TestClient) -> float:
    assert client.portal is not None
    return client.portal.call(lambda: to_thread.current_default_thread_limiter().total_tokens)


def test_a_worker_computes_as_many_requests_at_once_as_its_database_suits(registry):
    expected = 4 if registry.engine.dialect.name == "sqlite" else 40
    with TestClient(create_app(registry)) as client:
        assert _tokens(client) == expected
        assert client.get("/api/v1/municipalities/Q365").status_code == 200


def test_jumelage_threads_sets_how_many_requests_a_worker_computes_at_once(registry):
    settings = dataclasses.replace(registry.settings, threads=7)
    with TestClient(create_app(Registry(settings, registry.engine))) as client:
        assert _tokens(client) == 7
