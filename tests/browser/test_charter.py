"""End to end in chromium: one side signs the charter, the other side confirms it
in its own browser, and the link becomes a partnership."""

import datetime as dt

import pytest

from jumelage.domain import lifecycle as rules
from jumelage.domain.lifecycle import Terms
from jumelage.services import links as link_service
from jumelage.services import writing
from jumelage.services.accounts import add_user
from tests.builders import place_id

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
    bonn, lille = place_id(registry.engine, "Q586"), place_id(registry.engine, "Q648")
    with writing(registry.engine, "test") as w:
        link_id = link_service.propose_link(w, bonn, lille, "contact", f"{Y1}-01", Terms())
        for side, side_id in (("a", bonn), ("b", lille)):
            link_service.transition(w, link_id, rules.Resolve(f"{Y1}-02", side, None), side_id)
        add_user(w, "bonn", PASSWORD, "editor", [bonn])
        add_user(w, "lille", PASSWORD, "editor", [lille])

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
