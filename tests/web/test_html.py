"""Every page parses as valid HTML, labels its form fields and carries no inline
script or style (the Content-Security-Policy would block them)."""

import re
from html.parser import HTMLParser

import html5lib
import pytest

PAGES = [
    "/",
    "/search?q=Koln",
    "/m/Q365",
    "/m/Q1709",
    "/links/1",
    "/searches",
    "/statistics",
    "/statistics/network",
    "/networks",
    "/programmes",
    "/programmes?programme=cerv-town-twinning&participants=many",
    "/m/Q365/europe-prize",
    "/matching",
    "/matching/Q365",
    "/matching/Q365/top",
    "/login",
    "/about",
    "/m/Q999999999",
]


class Inspector(HTMLParser):
    """Collects ids, labels, form fields and anything inline."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[dict[str, str | None]] = []
        self.inline: list[str] = []
        self.open_labels = 0
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.fields.append({**a, "wrapped": "yes" if self.open_labels else None})
        if tag == "style" or "style" in a:
            self.inline.append(f"style on <{tag}>")
        if any(name.startswith("on") for name in a):
            self.inline.append(f"event handler on <{tag}>")
        if tag == "script" and not a.get("src"):
            self.inline.append("inline <script>")

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


@pytest.mark.parametrize("path", PAGES)
def test_the_page_is_valid_html_in_every_language(client, path):
    for lang in ("en", "de", "fr"):
        joiner = "&" if "?" in path else "?"
        page = client.get(f"{path}{joiner}lang={lang}")
        assert page.headers["content-type"].startswith("text/html")
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        if page.text.startswith("<!doctype html>"):
            parser.parse(page.text)  # raises on the first parse error
            assert f'<html lang="{lang}">' in page.text
        else:  # a fragment for htmx
            parser.parseFragment(page.text)


def _inspected(client, path: str) -> Inspector:
    inspector = Inspector()
    inspector.feed(client.get(path).text)
    return inspector


@pytest.mark.parametrize("path", PAGES)
def test_every_form_field_has_a_label_and_ids_are_unique(client, path):
    inspector = _inspected(client, path)
    assert len(inspector.ids) == len(set(inspector.ids))
    unlabelled = [
        f
        for f in inspector.fields
        if not f.get("wrapped")
        and f.get("id") not in inspector.label_for
        and not f.get("aria-label")
    ]
    assert unlabelled == []


def test_no_page_has_inline_script_or_style(client):
    for path in PAGES:
        assert _inspected(client, path).inline == [], path


def test_every_page_points_only_to_its_own_origin(client):
    """Scripts, styles and images come from the site; a link out (a programme's
    source) is a plain anchor marked rel="external"."""
    for path in PAGES:
        text = client.get(path).text
        assets = re.findall(r'src="([^"]+)"', text) + re.findall(r'<link [^>]*href="([^"]+)"', text)
        outside = [a for a in assets if re.match(r"^(https?:)?//", a)]
        assert outside == [], path
        anchors = re.findall(r"<a ([^>]*)>", text)
        unmarked = [
            a for a in anchors if re.search(r'href="(https?:)?//', a) and 'rel="external' not in a
        ]
        assert unmarked == [], path


def test_user_entered_text_is_escaped(client):
    page = client.get("/search", params={"q": '<script>alert("x")</script>'})
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert" in page.text
