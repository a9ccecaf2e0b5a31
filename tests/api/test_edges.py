"""Every operation of the schema at the edges of its parameters: path parameters that
are not ids ("²" passes str.isdigit() but not int()), ids beyond what a column holds,
integer query parameters far beyond their use. Each answer is a 4xx or a 2xx in the
one error shape, never a server error, and nothing is written."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from jumelage.app import create_app
from tests.builders import bearer, snapshot, token_for

PATH_VALUES = ("99999999999999999999", str(2**40), "²", "١٢", "-1", "Q0")
QUERY_VALUES = (str(2**70), str(2**40), str(2**31), "-1")


def _integer(parameter: dict) -> bool:
    return "integer" in str(parameter.get("schema", {}))


def _requests(spec: dict):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for value in PATH_VALUES if "{" in path else ():
                yield method, re.sub(r"\{[^}]+\}", value, path), {}
            plain = re.sub(r"\{[^}]+\}", "Q365" if "{ref}" in path else "1", path)
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and _integer(parameter):
                    for value in QUERY_VALUES:
                        yield method, plain, {parameter["name"]: value}


@pytest.fixture
def client(registry):
    with TestClient(create_app(registry), raise_server_exceptions=False) as test_client:
        yield test_client


def test_no_parameter_at_its_edge_makes_a_server_error_or_a_write(client, registry):
    admin = bearer(token_for(registry.engine, "edges", "admin", []))
    spec = client.get("/openapi.json").json()
    before = snapshot(registry.engine)
    failures, sent = [], 0
    for method, url, params in _requests(spec):
        body = None if method in ("get", "delete") else {}
        answer = client.request(method.upper(), url, params=params, json=body, headers=admin)
        sent += 1
        if answer.status_code >= 500:
            failures.append((method, url, params, answer.status_code))
        elif answer.status_code >= 400 and answer.headers["content-type"].startswith(
            "application/json"
        ):
            assert set(answer.json()) == {"error"}, (method, url, answer.text)
    assert failures == []
    assert sent >= 500
    assert snapshot(registry.engine) == before


@pytest.mark.parametrize(
    "path", ["/m/²", "/m/99999999999999999999", "/links/99999999999999999999", "/m/²/europe-prize"]
)
def test_pages_answer_404_for_what_is_no_id(client, path):
    assert client.get(path).status_code in (404, 422)
