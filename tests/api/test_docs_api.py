"""The API overview names every endpoint."""

from pathlib import Path

from jumelage.api.app import create_app

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_api_path_is_documented(registry):
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    app = create_app(registry)
    paths = {
        route.path
        for route in app.routes
        if getattr(route, "include_in_schema", False) and route.path.startswith("/api/")
    }
    missing = sorted(p for p in paths if p not in text)
    assert missing == []
