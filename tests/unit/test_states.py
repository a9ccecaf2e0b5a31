import datetime as dt

from jumelage.domain.states import state_at, state_of_municipality_at

SCHWERIN = {"country": "DE", "admin_code": "DE-MV"}
WUPPERTAL = {"country": "DE", "admin_code": "DE-NW"}
KOSICE = {"country": "SK", "admin_code": "SK-KI"}


def test_schwerin_was_in_the_gdr_in_1987_and_in_germany_in_1991():
    assert state_of_municipality_at(SCHWERIN, dt.date(1987, 2, 1)).key == "GDR"
    assert state_of_municipality_at(SCHWERIN, dt.date(1991, 1, 1)).key == "DE"


def test_reunification_takes_effect_on_3_october_1990():
    assert state_at("DE", "DE-MV", dt.date(1990, 10, 2)).key == "GDR"
    assert state_at("DE", "DE-MV", dt.date(1990, 10, 3)).key == "DE"
    assert state_at("DE", "DE-NW", dt.date(1990, 10, 2)).key == "FRG"


def test_kosice_was_in_czechoslovakia_in_1980_and_in_slovakia_in_1993():
    assert state_of_municipality_at(KOSICE, dt.date(1980, 5, 22)).key == "CS"
    assert state_of_municipality_at(KOSICE, dt.date(1993, 1, 1)).key == "SK"


def test_wuppertal_before_1990_is_west_germany():
    state = state_of_municipality_at(WUPPERTAL, dt.date(1980, 5, 22))
    assert state.key == "FRG"
    assert state.short == "West Germany"


def test_germany_before_the_two_states_is_germany():
    assert state_at("DE", "DE-HE", dt.date(1930, 1, 1)).key == "DE"


def test_soviet_and_yugoslav_successors_map_to_their_former_state():
    assert state_at("UA", None, dt.date(1980, 1, 1)).key == "SU"
    assert state_at("UA", None, dt.date(1992, 1, 1)).key == "UA"
    assert state_at("LT", None, dt.date(1939, 1, 1)).key == "LT"
    assert state_at("LT", None, dt.date(1980, 1, 1)).key == "SU"
    assert state_at("HR", None, dt.date(1985, 1, 1)).key == "YU"
    assert state_at("RS", None, dt.date(2000, 1, 1)).key == "SCG"
    assert state_at("XK", None, dt.date(2007, 1, 1)).key == "RS"
    assert state_at("XK", None, dt.date(2009, 1, 1)).key == "XK"


def test_a_country_without_periods_is_its_own_state():
    state = state_at("FR", None, dt.date(1950, 1, 1))
    assert (state.key, state.name) == ("FR", "France")
