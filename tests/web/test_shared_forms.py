"""Signing the charter, changing the level, answering a confirmation and merging a
municipality from the web: the services' rules and permissions, errors at their
field, nothing written on a refusal."""

import datetime as dt

import html5lib
import pytest
from sqlalchemy import select

from jumelage.domain.lifecycle import Terms
from jumelage.services import links as link_service
from jumelage.services import writing
from jumelage.services.accounts import add_user
from jumelage.store.schema_accounts import confirmation
from tests.builders import bearer, place_id, resolved_contact, snapshot, token_for

from .conftest import KOELN, PASSWORD, csrf_of, sign_in

Y1 = dt.date.today().year + 1


@pytest.fixture
def bonn_lille(registry):
    """A contact between Bonn and Lille whose councils both resolved a partnership,
    and an editor for each side."""
    link_id = resolved_contact(registry.engine, "Q586", "Q648", Y1)
    with writing(registry.engine, "test") as w:
        add_user(w, "bonn", PASSWORD, "editor", [place_id(registry.engine, "Q586")])
        add_user(w, "lille", PASSWORD, "editor", [place_id(registry.engine, "Q648")])
    return link_id


def _token(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.text)
    return csrf_of(page.text)


def _post(client, form_path: str, action: str, **fields):
    token = _token(client, form_path)
    return client.post(action, data={**fields, "csrf_token": token})


def _sign(client, link_id: int, **fields):
    data = {"signed_on": f"{Y1}-05-09", "place": "Bonn",
            "signatories": "Mayor of Bonn\nMaire de Lille", **fields}  # fmt: skip
    return _post(client, f"/links/{link_id}/charter/new", f"/links/{link_id}/charter", **data)


def _level(client, link_id: int, **fields):
    data = {"date": f"{Y1}-03", "reason": "a first choir exchange", **fields}
    return _post(client, f"/links/{link_id}/level/new", f"/links/{link_id}/level", **data)


def _refused(registry, send, status: int, field: str | None = None):
    """The answer of `send`, asserted to be `status`, with the error at `field`, and to
    have changed nothing."""
    before = snapshot(registry.engine)
    answer = send()
    assert answer.status_code == status
    if field is not None:
        assert f'id="f-{field}-error"' in answer.text
    assert snapshot(registry.engine) == before
    return answer


def _link(client, link_id: int) -> dict:
    return client.get(f"/api/v1/links/{link_id}").json()


def _pending(registry, link_id: int) -> list:
    with registry.engine.connect() as conn:
        return conn.execute(
            select(confirmation).where(
                confirmation.c.link_id == link_id, confirmation.c.status == "pending"
            )
        ).all()


def test_one_side_signs_the_other_confirms_and_the_link_is_a_partnership(
    client, registry, bonn_lille
):
    sign_in(client, "bonn")
    assert "/charter/new" in client.get(f"/links/{bonn_lille}").text
    answer = _sign(client, bonn_lille)
    assert answer.status_code == 200 and answer.url.path == f"/links/{bonn_lille}"
    assert _link(client, bonn_lille)["level"] == "contact"  # waits for Lille
    assert (
        "signing of the charter" in answer.text and "Mayor of Bonn; Maire de Lille" in answer.text
    )
    assert 'value="withdraw"' in answer.text and 'value="accept"' not in answer.text
    (pending,) = _pending(registry, bonn_lille)

    client.cookies.clear()
    sign_in(client, "lille")
    page = client.get(f"/links/{bonn_lille}")
    assert 'value="accept"' in page.text and 'value="withdraw"' not in page.text
    decided = client.post(
        f"/confirmations/{pending.id}/decision",
        data={"decision": "accept", "csrf_token": csrf_of(page.text)},
    )
    assert decided.status_code == 200 and decided.url.path == f"/links/{bonn_lille}"
    link = _link(client, bonn_lille)
    assert link["level"] == "partnership"
    assert (link["status_a"], link["status_b"]) == ("signed", "signed")
    assert "Maire de Lille" in decided.text and "Correct the charter" in decided.text
    assert _pending(registry, bonn_lille) == []


def test_an_administrator_signs_at_once(client, registry, bonn_lille):
    with writing(registry.engine, "test") as w:
        add_user(w, "umbrella", PASSWORD, "admin", [])
    sign_in(client, "umbrella")
    assert _sign(client, bonn_lille).status_code == 200
    assert _link(client, bonn_lille)["level"] == "partnership"
    assert _pending(registry, bonn_lille) == []


