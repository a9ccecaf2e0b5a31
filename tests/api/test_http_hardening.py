"""Security headers on every response, and a limit on request bodies."""


def test_every_response_carries_the_security_headers(client):
    for path in ("/api/v1/municipalities/Q365", "/api/v1/nothing", "/docs", "/openapi.json"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"


def test_a_body_over_the_limit_is_refused_with_413(client):
    response = client.post(
        "/api/v1/links",
        content=b"{" + b" " * 2_000_000 + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
