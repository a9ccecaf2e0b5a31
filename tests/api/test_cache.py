"""Public answers are cached until the data changes, in this process or another."""

from fastapi.testclient import TestClient
from sqlalchemy import update

from jumelage.app import create_app
from jumelage.store.db import make_engine
from jumelage.store.schema import municipality
from tests.builders import bearer, token_for


def _cache(app):
    return app.cache


def test_a_repeated_public_get_is_served_from_the_cache(registry):
    app = create_app(registry)
    with TestClient(app) as client:
        first = client.get("/api/v1/municipalities/Q365")
        second = client.get("/api/v1/municipalities/Q365")
        cache = _cache(app)
    assert first.content == second.content
    assert (cache.misses, cache.hits) == (1, 1)
    assert second.headers["etag"] == first.headers["etag"]
    assert "content-security-policy" in second.headers


def test_a_write_through_the_api_is_visible_at_once(registry):
    admin = bearer(token_for(registry.engine, "umbrella", "admin", []))
    with TestClient(create_app(registry)) as client:
        assert client.get("/api/v1/municipalities/Q365").json()["population"] == 1084795
        etag = client.get("/api/v1/municipalities/Q365").headers["etag"]
        client.patch(
            "/api/v1/municipalities/Q365",
            json={"population": 7},
            headers={**admin, "If-Match": etag},
        )
        assert client.get("/api/v1/municipalities/Q365").json()["population"] == 7


def test_a_write_by_another_connection_is_visible(registry):
    with TestClient(create_app(registry)) as client:
        assert client.get("/api/v1/municipalities/Q365").json()["name"] == "Köln"
        # Another process writing directly (and bumping the data version as writes do).
        other = make_engine(registry.settings.database_url)
        from jumelage.store.schema import registry_state

        with other.begin() as conn:
            conn.execute(
                update(municipality).where(municipality.c.qid == "Q365").values(name="Cologne")
            )
            conn.execute(
                update(registry_state).values(data_version=registry_state.c.data_version + 1)
            )
        other.dispose()
        assert client.get("/api/v1/municipalities/Q365").json()["name"] == "Cologne"


def test_signed_in_requests_bypass_the_cache(registry):
    admin = bearer(token_for(registry.engine, "umbrella", "admin", []))
    app = create_app(registry)
    with TestClient(app) as client:
        client.get("/api/v1/me", headers=admin)
        client.get("/api/v1/me", headers=admin)
        assert client.get("/api/v1/me", headers=admin).json()["role"] == "admin"
        assert client.get("/api/v1/me").json()["role"] == "public"
        cache = _cache(app)
    assert cache.hits == 0


def test_a_write_through_one_server_is_seen_by_the_next_read_through_another(registry):
    """Two app instances on one database, as two servers behind a proxy: each has
    its own engine and response cache, and neither serves a stale answer."""
    from jumelage.registry import Registry

    second_engine = make_engine(registry.settings.database_url)
    second = Registry(registry.settings, second_engine)
    admin = bearer(token_for(registry.engine, "umbrella", "admin", []))
    try:
        with TestClient(create_app(registry)) as one, TestClient(create_app(second)) as two:
            for n in range(5):
                # Both caches hold the current answer before the write.
                read = two.get("/api/v1/municipalities/Q365")
                assert one.get("/api/v1/municipalities/Q365").status_code == 200
                written = one.patch(
                    "/api/v1/municipalities/Q365",
                    json={"population": 2_000_000 + n},
                    headers={**admin, "If-Match": read.headers["etag"]},
                )
                assert written.status_code == 200, written.text
                assert two.get("/api/v1/municipalities/Q365").json()["population"] == 2_000_000 + n
    finally:
        second_engine.dispose()
