"""Search: the place a name is held for comes first, alone; places whose names only
start with or contain the text follow below a break; names in Cyrillic, Greek and
other scripts are found through the names held, transliterated where none is."""

import re

import pytest

from jumelage.domain.names import fold, query_keys
from jumelage.services import writing
from jumelage.services.registry import PlaceFacts, ensure_municipality
from jumelage.store import queries


@pytest.mark.parametrize(
    ("typed", "key"),
    [("Москва", "moskva"), ("Αθήνα", "athina"), ("北京", "beijing"), ("Köln", "koln")],
)
def test_a_name_in_another_script_folds_to_its_transliteration(typed, key):
    assert fold(typed) == key


def test_a_cyrillic_query_is_also_read_the_way_russian_writes_german_names():
    assert "koln" in query_keys("Кёльн")
    assert "munchen" in query_keys("Мюнхен")
    assert query_keys("Köln") == ["koln"]


def _table_ids(html, table_id):
    found = re.search(rf'<table class="list" id="{table_id}">(.*?)</table>', html, re.S)
    return re.findall(r'href="/m/(Q\d+|\d+)"', found.group(1)) if found else []


def test_the_place_called_koln_is_alone_above_the_break(client, registry):
    with writing(registry.engine, "test") as w:
        # A place whose name merely contains the text, as many do in the full registry.
        ensure_municipality(w, PlaceFacts(name="Kölnbrück", country="AT"))
    html = client.get("/search?q=Köln&lang=de").text
    assert _table_ids(html, "search-exact") == ["Q365"]
    assert '<details class="more-results">' in html
    assert len(_table_ids(html, "search-more")) >= 1
    assert html.index('id="search-exact"') < html.index('id="search-more"')


def test_without_an_exact_name_the_places_found_are_listed_at_once(client):
    html = client.get("/search?q=Kol&lang=en").text
    assert 'id="search-exact"' not in html
    assert "Q365" in " ".join(_table_ids(html, "search-more"))


def test_cyrillic_queries_find_koln_and_moscow(client, registry):
    with writing(registry.engine, "test") as w:
        ensure_municipality(
            w,
            PlaceFacts(
                name="Moscow", qid="Q649", country="RU", names={"und": ["Moskva", "Moskau"]}
            ),
        )
    with registry.engine.connect() as conn:
        (koeln,), _ = queries.search_municipalities(conn, "Кёльн", limit=1)
        (moscow,), _ = queries.search_municipalities(conn, "Москва", limit=1)
    assert (koeln["qid"], koeln["match"]) == ("Q365", "exact")
    assert (moscow["qid"], moscow["match"]) == ("Q649", "exact")
    assert _table_ids(client.get("/search?q=Москва").text, "search-exact") == ["Q649"]
    suggested = client.get("/search/suggest?q=Кёльн").text
    assert 'href="/m/Q365"' in suggested


def test_a_name_held_in_greek_letters_is_found_by_them(client, registry):
    with writing(registry.engine, "test") as w:
        ensure_municipality(
            w,
            PlaceFacts(
                name="Thessaloniki", qid="Q17151", country="GR", names={"el": ["Θεσσαλονίκη"]}
            ),
        )
    html = client.get("/search?q=Θεσσαλονίκη").text
    assert _table_ids(html, "search-exact") == ["Q17151"]
