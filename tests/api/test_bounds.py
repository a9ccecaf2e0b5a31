"""Bounded resources: the response cache stays within its bounds whatever anonymous
callers ask, expensive computations take only the default seed from the public,
and every GET carries a validator and a caching policy."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jumelage.api import cache as response_cache
from jumelage.app import create_app
from tests.builders import bearer, token_for

URLS = 1_000


@pytest.fixture
def app(registry):
    return create_app(registry)


@pytest.fixture
def client(app):
    with TestClient(app) as test_client:
        yield test_client


def _distinct_urls(client):
    for n in range(URLS):
        assert client.get(f"/api/v1/links?limit=5&offset={n}").status_code == 200


def test_1000_distinct_anonymous_urls_leave_the_cache_within_its_stated_bounds(app, client):
    _distinct_urls(client)
    cache = app.cache
    assert len(cache.entries) <= response_cache.MAX_ENTRIES
    assert cache.size <= response_cache.MAX_TOTAL
    assert cache.size == sum(e.cost for e in cache.entries.values())


def test_a_full_cache_drops_the_least_recently_used_answers_first(app, client):
    cache = app.cache
    cache.max_bytes = 100_000
    _distinct_urls(client)
    assert cache.size <= 100_000
    assert 0 < len(cache.entries) < URLS
    hits = cache.hits
    client.get(f"/api/v1/links?limit=5&offset={URLS - 1}")
    assert cache.hits == hits + 1
    client.get("/api/v1/links?limit=5&offset=0")
    assert cache.hits == hits + 1


def test_the_public_gets_the_power_law_fit_only_for_the_default_seed(client, registry):
    refused = client.get("/api/v1/stats/network/power-law?seed=7&bootstrap=0")
    assert refused.status_code == 401
    assert refused.json()["error"]["details"]["field"] == "seed"
    admin = bearer(token_for(registry.engine, "umbrella", "admin", []))
    allowed = client.get("/api/v1/stats/network/power-law?seed=7&bootstrap=0", headers=admin)
    assert allowed.status_code == 200


def test_a_get_answers_304_to_the_etag_it_sent(client):
    first = client.get("/api/v1/links?limit=3")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, no-cache"
    again = client.get("/api/v1/links?limit=3", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


def test_an_object_answers_304_to_its_etag_which_also_carries_its_version(client, registry):
    first = client.get("/api/v1/municipalities/Q365")
    etag = first.headers["etag"]
    assert etag.startswith(f'"{first.json()["version"]}.')
    again = client.get("/api/v1/municipalities/Q365", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    admin = bearer(token_for(registry.engine, "umbrella", "admin", []))
    edited = client.patch(
        "/api/v1/municipalities/Q365", json={"population": 5}, headers={**admin, "If-Match": etag}
    )
    assert edited.status_code == 200
    after = client.get("/api/v1/municipalities/Q365", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.json()["population"] == 5
    assert after.headers["etag"].startswith(f'"{first.json()["version"] + 1}.')


def test_a_page_answers_304_to_its_etag_and_is_private(client):
    first = client.get("/about")
    assert first.status_code == 200
    assert "private" in first.headers["cache-control"]
    again = client.get("/about", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_a_signed_in_answer_is_private(client, registry):
    admin = bearer(token_for(registry.engine, "umbrella", "admin", []))
    answer = client.get("/api/v1/links?limit=3", headers=admin)
    assert answer.headers["cache-control"] == "private, no-cache"
    assert "etag" in answer.headers
