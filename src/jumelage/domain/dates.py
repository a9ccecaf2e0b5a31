"""Dates with a stated precision: "1950", "1987-02" and "1980-05-22" are all valid.

A signing known only to the year is a fact, not a missing value; comparisons
therefore use the earliest and latest day a partial date can stand for.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

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

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

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


def possibly_before(a: PartialDate, b: PartialDate) -> bool:
    """True when `a` may lie before `b` ("2014" is not known to be after "2014-02")."""
    return a.earliest() < b.latest()
