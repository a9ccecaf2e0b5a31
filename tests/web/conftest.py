import re

import pytest

from jumelage.services import writing
from jumelage.services.accounts import add_user

KOELN = 3
LIVERPOOL = 22
PASSWORD = "a long enough password"


@pytest.fixture
def editor(registry):
    """An editor acting for Köln."""
    with writing(registry.engine, "test") as w:
        add_user(w, "koeln", PASSWORD, "editor", [KOELN])
    return "koeln"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in(client, username: str, password: str = PASSWORD):
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
