"""Every page of the site, rendered in German and French with real objects of the
fixture registry, shows no English sentence, no untranslated catalogue entry and no
raw key of the data (`partnership_project`)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from starlette.routing import Route

from jumelage.services import writing
from jumelage.services.accounts import add_user
from jumelage.services.founding import SearchInput, publish_search
from jumelage.web import i18n
from jumelage.web import router as pages

from .conftest import KOELN, PASSWORD, sign_in

LOCALES = Path(i18n.__file__).parent / "locales"
NOT_PAGES = ("/api", "/static", "/docs", "/openapi", "/redoc", "/map/data.json")

# The page's own query shown as well, where a query changes what the page shows.
VARIANTS = {
    "/programmes": [
        "?programme=cerv-town-twinning&applicant=Q365&partners=Lille&participants=10"
        "&invited_from_abroad=4&start_date=2026-01&end_date=2026-03&amount=900000"
        "&total_cost=1000000&kind=partnership_project",
        "?programme=skew-small-projects&applicant=Q365",
    ],
    "/statistics": ["?as_of=1990&count=per_side&status=not_ended&country=DE"],
    "/search": ["?q=Koln", "?q=Kolnn"],
    "/matching/{ref}": ["?mode=contrast"],
}
UNKNOWN = ["/m/Q999999999", "/links/999999", "/networks/none"]


def _catalogue(lang):
    with open(LOCALES / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def _words(text):
    return re.findall(r"[A-Za-zÀ-ÿ']+", text.lower())


def _english_words():
    """Words of the English messages that neither German nor French messages use."""
    english = set()
    for message in _catalogue("de"):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            english.update(_words(re.sub(r"%\(\w+\)s", " ", text or "")))
    for lang in ("de", "fr"):
        for message in _catalogue(lang):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in strings:
                english.difference_update(_words(text or ""))
    return {w for w in english if len(w) > 2}


ENGLISH = _english_words()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Texts(HTMLParser):
    """The interface texts a reader sees or hears: text nodes and labelling attributes,
    leaving out scripts and what the page marks as not for translation (entered
    notes and source names: translate="no"; reference texts in English: lang="en")."""

    SPOKEN = ("title", "aria-label", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.open: list[tuple[str, bool]] = []

    @property
    def skipping(self):
        return any(skip for _, skip in self.open)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skip = (
            tag in ("script", "style")
            or a.get("translate") == "no"
            or (a.get("lang") == "en" and tag != "html")
        )
        if tag not in VOID:
            self.open.append((tag, skip))
        if not (skip or self.skipping):
            self.texts.extend(v for k, v in attrs if k in self.SPOKEN and v)

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.texts.append(" ".join(data.split()))


def _texts(html):
    parser = Texts()
    parser.feed(html)
    return parser.texts


def _names(registry):
    """Names of things (programmes, networks): shown as they are, in every language."""
    from jumelage.store import queries_programmes

    with registry.engine.connect() as conn:
        return [p["name"] for p in queries_programmes.programmes(conn)]


def _english(text, names=()):
    """A sentence of at least three words, most of them English ones."""
    for name in names:
        text = text.replace(name, " ")
    words = _words(text)
    known = [w for w in words if w in ENGLISH]
    return len(words) >= 3 and len(known) >= max(2, len(words) // 2)


RAW_KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


@pytest.fixture
def examples(registry):
    """A signed-in administrator, and one real object for each kind of path parameter."""
    with writing(registry.engine, "test") as w:
        add_user(w, "admin", PASSWORD, "admin", [])
        add_user(w, "koeln", PASSWORD, "editor", [KOELN])
        search = publish_search(
            w, KOELN, SearchInput(title="Jugendaustausch", expires_on="2099", countries=["FR"])
        )
    return {"ref": "Q365", "link_id": "1", "search_id": str(search), "key": "douzelage"}


def _routes(router):
    """The routes of a router and of the routers it includes (none with a prefix)."""
    for route in router.routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _routes(included)
        else:
            yield route


def _pages(examples):
    paths = []
    for route in _routes(pages):
        if not isinstance(route, Route) or "GET" not in (route.methods or ()):
            continue
        if route.path.startswith(NOT_PAGES):
            continue
        params = re.findall(r"{(\w+)}", route.path)
        missing = [p for p in params if p not in examples]
        assert not missing, f"no example object for {route.path}"
        path = route.path.format(**examples)
        paths.append(path)
        paths.extend(path + query for query in VARIANTS.get(route.path, []))
    return paths + UNKNOWN


def _rendered(client, path, lang):
    separator = "&" if "?" in path else "?"
    answer = client.get(f"{path}{separator}lang={lang}", headers={"accept": "text/html"})
    if "text/html" not in answer.headers.get("content-type", ""):
        return None
    return answer.text


def test_every_page_in_german_and_french_holds_no_english_and_no_raw_key(
    client, examples, registry
):
    assert sign_in(client, "admin").status_code == 303
    names = _names(registry)
    found = []
    paths = _pages(examples)
    assert len(paths) > 30
    for path in paths:
        english_page = _rendered(client, path, "en")
        if english_page is None:
            continue
        english_texts = set(_texts(english_page))
        for lang in ("de", "fr"):
            html = _rendered(client, path, lang)
            assert f'<html lang="{lang}">' in html or "<html" not in html, path
            for text in _texts(html):
                if text in english_texts and _english(text, names):
                    found.append((path, lang, "English", text))
                for key in RAW_KEY.findall(text):
                    found.append((path, lang, "raw key", key))
    assert found == [], "\n".join(map(str, found))


def test_a_refusal_on_a_form_is_said_in_the_readers_language(client, registry):
    with writing(registry.engine, "test") as w:
        add_user(w, "koeln", PASSWORD, "editor", [KOELN])
    sign_in(client, "koeln")
    form = client.get("/m/Q365/contacts/new?lang=de")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.text).group(1)
    answer = client.post(
        "/m/Q365/contacts?lang=de",
        data={"csrf_token": token, "place": "Nowhere-on-earth", "kind": "club", "holder": "x"},
    )
    assert answer.status_code == 422
    texts = _texts(answer.text)
    assert "Keine Kommune mit diesem Namen, dieser ID oder QID ist verzeichnet." in texts


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_no_two_words_of_a_vocabulary_read_the_same(lang):
    """The German contact form once offered "Verein" twice (club and association)."""
    from jumelage.web.labels import LABELS

    catalogue = _catalogue(lang)
    for vocabulary, labels in LABELS.items():
        shown = [catalogue.get(message).string for message in labels.values()]
        assert len(set(shown)) == len(shown), vocabulary


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_numbers_on_a_recommendation_follow_the_language(client, lang):
    html = client.get(f"/matching/Q365?lang={lang}").text
    scores = re.findall(r'<span class="score">([^<]+)</span>', html)
    assert scores
    assert all("," in s and "." not in s for s in scores)
