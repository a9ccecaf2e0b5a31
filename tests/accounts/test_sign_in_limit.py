"""The sign-in back-off: counted in the database, one attempt at a time per key, so
it holds for parallel attempts on SQLite and PostgreSQL; it slows a guesser and
never locks the rightful user out."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, update

from jumelage.errors import RateLimited
from jumelage.services import writing
from jumelage.services.accounts import add_user, sign_in
from jumelage.store.schema_accounts import login_attempt, login_throttle

PASSWORD = "a long enough password"
ATTACKER = "203.0.113.7"
OFFICE = "198.51.100.20"


@pytest.fixture
def editor(registry):
    with writing(registry.engine, "test") as w:
        add_user(w, "koeln", PASSWORD, "editor", [3])
    return "koeln"


def _attempt(engine, username, password, client):
    try:
        return "in" if sign_in(engine, username, password, client) else "wrong"
    except RateLimited:
        return "refused"


def _checked(engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(login_attempt)).scalar_one())


def test_of_40_parallel_wrong_passwords_for_one_account_at_most_5_are_checked(registry, editor):
    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(
            pool.map(
                lambda _n: _attempt(registry.engine, editor, "wrong guess", ATTACKER), range(40)
            )
        )
    assert outcomes.count("wrong") == 5
    assert outcomes.count("refused") == 35
    assert _checked(registry.engine) == 5


def test_the_rightful_user_signs_in_from_elsewhere_while_a_guesser_is_held_back(registry, editor):
    for _n in range(10):
        _attempt(registry.engine, editor, "wrong guess", ATTACKER)
    assert _attempt(registry.engine, editor, "wrong guess", ATTACKER) == "refused"
    assert _attempt(registry.engine, editor, PASSWORD, OFFICE) == "in"


def test_the_delay_grows_with_each_failure_and_ends(registry, editor):
    def blocked_for() -> float:
        with registry.engine.connect() as conn:
            until = conn.execute(
                select(login_throttle.c.blocked_until).where(
                    login_throttle.c.key == f"pair:{editor}|{ATTACKER}"
                )
            ).scalar_one()
        until = until if until.tzinfo else until.replace(tzinfo=dt.UTC)
        return (until - dt.datetime.now(dt.UTC)).total_seconds()

    def expire() -> None:
        with registry.engine.begin() as conn:
            conn.execute(update(login_throttle).values(blocked_until=None))

    delays = []
    for _n in range(5):
        assert _attempt(registry.engine, editor, "wrong guess", ATTACKER) == "wrong"
    for _n in range(3):
        delays.append(blocked_for())
        expire()
        assert _attempt(registry.engine, editor, "wrong guess", ATTACKER) == "wrong"
    assert delays[0] < delays[1] < delays[2]
    expire()
    # Once the wait is over the right password signs in, and the counts start over.
    assert _attempt(registry.engine, editor, PASSWORD, ATTACKER) == "in"
    assert _attempt(registry.engine, editor, "wrong guess", ATTACKER) == "wrong"


def test_a_refused_attempt_answers_429_on_the_form_and_checks_nothing(client_of, editor):
    client, engine = client_of
    from tests.web.conftest import sign_in as form_sign_in

    for _n in range(5):
        form_sign_in(client, editor, "wrong guess")
    answer = form_sign_in(client, editor, PASSWORD)
    assert answer.status_code == 429
    assert "Too many failed sign-ins" in answer.text
    assert _checked(engine) == 5


@pytest.fixture
def client_of(registry):
    from fastapi.testclient import TestClient

    from jumelage.app import create_app

    with TestClient(create_app(registry)) as client:
        yield client, registry.engine
