"""Multilateral networks of towns and the periods of their memberships.

Kinds: a league of cities (Städtebund Die Hanse, the "Neue Hanse" founded in
1980 in Zwolle), a multi-twinning (the Douzelage: one town per EU member state,
each twinned with all others), towns calling themselves Europastadt, and rings
of partner cities.

A membership runs from its join date to its leave date. With partial dates a
town counts as a member from the first day its join date can stand for, and no
longer from the first day its leave date can stand for: Karkkila left the
Douzelage in 2016 and Asikkala joined in 2016, so on any day of 2016 Asikkala
is the Finnish member. An unknown join date counts from the network's founding.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from jumelage.domain.dates import parse_optional

KINDS: Final = ("league", "multi_twinning", "europastadt", "ring", "other")


def member_on(
    joined_on: str | None, left_on: str | None, day: dt.date, founded: str | None = None
) -> bool:
    """Was a town with this membership period a member on `day`?"""
    joined, left = parse_optional(joined_on or founded), parse_optional(left_on)
    return (joined is None or joined.earliest() <= day) and (left is None or day < left.earliest())


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
