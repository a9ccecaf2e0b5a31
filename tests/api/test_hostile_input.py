"""Hostile input: refused with the error shape, or stored and returned harmlessly."""

import pytest

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
    "{{7*7}}",
]
SQL = ["'; DROP TABLE link; --", "Köln' OR '1'='1", "%", "_", "\\", "100%_sure\\"]


@pytest.mark.parametrize("query", SQL + XSS)
def test_search_with_metacharacters_matches_literally_and_never_fails(client, query):
    response = client.get("/api/v1/municipalities", params={"q": query})
    assert response.status_code == 200
    assert response.json()["total"] == 0


def test_a_percent_sign_is_not_a_wildcard(client):
    assert client.get("/api/v1/municipalities", params={"q": "K%ln"}).json()["total"] == 0


@pytest.mark.parametrize("payload", XSS)
def test_markup_in_free_text_is_stored_verbatim_and_served_as_json(client, admin, payload):
    created = client.post(
        "/api/v1/municipalities/Q365/contacts",
        json={"place": "Q24826", "holder": payload, "kind": "club", "note": payload},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    assert created.headers["content-type"] == "application/json"
    assert created.json()["holder"] == payload.strip()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"holder": "x" * 201}, "holder"),
        ({"holder": "NUL\u0000byte"}, None),
        ({"since": "2024-02-30"}, "since"),
        ({"since": "yesterday"}, "since"),
        ({"kind": "sect"}, "kind"),
    ],
)
def test_bad_values_get_422_with_the_error_shape(client, admin, registry, body, field):
    from tests.builders import snapshot

    before = snapshot(registry.engine)
    full = {"place": "Q24826", "holder": "Choir", "kind": "club", **body}
    response = client.post("/api/v1/municipalities/Q365/contacts", json=full, headers=admin)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid"
    if field:
        assert field in str(error["details"])
    assert snapshot(registry.engine) == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/links/99999999999999999999999",
        "/api/v1/links/9223372036854775808",
        "/api/v1/municipalities/99999999999999999999999",
        "/api/v1/municipalities/Q99999999999999999999999",
    ],
)
def test_huge_ids_are_not_found_or_out_of_range_never_a_server_error(client, path):
    assert client.get(path).status_code in (404, 422)


def test_huge_numbers_in_a_body_are_refused(client, admin):
    link_id = client.get("/api/v1/links", params={"country_pair": "DE-GB"}).json()["items"][0]["id"]
    response = client.post(
        f"/api/v1/links/{link_id}/activities",
        json={"kind": "visit", "title": "x", "start_date": "2020", "participants": 10**30},
        headers=admin,
    )
    assert response.status_code == 422


def test_a_nul_byte_in_the_query_string_is_refused(client):
    response = client.get("/api/v1/municipalities?q=K%00ln")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"place": "Q24826", "holder": "lone \\ud800 surrogate", "kind": "club"}',
        b'{"place": "Q24826", "holder": "bad \xff\xfe bytes", "kind": "club"}',
    ],
)
def test_invalid_unicode_is_refused(client, admin, registry, raw):
    from tests.builders import snapshot

    before = snapshot(registry.engine)
    response = client.post(
        "/api/v1/municipalities/Q365/contacts",
        content=raw,
        headers={**admin, "content-type": "application/json"},
    )
    assert response.status_code in (400, 422), response.text
    assert response.json()["error"]["message"]
    assert snapshot(registry.engine) == before


def test_malformed_json_is_refused_with_the_error_shape(client, admin):
    response = client.post(
        "/api/v1/links", content=b'{"from": ', headers={**admin, "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "error" in response.json()
