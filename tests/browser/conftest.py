"""The browser layer: the app in a real uvicorn server, driven by Debian's chromium.

Never lets playwright download a browser of its own. Without /usr/bin/chromium
(or JUMELAGE_TEST_CHROMIUM) the tests skip, unless JUMELAGE_TEST_REQUIRE_ALL=1
asks for every layer; then a missing browser is an error.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn

from jumelage.app import create_app
from jumelage.services import writing
from jumelage.services.accounts import add_user

CHROMIUM = os.environ.get("JUMELAGE_TEST_CHROMIUM", "/usr/bin/chromium")
REQUIRE_ALL = os.environ.get("JUMELAGE_TEST_REQUIRE_ALL", "") == "1"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
EDITOR = "koeln"
PASSWORD = "a long enough password"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        message = f"browser layer: no chromium at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_ALL:
            pytest.fail(f"JUMELAGE_TEST_REQUIRE_ALL=1 but {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(registry) -> Iterator[str]:
    """The app of `registry` served on a free port until the block ends."""
    config = uvicorn.Config(
        create_app(registry), host="127.0.0.1", port=_free_port(), log_level="warning"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not running.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def server(registry) -> Iterator[str]:
    """The app on the fixture dataset (with an editor for Köln), served on a free port."""
    with writing(registry.engine, "test") as w:
        add_user(w, EDITOR, PASSWORD, "editor", [3])
    with serving(registry) as url:
        yield url


@dataclass
class Outside:
    """Requests for anything outside the server's origin: refused, and kept for the test."""

    origin: str
    requests: list[str] = field(default_factory=list)

    def handle(self, route) -> None:
        url = route.request.url
        if url.startswith(self.origin + "/") or url.startswith("data:"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()


@pytest.fixture
def outside(server) -> Outside:
    return Outside(server)


def _unexpected(message) -> bool:
    refused_form = "the server responded with a status of 4" in message.text
    return message.type == "error" and not refused_form


@pytest.fixture
def page(browser, server, outside) -> Iterator[object]:
    """A fresh English-speaking browser tab; no request may leave the origin."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1200, "height": 900})
    context.route("**/*", outside.handle)
    errors: list[str] = []
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    # A Content-Security-Policy violation or a failed load shows as a console error;
    # a refused form answers 4xx on purpose, which chromium logs too.
    tab.on("console", lambda m: errors.append(m.text) if _unexpected(m) else None)
    tab.set_default_timeout(60_000)  # generous: CI runs the layers in parallel on few cores
    yield tab
    context.close()
    assert outside.requests == [], "requests left the origin"
    assert errors == [], "the page logged errors"
