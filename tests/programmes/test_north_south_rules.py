"""North–South classification and membership periods as pure rules: no database."""

import datetime as dt

import pytest

from jumelage.domain.dates import checked_period
from jumelage.domain.networks import member_on, periods_overlap
from jumelage.domain.north_south import LinkSide, classify, classify_link, dac_entry
from jumelage.errors import Invalid

DAC = {
    "TN": dac_entry(
        {"iso2": "TN", "name": "Tunisia", "group": "LMIC", "note": "[m=oecd24csv]"}, "2024-2025"
    ),
    "EG": dac_entry({"iso2": "EG", "name": "Egypt", "group": "LMIC", "note": ""}, "2024-2025"),
}
KOELN = LinkSide(3, "Köln", "DE", "DE-NW")
TUNIS = LinkSide(18, "Tunis", "TN", "TN-11")


def test_a_link_with_one_side_on_the_dac_list_is_north_south():
    assert classify("DE", "TN", DAC) == "north_south"
    assert classify("TN", "DE", DAC) == "north_south"


def test_a_link_with_neither_side_on_the_list_is_not_north_south():
    assert classify("DE", "FR", DAC) == "north_north"


def test_a_link_with_both_sides_on_the_list_is_south_south():
    assert classify("TN", "EG", DAC) == "south_south"


def test_a_side_without_a_country_leaves_the_class_unknown():
    assert classify("DE", None, DAC) == "unknown"


def test_a_row_marked_unverified_keeps_its_mark():
    row = {
        "iso2": "LY",
        "name": "Libya",
        "group": "UMIC",
        "note": "unverified [m=unverified g=wbfy24]",
    }
    assert not dac_entry(row, "2024-2025").verified
    assert DAC["TN"].verified


def test_the_classification_names_the_list_it_applies_to_every_date():
    result = classify_link(KOELN, TUNIS, dt.date(1964, 1, 1), True, DAC, "2024-2025")
    assert result["north_south"]
    assert result["dac_list"] == "2024-2025"
    assert "applied to every date" in result["limitation"]


def test_the_sides_carry_their_state_at_the_links_date():
    result = classify_link(KOELN, TUNIS, dt.date(1964, 1, 1), True, DAC, "2024-2025")
    assert result["sides"][0]["state"]["key"] == "FRG"


def test_without_a_dac_list_no_link_is_called_north_south():
    result = classify_link(KOELN, TUNIS, dt.date(1964, 1, 1), True, {}, "none")
    assert result["classification"] == "unknown"


TODAY = dt.date(2026, 12, 4)


def test_a_town_that_left_in_a_year_gives_way_to_one_that_joined_that_year():
    day = dt.date(2016, 6, 1)
    assert member_on("1997", "2016", day, TODAY) is False
    assert member_on("2016", None, day, TODAY) is True
    assert member_on("1997", "2016", dt.date(2015, 12, 31), TODAY) is True


def test_a_membership_without_a_join_date_is_unknown_before_the_day_of_its_list():
    assert member_on(None, None, dt.date(1995, 6, 1), TODAY) is None
    assert member_on(None, None, TODAY, TODAY) is True
    assert member_on(None, "2000", dt.date(2001, 1, 1), TODAY) is False


def test_periods_that_share_a_day_overlap_and_consecutive_ones_do_not():
    assert periods_overlap(("1997", "2016"), ("2010", None))
    assert not periods_overlap(("1997", "2016"), ("2016", None))
    assert periods_overlap((None, None), ("2020", "2021"))


def test_leaving_before_joining_is_impossible_but_the_same_year_is_not():
    with pytest.raises(Invalid) as refused:
        checked_period("2010", "2005", "joined_on", "left_on")
    assert (refused.value.field, refused.value.rule) == ("left_on", "end_after_start")
    assert checked_period("2010", "2010", "joined_on", "left_on") == ("2010", "2010")
    assert checked_period("2010-06", "2010", "joined_on", "left_on") == ("2010-06", "2010")
