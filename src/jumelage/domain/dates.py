"""Dates with a stated precision: "1950", "1987-02" and "1980-05-22" are all valid.

A signing known only to the year is a fact, not a missing value; comparisons
therefore use the earliest and latest day a partial date can stand for.

This module is the one date parser of the project: every door and every service
reads a date field with `checked_date` and a period with `checked_period`, whose
one comparison rule is `definitely_before` (an end is refused only when every day
it can stand for lies before every day the start can: "2014" may end a period
that began "2014-05").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from jumelage.errors import Invalid

Precision = Literal["year", "month", "day"]

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class DateError(ValueError):
    """A text that is not an ISO 8601 date of year, month or day precision."""


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        raw = text.strip()
        # Wikidata and many exports write full timestamps ("1952-01-01T00:00:00Z").
        if "T" in raw:
            raw = raw.split("T", 1)[0]
        match = _PATTERN.match(raw)
        if not match:
            raise DateError(f"{text!r} is not a date like 1950, 1987-02 or 1980-05-22")
        year = int(match[1])
        month = int(match[2]) if match[2] else None
        day = int(match[3]) if match[3] else None
        if year < 1:
            raise DateError(f"{text!r}: year must be 1 or later")
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"{text!r}: month must be 01-12")
        if day is not None:
            assert month is not None
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise DateError(f"{text!r}: day {day} does not exist in {year}-{month:02d}")
        return cls(year, month, day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def __str__(self) -> str:
        return self.iso()


def parse_optional(text: str | None) -> PartialDate | None:
    """Parse a date that may be absent ("" or None)."""
    if text is None or not text.strip():
        return None
    return PartialDate.parse(text)


def definitely_before(a: PartialDate, b: PartialDate) -> bool:
    """True when every day `a` can stand for lies before every day `b` can."""
    return a.latest() < b.earliest()


def checked(text: str | None, field: str, required: bool = False) -> PartialDate | None:
    """A date field, None when absent; refused at the field (422, rule `date` or
    `required`) when it is no date."""
    if text is None or not str(text).strip():
        if required:
            raise Invalid(f"{field} is required", field=field, rule="required")
        return None
    try:
        return PartialDate.parse(str(text))
    except DateError as err:
        raise Invalid(str(err), field=field, rule="date") from None


def checked_date(text: str | None, field: str, required: bool = False) -> str | None:
    """`checked`, in ISO form ("1987-02")."""
    found = checked(text, field, required)
    return found.iso() if found else None


def checked_period(
    start: str | None,
    end: str | None,
    start_field: str = "start_date",
    end_field: str = "end_date",
) -> tuple[str | None, str | None]:
    """Both ends checked as dates, and the end not definitely before the start
    (refused at `end_field`, rule `end_after_start`)."""
    first, last = checked_date(start, start_field), checked_date(end, end_field)
    if first and last and definitely_before(PartialDate.parse(last), PartialDate.parse(first)):
        raise Invalid(
            f"{end_field} ({last}) lies before {start_field} ({first})",
            field=end_field,
            rule="end_after_start",
        )
    return first, last
