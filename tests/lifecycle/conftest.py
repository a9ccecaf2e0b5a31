import pytest

from tests.builders import bearer, place_id, token_for


class Office:
    """An editor's view: a token and the municipality they act for."""

    def __init__(self, client, engine, username, ref):
        self.client = client
        self.id = place_id(engine, ref)
        self.headers = bearer(token_for(engine, username, "editor", [self.id]))

    def post(self, path, json=None, **kwargs):
        return self.client.post(
            path, json=json, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )

    def put(self, path, json=None, **kwargs):
        return self.client.put(
            path, json=json, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )

    def delete(self, path, **kwargs):
        return self.client.delete(
            path, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )


@pytest.fixture
def bonn(client, loaded_engine):
    return Office(client, loaded_engine, "bonn-office", "Q586")


@pytest.fixture
def lille(client, loaded_engine):
    return Office(client, loaded_engine, "lille-office", "Q648")


@pytest.fixture
def admin(client, loaded_engine):
    return bearer(token_for(loaded_engine, "umbrella", "admin", []))
