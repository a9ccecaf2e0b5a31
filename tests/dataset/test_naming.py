from __future__ import annotations

from jumelage.dataset.naming import display_name, kind_from_name, similarity, variants


def test_a_district_in_brackets_or_after_a_dash_meets_its_plain_name() -> None:
    assert "neukolln" in variants("Neukölln (Berlin)")
    assert "neukolln" in variants("Berlin – Neukölln")
    assert "berlin" not in variants("Berlin – Neukölln")


def test_municipal_status_words_and_regional_qualifiers_are_dropped() -> None:
    assert "sigtuna" in variants("Sigtuna Municipality")
    assert "porcia" in variants("Porcia, Friuli-Venezia Giulia")
    assert "buzau" in variants("Municipiul Buzău")


def test_a_county_never_meets_its_town_by_name() -> None:
    assert not variants("County Cork") & variants("Cork")
    assert kind_from_name("County Cork") == "region"
    assert kind_from_name("Landkreis Rostock") == "region"


def test_numbered_districts_are_not_similar_names() -> None:
    assert similarity("budapest xi", "budapest xv") == 0.0
    assert similarity("prague 5", "prague 6") == 0.0
    assert kind_from_name("18th district of Budapest") == "district"


def test_display_names_lose_municipal_prefixes_but_keep_the_name() -> None:
    assert display_name("Municipiul Buzău") == "Buzău"
    assert display_name("Mito-shi") == "Mito"
    assert display_name("Innere Stadt") == "Innere Stadt"
    assert display_name("Cape Town") == "Cape Town"
