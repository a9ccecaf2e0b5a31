"""End to end in chromium: search, a municipality's partners on the map, the world
map, the language switch, a refused form, and no request outside the origin."""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import func, select

from jumelage.store import queries, queries_detail
from jumelage.store.schema_lifecycle import activity

from .conftest import EDITOR, PASSWORD

pytestmark = pytest.mark.browser


def test_searching_koln_opens_koeln_with_its_partners_listed_and_drawn(page, server, registry):
    page.goto(server + "/")
    page.fill("#q", "Koln")
    page.click('#suggestions a[href="/m/Q365"]')
    page.wait_for_url(server + "/m/Q365")
    assert page.inner_text("h1").startswith("Cologne")
    with registry.engine.connect() as conn:
        partners = queries_detail.partners_of(conn, 3)
    rows = page.locator("#partner-table tbody tr")
    assert rows.count() == len(partners)
    for p in partners:
        assert page.locator(f'#partner-table a[href="/m/{p["partner"]["qid"]}"]').count() == 1
    page.wait_for_selector("#place-map[data-lines-drawn]")
    placed = [p for p in partners if p["partner"]["lat"] is not None]
    assert page.get_attribute("#place-map", "data-lines-drawn") == str(len(placed))
    assert page.locator("#place-map path.partner-line").count() == len(placed)


def test_the_home_map_draws_every_link(page, server, registry):
    page.goto(server + "/")
    page.wait_for_selector("#world-map[data-links-drawn]")
    with registry.engine.connect() as conn:
        total = queries.counts(conn)["links"]
    assert page.get_attribute("#world-map", "data-links-drawn") == str(total)
    assert page.locator("#world-map canvas").count() >= 1
    page.wait_for_selector("#world-map[data-outlines=ready]")


def test_switching_to_french_changes_the_interface(page, server):
    page.goto(server + "/m/Q365")
    assert page.inner_text("nav.main-nav").startswith("Home")
    page.click('nav.langs a[hreflang="fr"]')
    page.wait_for_selector('html[lang="fr"]')
    assert "Accueil" in page.inner_text("nav.main-nav")
    assert page.locator("#partners-title").inner_text() == "Partenaires"
    page.click('nav.main-nav a[href="/statistics"]')
    assert page.locator("h1").inner_text() == "Statistiques"


def _count_activities(registry) -> int:
    with registry.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(activity)).scalar()


def test_an_invalid_form_shows_the_fields_error_and_changes_nothing(page, server, registry):
    page.goto(server + "/links/1/activities/new")
    page.wait_for_url(re.compile(r".*/login\?next=.*"))
    page.fill("#f-username", EDITOR)
    page.fill("#f-password", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(server + "/links/1/activities/new")
    page.select_option("#f-kind", "visit")
    page.fill("#f-title", "Delegation of the mayor")
    page.fill("#f-start_date", "2024-05")
    page.fill("#f-end_date", "2023")
    page.click("form.form button[type=submit]")
    error = page.locator("#f-end_date-error")
    error.wait_for()
    assert error.is_visible()
    assert page.get_attribute("#f-end_date", "aria-invalid") == "true"
    assert page.input_value("#f-title") == "Delegation of the mayor"
    assert _count_activities(registry) == 0


def test_no_page_requests_anything_outside_the_origin(page, server, outside):
    for path in (
        "/",
        "/m/Q365",
        "/links/1",
        "/searches",
        "/statistics",
        "/networks",
        "/programmes",
        "/matching/Q365",
        "/login",
        "/about",
    ):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    assert outside.requests == []


def test_the_interceptor_would_catch_a_request_elsewhere(page, server, outside):
    # A script's fetch elsewhere is already stopped by the Content-Security-Policy
    # (connect-src 'self'); a navigation is not, so it shows the interceptor works.
    page.goto(server + "/")
    with pytest.raises(PlaywrightError):
        page.goto("http://example.invalid/x")
    assert outside.requests == ["http://example.invalid/x"]
    outside.requests.clear()  # the fixture's own check would otherwise fail


def test_the_pages_are_readable_on_a_phone(browser, server, outside):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="de-DE")
    context.route("**/*", outside.handle)
    tab = context.new_page()
    tab.goto(server + "/m/Q365")
    assert tab.get_attribute("html", "lang") == "de"
    overflow = tab.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()
    assert outside.requests == []


def test_the_keyboard_reaches_the_search_box_and_the_suggestions(page, server):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip"
    page.focus("#q")
    page.keyboard.type("Kosice")
    page.wait_for_selector('#suggestions a[href="/m/Q25409"]')
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "/m/Q25409"
    page.keyboard.press("Enter")
    page.wait_for_url(server + "/m/Q25409")


def test_the_matching_switch_turns_to_a_deliberate_contrast(page, server):
    page.goto(server + "/matching/Q365")
    page.wait_for_selector("ol.recommendations")
    page.click("nav.segmented a:not([aria-current])")
    page.wait_for_url(re.compile(r".*mode=contrast.*"))
    current = page.locator("nav.segmented a[aria-current]")
    assert current.inner_text() == "deliberate contrast"
