"""Screenshots of the main pages for the README, on the bundled data.

    python scripts/screenshots.py [--data-dir DIR] [--out docs/screenshots]

Loads the bundled dataset into a SQLite database in DIR (once), starts the app
with uvicorn on a free port in this process, and photographs the pages with
Debian's chromium through playwright. Nothing is fetched from the internet.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from jumelage.app import create_app
from jumelage.registry import initialise, open_registry
from jumelage.services.programmes import load_reference_data
from jumelage.settings import load_settings

CHROMIUM = "/usr/bin/chromium"
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
PAGES = [
    ("home", "/?lang=en", 1280, 1000),
    ("municipality", "/m/Q365?lang=en", 1280, 1400),
    ("statistics", "/statistics?lang=en", 1280, 1500),
    ("matching", "/matching/Q365?lang=en", 1280, 1300),
    ("municipality-phone-fr", "/m/Q365?lang=fr", 390, 1400),
    ("statistics-de", "/statistics?lang=de#decades", 1280, 1500),
    ("programmes-phone-de", "/programmes?lang=de#funding", 390, 1400),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(data_dir: Path) -> tuple[uvicorn.Server, str]:
    settings = load_settings({"JUMELAGE_DATA_DIR": str(data_dir)})
    registry = open_registry(settings)
    initialise(registry, "bundled")
    load_reference_data(registry.engine)
    port = free_port()
    config = uvicorn.Config(create_app(registry), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def shoot(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, path, width, height in PAGES:
            page = browser.new_page(viewport={"width": width, "height": height})
            # The first statistics and recommendations are computed on this request.
            page.set_default_timeout(600_000)
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(4000)  # let the map finish drawing
            page.screenshot(path=str(out / f"{name}.png"))
            print(f"{name}: {out / f'{name}.png'}")
            page.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/jumelage-screenshots"))
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    server, base = start(args.data_dir)
    try:
        shoot(base, args.out)
    finally:
        server.should_exit = True


if __name__ == "__main__":
    main()