def test_a_charter_without_signatories_is_refused_at_the_signatories(client, registry, bonn_lille):
    sign_in(client, "bonn")
    _refused(registry, lambda: _sign(client, bonn_lille, signatories="  \n "), 422, "signatories")


def test_a_place_longer_than_the_table_holds_is_refused_at_the_place(client, registry, bonn_lille):
    sign_in(client, "bonn")
    _refused(registry, lambda: _sign(client, bonn_lille, place="B" * 201), 422, "place")


def test_a_charter_before_both_resolutions_is_refused_for_the_whole_form(client, registry):
    with writing(registry.engine, "test") as w:
        add_user(w, "umbrella", PASSWORD, "admin", [])
    sign_in(client, "umbrella")
    bonn, lille = place_id(registry.engine, "Q586"), place_id(registry.engine, "Q648")
    with writing(registry.engine, "test") as w:
        link_id = link_service.propose_link(w, bonn, lille, "contact", f"{Y1}-01", Terms())
    answer = _refused(registry, lambda: _sign(client, link_id), 409)
    assert "after the councils of both sides resolved it" in answer.text


def test_a_friendship_needs_an_end_or_a_project_and_applies_when_the_other_side_confirms(
    client, registry, bonn_lille
):
    sign_in(client, "bonn")
    refused = _refused(
        registry, lambda: _level(client, bonn_lille, level="friendship"), 422, "valid_until"
    )
    assert "Give an end date or at least one named project." in refused.text

    answer = _level(client, bonn_lille, level="friendship", projects="Choir, orchestra\nYouth")
    assert answer.status_code == 200 and answer.url.path == f"/links/{bonn_lille}"
    assert _link(client, bonn_lille)["level"] == "contact"  # waits for Lille
    assert "change of level" in answer.text
    (pending,) = _pending(registry, bonn_lille)

    client.cookies.clear()
    sign_in(client, "lille")
    page = client.get(f"/links/{bonn_lille}")
    decided = client.post(
        f"/confirmations/{pending.id}/decision",
        data={"decision": "accept", "csrf_token": csrf_of(page.text)},
    )
    assert decided.status_code == 200
    assert _link(client, bonn_lille)["level"] == "friendship"
    page = client.get(f"/links/{bonn_lille}")
    assert "Projects: Choir, orchestra, Youth." in page.text  # one project per line


def test_the_level_form_speaks_the_readers_language(client, registry, bonn_lille):
    sign_in(client, "bonn")
    client.cookies.set("jumelage_lang", "de")
    refused = _level(client, bonn_lille, level="project", topic="Wasser")
    assert refused.status_code == 422
    assert 'id="f-start-error"' in refused.text
    assert "Eine Projektpartnerschaft braucht einen Beginn und ein Ende." in refused.text


def test_a_partnership_without_the_charters_date_is_refused_at_that_date(
    client, registry, bonn_lille
):
    sign_in(client, "bonn")
    _refused(
        registry,
        lambda: _level(client, bonn_lille, level="partnership"),
        422,
        "charter_signed_on",
    )


def test_a_change_to_partnership_waits_and_the_proposer_may_withdraw_it(
    client, registry, bonn_lille
):
    sign_in(client, "bonn")
    answer = _level(
        client, bonn_lille, level="partnership", charter_signed_on=f"{Y1}-05",
        signatories="Mayor of Bonn\nMaire de Lille",
    )  # fmt: skip
    assert answer.status_code == 200
    assert "change of level" in answer.text
    (pending,) = _pending(registry, bonn_lille)
    withdrawn = client.post(
        f"/confirmations/{pending.id}/decision",
        data={
            "decision": "withdraw",
            "side": str(pending.proposed_by_side),
            "csrf_token": csrf_of(answer.text),
        },
    )
    assert withdrawn.status_code == 200
    assert _pending(registry, bonn_lille) == []
    assert _link(client, bonn_lille)["level"] == "contact"
    assert "withdrawn by the proposing side" in withdrawn.text


def test_the_other_side_rejects_and_nothing_changes_on_the_link(client, registry, bonn_lille):
    sign_in(client, "bonn")
    _sign(client, bonn_lille)
    (pending,) = _pending(registry, bonn_lille)
    client.cookies.clear()
    sign_in(client, "lille")
    token = csrf_of(client.get(f"/links/{bonn_lille}").text)
    rejected = client.post(
        f"/confirmations/{pending.id}/decision", data={"decision": "reject", "csrf_token": token}
    )
    assert rejected.status_code == 200
    assert _link(client, bonn_lille)["level"] == "contact"
    assert "rejected by the other side" in rejected.text


