"""The grant and distinction forms: the same rules and permissions as the API,
errors at their field, nothing written on a refusal."""

import html5lib
from sqlalchemy import func, select

from jumelage.services import writing
from jumelage.services.accounts import add_user
from jumelage.store.schema_programmes import award, funding_grant

from .conftest import KOELN, LIVERPOOL, PASSWORD, csrf_of, sign_in

KOELN_LIVERPOOL = 1


def _count(registry, table) -> int:
    with registry.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def _form_token(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.text)
    return csrf_of(page.text)


def _grant(client, **fields):
    token = _form_token(client, f"/links/{KOELN_LIVERPOOL}/grants/new")
    data = {"programme": "cerv-town-twinning", "municipality_id": str(KOELN),
            "amount": "25000", "currency": "EUR", "year": "2024", **fields}  # fmt: skip
    return client.post(f"/links/{KOELN_LIVERPOOL}/grants", data={**data, "csrf_token": token})


def test_an_editor_records_a_grant_and_the_link_page_lists_it(client, editor, registry):
    sign_in(client, editor)
    answer = _grant(client)
    assert answer.status_code == 200  # followed the redirect to the link page
    assert answer.url.path == f"/links/{KOELN_LIVERPOOL}"
    assert "25,000 EUR" in answer.text
    assert _count(registry, funding_grant) == 1


def test_a_grant_without_an_amount_is_shown_at_the_amount(client, editor, registry):
    sign_in(client, editor)
    answer = _grant(client, amount="")
    assert answer.status_code == 422
    assert 'id="f-amount-error"' in answer.text
    assert _count(registry, funding_grant) == 0


def test_a_grant_with_a_malformed_currency_is_refused_at_the_currency(client, editor, registry):
    sign_in(client, editor)
    answer = _grant(client, currency="euros")
    assert answer.status_code == 422
    assert 'id="f-currency-error"' in answer.text
    assert "is not an ISO 4217 currency code" in answer.text
    assert _count(registry, funding_grant) == 0


def test_an_editor_of_the_other_side_may_not_record_a_grant_for_this_side(client, registry):
    with writing(registry.engine, "test") as w:
        add_user(w, "liverpool", PASSWORD, "editor", [LIVERPOOL])
    sign_in(client, "liverpool")
    answer = _grant(client)  # Köln's grant, entered by Liverpool's editor
    assert answer.status_code == 403
    assert _count(registry, funding_grant) == 0


def test_the_link_page_offers_the_grant_form_to_its_editors_only(client, editor):
    assert "/grants/new" not in client.get(f"/links/{KOELN_LIVERPOOL}").text
    sign_in(client, editor)
    assert "/grants/new" in client.get(f"/links/{KOELN_LIVERPOOL}").text


def _admin(client, registry):
    with writing(registry.engine, "test") as w:
        add_user(w, "umbrella", PASSWORD, "admin", [])
    sign_in(client, "umbrella")


def _award(client, **fields):
    token = _form_token(client, f"/m/{KOELN}/awards/new")
    data = {"level": "diploma", "year": "1990", **fields}
    return client.post(f"/m/{KOELN}/awards", data={**data, "csrf_token": token})


def test_an_administrator_registers_the_ladder_in_order(client, registry):
    _admin(client, registry)
    assert "/awards/new" in client.get(f"/m/{KOELN}/europe-prize").text
    first = _award(client)
    assert first.status_code == 200 and first.url.path.endswith("/europe-prize")
    assert _award(client, level="flag", year="1995").status_code == 200
    assert _count(registry, award) == 2


def test_a_flag_without_a_diploma_is_refused_at_the_level(client, registry):
    _admin(client, registry)
    answer = _award(client, level="flag", year="1995")
    assert answer.status_code == 422
    assert 'id="f-level-error"' in answer.text
    assert "Diploma" in answer.text
    assert _count(registry, award) == 0


def test_an_editor_may_not_register_a_distinction(client, editor, registry):
    sign_in(client, editor)
    assert "/awards/new" not in client.get(f"/m/{KOELN}/europe-prize").text
    answer = _award(client)
    assert answer.status_code == 403
    assert _count(registry, award) == 0
