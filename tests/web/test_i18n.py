"""Three languages: chosen by the browser or a switch; dates at their precision,
numbers and country names the way each language writes them."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from jumelage.web import i18n, wording

LOCALES = Path(i18n.__file__).parent / "locales"
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("it-IT,it;q=0.9,fr;q=0.5", "fr"),
        ("en;q=0.2,de;q=0.8", "de"),
        ("ja", None),
        ("", None),
    ],
)
def test_the_language_comes_from_accept_language(header, expected):
    assert i18n.from_accept_language(header) == expected


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        ("1950", "de", "1950"),
        ("1987-02", "de", "Februar 1987"),
        ("1987-02", "fr", "février 1987"),
        ("1987-02", "en", "February 1987"),
        ("1980-05-22", "de", "22. Mai 1980"),
        ("1980-05-22", "fr", "22 mai 1980"),
        ("1980-05-22", "en", "May 22, 1980"),
        ({"value": "2014-02", "precision": "month"}, "fr", "février 2014"),
        (None, "en", ""),
    ],
)
def test_a_partial_date_is_written_at_its_precision(value, lang, shown):
    assert i18n.format_partial_date(value, lang) == shown


def test_numbers_and_countries_follow_the_language():
    assert i18n.format_number(1084795, "de") == "1.084.795"
    assert i18n.format_number(1084795, "en") == "1,084,795"
    assert i18n.format_number(1084795, "fr").replace("\u202f", " ") == "1 084 795"
    assert i18n.country_name("DE", "fr") == "Allemagne"
    assert i18n.country_name("GDR", "de") == "DDR"


def test_signed_scores_and_shares_follow_the_language():
    # A matching reason's contribution and a statistic's share, as the pages show them.
    assert wording.signed(22.5, "de", 1) == "+22,5"
    assert wording.signed(-0.5, "fr").replace("\u202f", " ") == "-0,50"
    assert wording.signed(3.08, "en") == "+3.08"
    assert i18n.format_share(0.125, "de").replace("\xa0", " ") == "12,5 %"
    assert i18n.format_share(0.125, "fr").replace("\u202f", " ").replace("\xa0", " ") == "12,5 %"
    assert i18n.format_share(0.125, "en") == "12.5%"


def test_a_german_browser_gets_german_pages(client):
    page = client.get("/m/Q365", headers={"accept-language": "de-DE,de;q=0.9"})
    assert '<html lang="de">' in page.text
    assert "Partner von" in page.text


def test_the_switch_sets_a_cookie_that_later_pages_follow(client):
    switched = client.get("/?lang=fr", headers={"accept-language": "de"})
    assert "jumelage_lang=fr" in switched.headers["set-cookie"]
    page = client.get("/m/Q365", headers={"accept-language": "de"})
    assert '<html lang="fr">' in page.text
    assert "Partenaires" in page.text


def test_the_language_switch_keeps_the_page_and_its_query(client):
    page = client.get("/search?q=Koln&lang=en")
    assert 'href="/search?q=Koln&amp;lang=de"' in page.text


def test_place_names_follow_the_language_where_we_hold_them(client):
    assert "<h1>Cologne" in client.get("/m/Q365?lang=en").text
    assert "<h1>Köln" in client.get("/m/Q365?lang=de").text
    assert "Kaschau" in client.get("/m/Q2107?lang=de").text  # Wuppertal's partner Košice


def test_dates_on_a_page_follow_the_language(client):
    # Wuppertal–Košice was signed on 22 May 1980.
    assert "22. Mai 1980" in client.get("/m/Q2107?lang=de").text
    assert "22 mai 1980" in client.get("/m/Q2107?lang=fr").text


def _template_ids():
    with open(LOCALES / "messages.pot", "rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def _catalogue(lang):
    with open(LOCALES / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_every_message_is_translated(lang):
    template_ids = _template_ids()
    catalogue = _catalogue(lang)
    untranslated = [
        m.id
        for m in catalogue
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert untranslated == []
    assert {m.id for m in catalogue if m.id} == template_ids


@pytest.mark.parametrize("lang", ["de", "en", "fr"])
def test_the_compiled_catalogue_matches_its_source(lang):
    def key(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    with open(LOCALES / lang / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        # An untranslated plural is compiled as its own message id; the same
        # words in both languages ("API") are left out on both sides.
        compiled = {
            key(m.id): key(m.string) for m in read_mo(handle) if m.id and key(m.string) != key(m.id)
        }
    source = {
        key(m.id): key(m.string)
        for m in _catalogue(lang)
        if m.id and m.string and any(m.string) and key(m.string) != key(m.id)
    }
    assert compiled == source


def test_the_template_holds_every_message_of_the_pages():
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    found = {
        message[2] if isinstance(message[2], str) else tuple(message[2])
        for message in extract_from_dir(
            str(ROOT / "src" / "jumelage" / "web"),
            method_map,
            options,
            keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
        )
    }
    assert found == _template_ids()


@pytest.mark.parametrize(
    ("lang", "dated", "said"),
    [
        ("fr", 1, "1 sur 3 comptés est daté"),
        ("fr", 2, "2 sur 3 comptés sont datés"),
        ("de", 1, "1 von 3 gezählten ist datiert"),
        ("de", 2, "2 von 3 gezählten sind datiert"),
        ("en", 1, "1 of 3 counted is dated"),
    ],
)
def test_a_count_of_one_is_said_in_the_singular(lang, dated, said):
    from jumelage.web.wording import decades

    assert decades({"dated": dated, "undated": 3 - dated}, lang).startswith(said)


def test_the_dated_links_of_a_place_are_counted_in_the_right_number(client):
    partners = client.get("/api/v1/municipalities/Q365/partners").json()
    dated = sum(1 for p in partners if p["start_date"])
    page = client.get("/m/Q365", headers={"Accept-Language": "fr"}).text
    word = "lien sur" if dated <= 1 else "liens sur"
    assert f"{dated} {word} {len(partners)}" in page
