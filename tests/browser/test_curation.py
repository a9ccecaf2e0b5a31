"""End to end in chromium: an administrator merges a suspected duplicate in the curation
queue; the decision holds after a page reload, and after the bundle is loaded anew into
an empty database (the decision comes back from the data folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from jumelage.registry import Registry, initialise
from jumelage.services import writing
from jumelage.services.accounts import add_user
from jumelage.store.db import make_engine
from tests.curation.conftest import TWIN_KEY, duplicate_bundle, registry_on

from .conftest import PASSWORD, Outside, serving

pytestmark = pytest.mark.browser


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return duplicate_bundle(tmp_path / "bundle")


@pytest.fixture
def registry(engine: Engine, bundle: Path, tmp_path: Path) -> Registry:
    """The app of this module serves the bundle with a duplicate Köln."""
    curated = registry_on(engine, tmp_path / "data")
    initialise(curated, bundle)
    with writing(curated.engine, "test") as w:
        add_user(w, "curator", PASSWORD, "admin", [])
    return curated


def _sign_in(tab, server: str, path: str) -> None:
    tab.goto(f"{server}/login?next={path}")
    tab.fill("#f-username", "curator")
    tab.fill("#f-password", PASSWORD)
    tab.click("form.form button[type=submit]")
    tab.wait_for_url(server + path)


def _open_duplicate(tab, server: str) -> str:
    _sign_in(tab, server, "/curation")
    tab.goto(f"{server}/curation?kind=duplicate")
    tab.click(f'table.curation-items a:has-text("{TWIN_KEY}")')
    tab.wait_for_url(f"{server}/curation/*")
    return tab.url


def test_a_duplicate_merged_in_the_queue_survives_a_reload_of_the_bundle(
    page, browser, server, registry, bundle, tmp_path
):
    item_url = _open_duplicate(page, server)
    assert "Suspected duplicate" in page.inner_text("h1")
    page.click('form button.merge:has-text("Q365")')
    page.wait_for_url(item_url)
    assert "merged" in page.inner_text("p.decided")
    page.reload()
    assert "merged" in page.inner_text("p.decided")
    assert page.locator("form button.merge").count() == 0

    # The bundle loaded anew into an empty database, with the same data folder.
    fresh = make_engine(f"sqlite:///{tmp_path / 'again.sqlite3'}")
    again = registry_on(fresh, registry.settings.data_dir)
    initialise(again, bundle)
    with writing(again.engine, "test") as w:
        add_user(w, "curator", PASSWORD, "admin", [])
    with serving(again) as reloaded:
        other = browser.new_context(locale="en-GB")
        elsewhere = Outside(reloaded)
        other.route("**/*", elsewhere.handle)
        try:
            tab = other.new_page()
            tab.set_default_timeout(60_000)
            _sign_in(tab, reloaded, "/curation")
            tab.goto(f"{reloaded}/curation?kind=duplicate&status=decided")
            assert TWIN_KEY in tab.inner_text("table.curation-items")
            tab.click(f'table.curation-items a:has-text("{TWIN_KEY}")')
            assert "merged" in tab.inner_text("p.decided")
            assert "merged into #" in tab.inner_text("ul.curation-current")
        finally:
            other.close()
        again.engine.dispose()
        assert elsewhere.requests == []
