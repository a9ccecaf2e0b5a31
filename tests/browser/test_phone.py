"""On a phone (390×844): a municipality's page and the programmes read without
sideways scrolling, the partners as a list of short cards, the page's sections one
tap away in a header that stays at the top."""

from collections.abc import Iterator

import pytest

from .conftest import _unexpected

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844
# A partner's card: name and level, country and status, dates, sources (four lines).
CARD_HEIGHT = 120

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def phone(browser, outside) -> Iterator[object]:
    context = browser.new_context(
        locale="de-DE", viewport={"width": WIDTH, "height": HEIGHT}, is_mobile=True
    )
    context.route("**/*", outside.handle)
    errors: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda m: errors.append(m.text) if _unexpected(m) else None)
    tab.set_default_timeout(60_000)
    yield tab
    context.close()
    assert outside.requests == [], "requests left the origin"
    assert errors == [], "the page logged errors"


@pytest.mark.parametrize("lang", ["de", "en", "fr"])
def test_a_municipality_page_on_a_phone_needs_no_sideways_scrolling(phone, server, lang):
    phone.goto(f"{server}/m/Q365?lang={lang}")
    phone.wait_for_selector("#partner-table tbody tr")
    assert phone.evaluate(OVERFLOW) <= 0
    rights = phone.eval_on_selector_all(
        "#partner-table td", "cells => cells.map(c => c.getBoundingClientRect().right)"
    )
    assert max(rights) <= WIDTH


def test_the_partners_on_a_phone_are_short_cards(phone, server):
    phone.goto(f"{server}/m/Q365?lang=de")
    heights = phone.eval_on_selector_all(
        "#partner-table tbody tr", "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    assert len(heights) >= 5
    assert max(heights) <= CARD_HEIGHT
    wrap = phone.eval_on_selector(
        "#partner-table", "t => t.parentElement.scrollWidth - t.parentElement.clientWidth"
    )
    assert wrap <= 0  # no inner scroll hides a column


def test_the_sections_of_a_page_stay_one_tap_away_on_a_phone(phone, server):
    phone.goto(f"{server}/m/Q365?lang=de")
    phone.click('nav.sections a[href="#contacts"]')
    phone.wait_for_function("() => window.scrollY > 300")
    top = phone.eval_on_selector("nav.sections", "n => n.getBoundingClientRect().top")
    height = phone.eval_on_selector("nav.sections", "n => n.getBoundingClientRect().height")
    assert abs(top) <= 1
    assert height <= 60  # one row of links, not a second page head
    assert phone.is_visible('nav.sections a[href="#partners"]')


def test_programme_sources_are_links_that_wrap_on_a_phone(phone, server):
    phone.goto(f"{server}/programmes?lang=fr")
    links = phone.locator("#funding a.source")
    assert links.count() > 0
    assert links.first.get_attribute("href").startswith("https://")
    assert phone.evaluate(OVERFLOW) <= 0
    rights = phone.eval_on_selector_all(
        "#funding a.source", "links => links.map(a => a.getBoundingClientRect().right)"
    )
    assert max(rights) <= WIDTH
