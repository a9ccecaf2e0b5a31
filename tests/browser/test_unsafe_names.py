"""Data reaches the page as text: a place named like markup is shown, never parsed."""

import re

import pytest

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="document.body.dataset.hit=1">'
ESCAPED = HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_a_name_written_as_markup_shows_as_text_in_the_maps_tooltips(page, server):
    def hostile_names(route):
        html = route.fetch().text()
        # Every place of the page's map named like markup, as a registry entry could be.
        html = re.sub(
            r'data-name="[^"]*"', f'data-name="{ESCAPED.replace(chr(34), "&quot;")}"', html
        )
        route.fulfill(body=html, content_type="text/html; charset=utf-8")

    page.route(server + "/m/Q365", hostile_names)
    page.goto(server + "/m/Q365")
    page.wait_for_selector("#place-map[data-lines-drawn]")
    for marker in ("path.home-marker", "path.partner-marker"):
        page.locator(f"#place-map {marker}").first.hover(force=True)
        tooltip = page.locator(".leaflet-tooltip").last
        tooltip.wait_for()
        assert tooltip.inner_text() == HOSTILE
        assert page.locator(".leaflet-tooltip img").count() == 0
    assert page.evaluate("document.body.dataset.hit") is None
