"""The curation queue's pages: administrators only; a decision from the form."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jumelage.app import create_app
from jumelage.services import writing
from jumelage.services.accounts import add_user
from jumelage.services.curation import read_decisions
from tests.web.conftest import PASSWORD, csrf_of, sign_in

from .conftest import TWIN_KEY

pytestmark = pytest.mark.usefixtures("backend")


@pytest.fixture
def client(curated):
    with writing(curated.engine, "test") as w:
        add_user(w, "curator", PASSWORD, "admin", [])
        add_user(w, "koeln", PASSWORD, "editor", [3])
    with TestClient(create_app(curated)) as test_client:
        yield test_client


def _duplicate_id(client) -> int:
    items = client.get("/curation?kind=duplicate&format=json").json()["items"]
    return next(i["id"] for i in items if i["places"] == ["Q365", TWIN_KEY])


def test_an_editor_is_refused_the_queue(client):
    sign_in(client, "koeln")
    assert client.get("/curation").status_code == 403


def test_the_public_is_sent_to_sign_in(client):
    answer = client.get("/curation", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_an_administrator_merges_a_duplicate_from_its_page(client, curated):
    sign_in(client, "curator")
    item_id = _duplicate_id(client)
    html = client.get(f"/curation/{item_id}").text
    assert "Suspected duplicate" in html and TWIN_KEY in html
    answer = client.post(
        f"/curation/{item_id}/decision",
        data={"decision": "merge", "keep": "Q365", "csrf_token": csrf_of(html)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "merged" in client.get(f"/curation/{item_id}").text
    assert read_decisions(curated.settings.data_dir)[0]["actor"] == "curator"


def test_a_refused_decision_shows_the_form_again_with_its_message(client, curated):
    sign_in(client, "curator")
    item_id = _duplicate_id(client)
    html = client.get(f"/curation/{item_id}").text
    answer = client.post(
        f"/curation/{item_id}/decision",
        data={"decision": "merge", "keep": "Q1", "csrf_token": csrf_of(html)},
    )
    assert answer.status_code == 422 and "keep must be one of the item" in answer.text
    assert read_decisions(curated.settings.data_dir) == []


def test_the_queue_pages_speak_german(client):
    sign_in(client, "curator")
    html = client.get("/curation?lang=de").text
    assert "Kurationsliste" in html
