"""End to end in chromium: one side signs the charter, the other side confirms it
in its own browser, and the link becomes a partnership."""

import datetime as dt

import pytest

from jumelage.services import writing
from jumelage.services.accounts import add_user
from tests.builders import place_id, resolved_contact

from .conftest import PASSWORD

pytestmark = pytest.mark.browser

Y1 = dt.date.today().year + 1


def _sign_in(tab, server: str, path: str, username: str) -> None:
    """Sign in on the login page and land on `path`."""
    tab.goto(f"{server}/login?next={path}")
    tab.fill("#f-username", username)
    tab.fill("#f-password", PASSWORD)
    tab.click("form.form button[type=submit]")
    tab.wait_for_url(server + path)


def test_one_side_signs_and_the_other_confirms_in_its_own_browser(
    page, browser, server, outside, registry
):
    link_id = resolved_contact(registry.engine, "Q586", "Q648", Y1)
    with writing(registry.engine, "test") as w:
        add_user(w, "bonn", PASSWORD, "editor", [place_id(registry.engine, "Q586")])
        add_user(w, "lille", PASSWORD, "editor", [place_id(registry.engine, "Q648")])

    _sign_in(page, server, f"/links/{link_id}", "bonn")
    page.click(f'a[href="/links/{link_id}/charter/new"]')
    page.fill("#f-signed_on", f"{Y1}-05-09")
    page.fill("#f-place", "Bonn")
    page.fill("#f-signatories", "Mayor of Bonn\nMaire de Lille")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{server}/links/{link_id}#charter")
    assert "signing of the charter" in page.inner_text("ul.confirmations")
    assert page.locator(".page-head .badge.level-contact").count() == 1

    other = browser.new_context(locale="en-GB")
    other.route("**/*", outside.handle)
    try:
        tab = other.new_page()
        tab.set_default_timeout(60_000)
        _sign_in(tab, server, f"/links/{link_id}", "lille")
        tab.click('ul.confirmations button:has-text("Confirm")')
        tab.wait_for_url(f"{server}/links/{link_id}#charter")
        assert tab.locator(".page-head .badge.level-partnership").count() == 1
        assert "Mayor of Bonn, Maire de Lille" in tab.inner_text("#charter dl")
        assert tab.locator("ul.confirmations").count() == 0
    finally:
        other.close()
