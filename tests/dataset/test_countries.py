from __future__ import annotations

import pytest

from jumelage.dataset.countries import compatible, normalise_country


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("England", "GB"),
        ("Scotland, United Kingdom", "GB"),
        ("Northern Ireland, United Kingdom", "GB"),
        ("Wales", "GB"),
        ("Republic of Ireland", "IE"),
        ("Kazakhstah", "KZ"),
        ("Madagaskar", "MG"),
        ("Japa", "JP"),
        ("Georgia (country)", "GE"),
        ("Rauma, Norway", "NO"),
        ('"Germany"', "DE"),
        ("People's Republic of China", "CN"),
        ("United States of America", "US"),
    ],
)
def test_country_strings_of_the_sources_become_iso_codes(raw: str, code: str) -> None:
    assert normalise_country(raw) == code


def test_georgia_west_of_the_atlantic_is_the_us_state() -> None:
    assert normalise_country("Georgia", lon=-84.4) == "US"
    assert normalise_country("Georgia", lon=44.8) == "GE"


def test_former_states_name_no_country() -> None:
    assert normalise_country("Austria-Hungary") is None
    assert normalise_country("t431584180") is None


def test_a_dependency_is_compatible_with_its_sovereign_state() -> None:
    assert compatible("AX", "FI")
    assert not compatible("SE", "DK")
