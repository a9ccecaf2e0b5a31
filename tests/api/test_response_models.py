"""Every response model in the OpenAPI schema describes what its endpoint returns.

The routes answer with their own JSON responses, so FastAPI does not check them
against the declared `response_model`; this test does: each GET operation that
declares a JSON schema for 200 is called with parameters that name real objects,
and the answer is validated against the schema. An operation added with a model
but without parameters here fails the test until it is listed.
"""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import select

from jumelage.app import create_app
from jumelage.services import writing
from jumelage.services.curation import add_items
from jumelage.store.schema_curation import curation_item
from tests.builders import bearer, place_id, token_for

# Query parameters an operation requires, beyond the path's.
QUERIES = {
    "/api/v1/municipalities": {"q": "Köln"},
    "/api/v1/municipalities/{ref}/state": {"date": "1987"},
    "/api/v1/links/{link_id}/plan": {"year": 2025},
    "/api/v1/audit": {"object_type": "link"},
    "/api/v1/stats/network/power-law": {"bootstrap": 2},
    "/api/v1/stats/network/distances": {"sample": 1000},
}


def _objects(client, headers, engine):
    """Real objects for the path parameters: Köln, one of its links, a partner
    search, an activity, a development project, a programme, a network and a curation item."""
    koeln = place_id(engine, "Q365")
    partners = client.get("/api/v1/municipalities/Q365/partners").json()
    link_id = partners[0]["link_id"]
    search = client.post(
        "/api/v1/municipalities/Q365/searches",
        json={"title": "A partner by the sea", "expires_on": "2099-12-31"},
        headers=headers,
    )
    activity = client.post(
        f"/api/v1/links/{link_id}/activities",
        json={"kind": "visit", "title": "A delegation", "start_date": "2024-05"},
        headers=headers,
    )
    assert search.status_code == 201 and activity.status_code == 201
    with writing(engine, "test") as w:
        item = {"key": "unlabelled:Q365", "kind": "unlabelled", "places": ["Q365"]}
        add_items(w, [item], "build")
        item_id = w.conn.execute(select(curation_item.c.id)).scalar()
    return {
        "item_id": item_id,
        "ref": "Q365",
        "link_id": link_id,
        "search_id": search.json()["id"],
        "activity_id": activity.json()["id"],
        "municipality": koeln,
    }


def test_every_declared_response_model_matches_the_answer(registry):
    app = create_app(registry)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    headers = bearer(token_for(registry.engine, "checker", "admin", []))
    with TestClient(app) as client:
        values = _objects(client, headers, registry.engine)
    checked, missing = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET":
            continue
        declared = operation.definition.raw["responses"].get("200", {}).get("content", {})
        if "application/json" not in declared or not declared["application/json"].get("schema"):
            continue
        names = [p.name for p in operation.path_parameters]
        if any(n not in values for n in names):
            missing.append(operation.path)
            continue
        case = operation.Case(
            path_parameters={n: values[n] for n in names},
            query=QUERIES.get(operation.path, {}),
        )
        response = case.call(headers=headers)
        assert response.status_code == 200, (operation.path, response.text[:300])
        case.validate_response(response, checks=[response_schema_conformance])
        checked.append(operation.path)
    assert missing == []
    assert len(checked) >= 30
