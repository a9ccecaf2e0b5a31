"""Server-side sessions and the CSRF token of cookie-authenticated API writes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from jumelage.app import create_app
from jumelage.services import writing
from jumelage.services.accounts import set_password
from tests.web.conftest import csrf_of, sign_in


def _signed_in(client, editor):
    assert sign_in(client, editor).status_code == 303
    return client.cookies.get("jumelage_session")


def test_the_old_session_cookie_answers_401_after_sign_out(registry, client, editor):
    cookie = _signed_in(client, editor)
    assert client.get("/api/v1/me").json()["name"] == editor
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)})
    with TestClient(create_app(registry)) as other:
        other.cookies.set("jumelage_session", cookie)
        assert other.get("/api/v1/me").json()["role"] == "public"
        refused = other.post("/api/v1/links/1/activate", json={"date": "2024"})
        assert refused.status_code == 401


def test_a_password_change_ends_every_session_of_the_account(registry, client, editor):
    _signed_in(client, editor)
    with writing(registry.engine, "test") as w:
        set_password(w, editor, "another long password")
    assert client.get("/api/v1/me").json()["role"] == "public"


def test_a_forged_session_cookie_signs_no_one_in(client, editor):
    client.cookies.set("jumelage_session", "eyJzaWQiOiJ4In0.forged.signature")
    assert client.get("/api/v1/me").json()["role"] == "public"


def test_a_cross_origin_body_less_cookie_post_is_refused_and_changes_nothing(client, editor):
    _signed_in(client, editor)
    before = client.get("/api/v1/links/1").json()
    answer = client.post(
        "/api/v1/links/1/activate", headers={"Origin": "https://elsewhere.example"}
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "csrf"
    assert client.get("/api/v1/links/1").json() == before


def test_a_cookie_patch_without_the_csrf_header_is_refused(client, editor):
    _signed_in(client, editor)
    etag = client.get("/api/v1/municipalities/Q365").headers["etag"]
    answer = client.patch(
        "/api/v1/municipalities/Q365", json={"population": 5}, headers={"If-Match": etag}
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "csrf"
    assert client.get("/api/v1/municipalities/Q365").json()["population"] != 5


def test_a_cookie_write_with_the_csrf_token_of_api_me_is_accepted(client, editor):
    _signed_in(client, editor)
    token = client.get("/api/v1/me").json()["csrf_token"]
    etag = client.get("/api/v1/municipalities/Q365").headers["etag"]
    answer = client.patch(
        "/api/v1/municipalities/Q365",
        json={"population": 5},
        headers={"If-Match": etag, "X-CSRF-Token": token},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["population"] == 5