def test_a_third_municipality_cannot_answer_and_changes_nothing(client, registry, bonn_lille):
    sign_in(client, "bonn")
    _sign(client, bonn_lille)
    (pending,) = _pending(registry, bonn_lille)
    client.cookies.clear()
    with writing(registry.engine, "test") as w:
        add_user(w, "koeln", PASSWORD, "editor", [KOELN])
    sign_in(client, "koeln")
    page = client.get(f"/links/{bonn_lille}")
    assert "/decision" not in page.text and "/charter/new" not in page.text
    before = snapshot(registry.engine)
    answer = client.post(
        f"/confirmations/{pending.id}/decision",
        data={"decision": "accept", "csrf_token": csrf_of(page.text)},
    )
    assert answer.status_code == 403
    assert snapshot(registry.engine) == before


def test_an_unknown_decision_is_refused(client, registry, bonn_lille):
    sign_in(client, "bonn")
    _sign(client, bonn_lille)
    (pending,) = _pending(registry, bonn_lille)
    token = csrf_of(client.get(f"/links/{bonn_lille}").text)
    before = snapshot(registry.engine)
    answer = client.post(
        f"/confirmations/{pending.id}/decision", data={"decision": "maybe", "csrf_token": token}
    )
    assert answer.status_code == 422
    assert "decision must be one of accept, reject, withdraw" in answer.text
    assert snapshot(registry.engine) == before


def test_the_public_is_sent_to_sign_in(client, bonn_lille):
    for path in (f"/links/{bonn_lille}/charter/new", f"/links/{bonn_lille}/level/new",
                 f"/m/{KOELN}/merge/new"):  # fmt: skip
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


# --- mergers -----------------------------------------------------------------------------


def _merge(client, ref: str, **fields):
    data = {"successor": "Q365", "date": "2005-01-01", "source": "Gemeindeneugliederung", **fields}
    return _post(client, f"/m/{ref}/merge/new", f"/m/{ref}/merge", **data)


@pytest.fixture
def admin_client(client, registry):
    with writing(registry.engine, "test") as w:
        add_user(w, "umbrella", PASSWORD, "admin", [])
    sign_in(client, "umbrella")
    return client


def test_an_administrator_merges_and_the_links_move_with_their_history(admin_client, registry):
    client = admin_client
    bonn = place_id(registry.engine, "Q586")
    partners = {
        p["partner"]["id"] for p in client.get("/api/v1/municipalities/Q586").json()["partners"]
    }
    assert partners and "/merge/new" in client.get("/m/Q586").text
    answer = _merge(client, "Q586")
    assert answer.status_code == 200 and answer.url.path == "/m/Q365"
    assert "Predecessors:" in answer.text
    koeln = client.get("/api/v1/municipalities/Q365").json()
    assert partners <= {p["partner"]["id"] for p in koeln["partners"]} | {KOELN}
    page = client.get("/m/Q586")
    assert "Merged into" in page.text and "/merge/new" not in page.text
    assert client.get("/api/v1/municipalities/Q586").json()["merged_into_id"] == KOELN
    assert bonn != KOELN


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"date": "2005-13"}, "date"), ({"date": ""}, "date"),
     ({"successor": "Nowhere at all"}, "successor"), ({"successor": "Q586"}, "successor")],
)  # fmt: skip
def test_a_bad_merger_is_refused_at_its_field(admin_client, registry, fields, field):
    _refused(registry, lambda: _merge(admin_client, "Q586", **fields), 422, field)


def test_an_editor_may_not_merge(client, registry, editor):
    sign_in(client, editor)
    assert "/merge/new" not in client.get(f"/m/{KOELN}").text
    assert client.get(f"/m/{KOELN}/merge/new").status_code == 403
    token = csrf_of(client.get("/links/1/activities/new").text)
    before = snapshot(registry.engine)
    answer = client.post(
        f"/m/{KOELN}/merge",
        data={"successor": "Q586", "date": "2005", "csrf_token": token},
    )
    assert answer.status_code == 403
    assert snapshot(registry.engine) == before


def test_the_api_refuses_a_malformed_merger_date_with_422(client, registry):
    admin = bearer(token_for(registry.engine, "root", "admin", []))
    before = snapshot(registry.engine)
    answer = client.post(
        "/api/v1/municipalities/Q586/merge", json={"into": "Q365", "date": "2005-13"},
        headers=admin,
    )  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["error"]["details"] == {"field": "date", "rule": "date"}
    assert snapshot(registry.engine) == before
