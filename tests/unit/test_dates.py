import datetime as dt

import pytest

from jumelage.domain.dates import DateError, PartialDate, definitely_before


def test_a_year_alone_is_a_valid_date_with_year_precision():
    date = PartialDate.parse("1950")
    assert date.precision == "year"
    assert date.iso() == "1950"
    assert date.earliest() == dt.date(1950, 1, 1)
    assert date.latest() == dt.date(1950, 12, 31)


def test_month_and_day_precision_round_trip():
    assert PartialDate.parse("1987-02").precision == "month"
    assert PartialDate.parse("1987-02").latest() == dt.date(1987, 2, 28)
    assert PartialDate.parse("1980-05-22").iso() == "1980-05-22"


def test_a_wikidata_timestamp_keeps_its_calendar_day():
    assert PartialDate.parse("1952-01-01T00:00:00Z").iso() == "1952-01-01"


@pytest.mark.parametrize(
    "text", ["", "19", "1987-13", "1987-02-30", "0000", "1987/02", "next year"]
)
def test_malformed_dates_are_refused_with_a_reason(text):
    with pytest.raises(DateError):
        PartialDate.parse(text)


def test_a_coarse_date_is_not_known_to_lie_before_a_finer_one_inside_it():
    assert not definitely_before(PartialDate.parse("2014"), PartialDate.parse("2014-02"))
    assert definitely_before(PartialDate.parse("2013"), PartialDate.parse("2014-02"))
