"""Wikidata time values with their precision, as partial ISO dates."""

from __future__ import annotations

import re

from jumelage.domain.dates import DateError, PartialDate
from jumelage.errors import Invalid

_TIME = re.compile(r"^\+?(\d{4,})-(\d{2})-(\d{2})")

# Wikidata precisions: 9 = year, 10 = month, 11 = day (coarser ones count as year).
YEAR, MONTH, DAY = 9, 10, 11


def wikidata_time(value: str, precision: int = DAY) -> str:
    """ "+1952-00-00T00:00:00Z" at precision 9 -> "1952"."""
    match = _TIME.match(value.strip())
    if not match:
        raise Invalid(f"{value!r} is not a Wikidata time value", field="time", rule="date")
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if precision <= YEAR or month == 0:
        text = f"{year:04d}"
    elif precision == MONTH or day == 0:
        text = f"{year:04d}-{month:02d}"
    else:
        text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        return PartialDate.parse(text).iso()
    except DateError as err:
        raise Invalid(str(err), field="time", rule="date") from None
