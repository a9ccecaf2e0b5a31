"""Multilateral networks of towns and the periods of their memberships.

Kinds: a league of cities (Städtebund Die Hanse, the "Neue Hanse" founded in
1980 in Zwolle), a multi-twinning (the Douzelage: one town per EU member state,
each twinned with all others), towns calling themselves Europastadt, and rings
of partner cities.

A membership runs from its join date to its leave date. With partial dates a
town counts as a member from the first day its join date can stand for, and no
longer from the first day its leave date can stand for: Karkkila left the
Douzelage in 2016 and Asikkala joined in 2016, so on any day of 2016 Asikkala
is the Finnish member. A town listed without a join date is a member on the day
the list describes (today) and after, but on an earlier day nobody knows: it is
shown as unknown there, never counted as a member since the founding.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from jumelage.domain.dates import parse_optional

KINDS: Final = ("league", "multi_twinning", "europastadt", "ring", "other")


def member_on(
    joined_on: str | None, left_on: str | None, day: dt.date, listed_on: dt.date
) -> bool | None:
    """Was a town with this membership period a member on `day`? None: unknown (no
    join date, and `day` lies before `listed_on`, the day its list describes)."""
    joined, left = parse_optional(joined_on), parse_optional(left_on)
    if left is not None and left.earliest() <= day:
        return False
    if joined is None:
        return True if day >= listed_on else None
    return joined.earliest() <= day


def _bounds(joined_on: str | None, left_on: str | None) -> tuple[dt.date, dt.date]:
    joined, left = parse_optional(joined_on), parse_optional(left_on)
    return (
        joined.earliest() if joined else dt.date.min,
        left.earliest() if left else dt.date.max,
    )


def periods_overlap(
    first: tuple[str | None, str | None], second: tuple[str | None, str | None]
) -> bool:
    """Do two membership periods (join, leave) share a day?"""
    a_start, a_end = _bounds(*first)
    b_start, b_end = _bounds(*second)
    return a_start < b_end and b_start < a_end
