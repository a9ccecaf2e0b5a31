"""Forms write through the same services as the API: CSRF-checked, signed in,
refused values shown at their field, and nothing changed on a refusal."""

import html5lib
from sqlalchemy import func, select

from jumelage.store import queries_lifecycle
from jumelage.store.schema import audit_log
from jumelage.store.schema_lifecycle import activity, contact

from .conftest import KOELN, csrf_of, sign_in

KOELN_LIVERPOOL = 1  # link 1 of the fixture dataset


def _count(registry, table) -> int:
    with registry.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def _valid(html: str) -> None:
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


def test_signing_in_sets_an_httponly_session_cookie(client, editor):
    answer = sign_in(client, editor)
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"]
    assert "jumelage_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()


def test_a_wrong_password_is_refused_on_the_form(client, editor):
    answer = sign_in(client, editor, "not the password")
    assert answer.status_code == 401
    assert "Wrong user name or password" in answer.text
    assert "jumelage_session" not in answer.headers.get("set-cookie", "")


def test_a_failed_sign_in_is_recorded_for_the_rate_limit(client, editor, registry):
    from jumelage.store.schema_accounts import login_attempt

    sign_in(client, editor, "not the password")
    assert _count(registry, login_attempt) == 1


def test_a_form_without_its_csrf_token_is_refused_with_403(client, editor, registry):
    sign_in(client, editor)
    answer = client.post(
        f"/links/{KOELN_LIVERPOOL}/activities",
        data={"kind": "visit", "title": "Visit", "start_date": "2024"},
    )
    assert answer.status_code == 403
    assert _count(registry, activity) == 0


def test_a_token_of_another_session_is_refused(client, editor, registry):
    stale = csrf_of(client.get("/login").text)  # rendered before signing in
    sign_in(client, editor)
    answer = client.post(
        f"/links/{KOELN_LIVERPOOL}/activities",
        data={"kind": "visit", "title": "Visit", "start_date": "2024", "csrf_token": stale},
    )
    assert answer.status_code == 403
    assert _count(registry, activity) == 0


