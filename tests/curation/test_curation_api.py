"""The curation queue over HTTP: administrators only, one decision per item."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jumelage.app import create_app
from jumelage.services.curation import read_decisions
from tests.builders import bearer, token_for

from .conftest import TWIN_KEY

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def client(curated):
    with TestClient(create_app(curated)) as test_client:
        yield test_client


def _duplicate(client, headers):
    page = client.get("/api/v1/curation?kind=duplicate", headers=headers).json()
    return next(i for i in page["items"] if i["places"] == ["Q365", TWIN_KEY])


def test_an_administrator_sees_the_queue_with_both_sides_evidence(client, curated):
    admin = bearer(token_for(curated.engine, "curator", "admin", []))
    page = client.get("/api/v1/curation", headers=admin).json()
    assert page["counts"]["duplicate"]["open"] >= 1
    detail = client.get(f"/api/v1/curation/{_duplicate(client, admin)['id']}", headers=admin)
    assert detail.status_code == 200
    sides = detail.json()
    assert [e["name"] for e in sides["evidence"]] == ["Köln", "Köln"]
    assert sides["current"][0]["lat"] is not None and sides["current"][1]["lat"] is None


def test_an_editor_and_the_public_are_refused(client, curated):
    editor = bearer(token_for(curated.engine, "koeln", "editor", [3]))
    assert client.get("/api/v1/curation", headers=editor).status_code == 403
    assert client.get("/api/v1/curation/1", headers=editor).status_code == 403
    refused = client.post("/api/v1/curation/1/decision", json={"decision": "merge"}, headers=editor)
    assert refused.status_code == 403
    assert client.get("/api/v1/curation").status_code == 401
    assert read_decisions(curated.settings.data_dir) == []


def test_a_merge_decided_over_http_is_applied_and_kept(client, curated):
    admin = bearer(token_for(curated.engine, "curator", "admin", []))
    item = _duplicate(client, admin)
    answer = client.post(
        f"/api/v1/curation/{item['id']}/decision",
        json={"decision": "merge", "keep": "Q365"},
        headers=admin,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "decided" and body["decided_by"] == "curator"
    assert body["current"][1]["merged_into_id"] == body["current"][0]["id"]
    again = client.post(
        f"/api/v1/curation/{item['id']}/decision", json={"decision": "merge"}, headers=admin
    )
    assert again.status_code == 409
    assert [r["decision"] for r in read_decisions(curated.settings.data_dir)] == ["merge"]


def test_a_decision_the_item_does_not_take_is_a_422_and_changes_nothing(client, curated):
    admin = bearer(token_for(curated.engine, "curator", "admin", []))
    item = _duplicate(client, admin)
    answer = client.post(
        f"/api/v1/curation/{item['id']}/decision",
        json={"decision": "fix_point", "lat": 1, "lon": 2},
        headers=admin,
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["details"]["field"] == "decision"
    assert client.get(f"/api/v1/curation/{item['id']}", headers=admin).json()["status"] == "open"