def test_the_public_is_sent_to_sign_in_before_a_form(client):
    answer = client.get(f"/links/{KOELN_LIVERPOOL}/activities/new", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=")


def _activity_form(client):
    page = client.get(f"/links/{KOELN_LIVERPOOL}/activities/new")
    _valid(page.text)
    return csrf_of(page.text)


def test_an_activity_ending_before_it_starts_is_shown_at_its_end_date(client, editor, registry):
    sign_in(client, editor)
    token = _activity_form(client)
    before = _count(registry, audit_log)
    answer = client.post(
        f"/links/{KOELN_LIVERPOOL}/activities",
        data={
            "csrf_token": token,
            "kind": "visit",
            "title": "Mayor's visit",
            "start_date": "2024-05",
            "end_date": "2023",
        },
    )
    assert answer.status_code == 422
    _valid(answer.text)
    assert 'id="f-end_date-error"' in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert 'value="Mayor&#39;s visit"' in answer.text  # the form keeps what was typed
    assert _count(registry, activity) == 0
    assert _count(registry, audit_log) == before


def test_a_malformed_number_is_shown_at_its_field(client, editor, registry):
    sign_in(client, editor)
    answer = client.post(
        f"/links/{KOELN_LIVERPOOL}/activities",
        data={
            "csrf_token": _activity_form(client),
            "kind": "visit",
            "title": "Visit",
            "start_date": "2024",
            "participants": "forty",
        },
    )
    assert answer.status_code == 422
    assert 'id="f-participants-error"' in answer.text
    assert _count(registry, activity) == 0


def test_a_recorded_activity_appears_on_the_link_page(client, editor, registry):
    sign_in(client, editor)
    answer = client.post(
        f"/links/{KOELN_LIVERPOOL}/activities",
        data={
            "csrf_token": _activity_form(client),
            "kind": "exchange",
            "exchange_kind": "youth",
            "title": "Youth exchange 2024",
            "start_date": "2024-07",
            "participants": "30",
            "direction": "a-b",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    with registry.engine.connect() as conn:
        (saved,) = queries_lifecycle.activities_of_link(conn, KOELN_LIVERPOOL)
    assert saved["title"] == "Youth exchange 2024"
    assert saved["participants"] == 30
    assert "Youth exchange 2024" in client.get(f"/links/{KOELN_LIVERPOOL}").text


def test_an_editor_of_another_place_is_refused_and_nothing_changes(client, registry):
    from jumelage.services import writing
    from jumelage.services.accounts import add_user

    from .conftest import PASSWORD

    with writing(registry.engine, "test") as w:
        add_user(w, "paris", PASSWORD, "editor", [2])
    sign_in(client, "paris")
    answer = client.post(
        f"/links/{KOELN_LIVERPOOL}/activities",
        data={
            "csrf_token": _activity_form(client),
            "kind": "visit",
            "title": "Visit",
            "start_date": "2024",
        },
    )
    assert answer.status_code == 403
    assert "may not" in answer.text
    assert _count(registry, activity) == 0


def test_a_contact_with_an_unknown_place_is_shown_at_the_place(client, editor, registry):
    sign_in(client, editor)
    page = client.get("/m/Q365/contacts/new")
    _valid(page.text)
    answer = client.post(
        "/m/Q365/contacts",
        data={
            "csrf_token": csrf_of(page.text),
            "place": "Nowhere-on-Sea",
            "holder": "Gymnasium",
            "kind": "school",
        },
    )
    assert answer.status_code == 422
    assert 'id="f-place-error"' in answer.text
    assert _count(registry, contact) == 0


def test_a_contact_is_recorded_and_listed(client, editor, registry):
    sign_in(client, editor)
    page = client.get("/m/Q365/contacts/new")
    client.post(
        "/m/Q365/contacts",
        data={
            "csrf_token": csrf_of(page.text),
            "place": "Angers",
            "holder": "Hansa-Gymnasium",
            "kind": "school",
            "since": "1998",
        },
    )
    with registry.engine.connect() as conn:
        (saved,) = queries_lifecycle.contacts_of(conn, KOELN)
    assert saved["holder"] == "Hansa-Gymnasium"
    assert "Hansa-Gymnasium" in client.get("/m/Q365").text


def test_a_search_is_published_answered_and_accepted(client, registry):
    from jumelage.services import writing
    from jumelage.services.accounts import add_user

    from .conftest import PASSWORD

    with writing(registry.engine, "test") as w:
        add_user(w, "koeln", PASSWORD, "editor", [KOELN])
        add_user(w, "lille", PASSWORD, "editor", [8])
    sign_in(client, "koeln")
    form = client.get("/searches/new")
    _valid(form.text)
    published = client.post(
        "/searches",
        data={
            "csrf_token": csrf_of(form.text),
            "municipality": str(KOELN),
            "title": "Partner for youth work",
            "mode": "similar",
            "countries": "FR, PL",
            "expires_on": "2099",
        },
        follow_redirects=False,
    )
    assert published.status_code == 303
    search_url = published.headers["location"]
    client.post("/logout", data={"csrf_token": csrf_of(client.get(search_url).text)})
    sign_in(client, "lille")
    client.post(
        f"{search_url}/answers",
        data={"csrf_token": csrf_of(client.get(search_url).text), "municipality": "8"},
    )
    client.post("/logout", data={"csrf_token": csrf_of(client.get(search_url).text)})
    sign_in(client, "koeln")
    page = client.get(search_url)
    with registry.engine.connect() as conn:
        search_id = int(search_url.rsplit("/", 1)[1])
        (answer,) = queries_lifecycle.search_detail(conn, search_id)["answers"]
    accepted = client.post(
        f"{search_url}/answers/{answer['id']}/accept",
        data={"csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"].startswith("/links/")
    with registry.engine.connect() as conn:
        assert queries_lifecycle.search_detail(conn, search_id)["status"] == "matched"


def test_a_search_expiring_in_the_past_is_shown_at_its_date(client, editor, registry):
    from jumelage.store.schema_lifecycle import partner_search

    sign_in(client, editor)
    form = client.get("/searches/new")
    answer = client.post(
        "/searches",
        data={
            "csrf_token": csrf_of(form.text),
            "municipality": str(KOELN),
            "title": "Too late",
            "mode": "similar",
            "expires_on": "2001",
        },
    )
    assert answer.status_code == 422
    assert 'id="f-expires_on-error"' in answer.text
    assert _count(registry, partner_search) == 0


def test_signing_out_ends_the_session(client, editor):
    sign_in(client, editor)
    page = client.get("/")
    assert "Sign out" in page.text
    client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert "Sign out" not in client.get("/").text


def test_sign_in_never_redirects_to_another_site(client, editor):
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login",
        data={
            "username": editor,
            "password": "a long enough password",
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"


def test_repeated_failures_are_refused_in_the_readers_language(client, editor):
    for _ in range(5):
        sign_in(client, editor, "not the password")
    token = csrf_of(client.get("/login?lang=de").text)
    answer = client.post(
        "/login",
        data={"username": editor, "password": "a long enough password", "csrf_token": token},
    )
    assert answer.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldungen" in answer.text
    assert "jumelage_session" not in answer.headers.get("set-cookie", "")


def _step_form(client):
    page = client.get(f"/links/{KOELN_LIVERPOOL}/steps/new")
    _valid(page.text)
    return csrf_of(page.text)


def test_a_suspension_without_a_reason_is_shown_at_the_reason(client, editor, registry):
    from jumelage.store import queries

    sign_in(client, editor)
    before = _count(registry, audit_log)
    answer = client.post(
        f"/links/{KOELN_LIVERPOOL}/steps",
        data={"csrf_token": _step_form(client), "step": "suspend", "date": "2022-03"},
    )
    assert answer.status_code == 422
    assert 'id="f-reason-error"' in answer.text
    with registry.engine.connect() as conn:
        assert queries.link_detail(conn, KOELN_LIVERPOOL)["status_a"] == "active"
    assert _count(registry, audit_log) == before


def test_an_editor_suspends_their_side_of_a_link(client, editor, registry):
    from jumelage.store import queries

    sign_in(client, editor)
    answer = client.post(
        f"/links/{KOELN_LIVERPOOL}/steps",
        data={
            "csrf_token": _step_form(client),
            "step": "suspend",
            "date": "2022-03",
            "reason": "no contact for years",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    with registry.engine.connect() as conn:
        link = queries.link_detail(conn, KOELN_LIVERPOOL)
    here = "status_a" if link["a"]["id"] == KOELN else "status_b"
    assert link[here] == "suspended"
    assert "no contact for years" in client.get(f"/links/{KOELN_LIVERPOOL}?lang=en").text


def test_a_form_refuses_control_characters_exactly_as_the_api_does(client, editor, registry):
    from jumelage.domain.text import unstorable

    sign_in(client, editor)
    page = client.get("/m/Q365/contacts/new")
    holder = "Gymnasium\x00\x07"
    assert unstorable(holder)  # the API refuses it
    before = _count(registry, audit_log)
    answer = client.post(
        "/m/Q365/contacts",
        data={
            "csrf_token": csrf_of(page.text),
            "place": "Angers",
            "holder": holder,
            "kind": "school",
        },
    )
    assert answer.status_code == 422
    assert 'id="f-holder-error"' in answer.text
    assert "control characters" in answer.text
    assert _count(registry, contact) == 0
    assert _count(registry, audit_log) == before
