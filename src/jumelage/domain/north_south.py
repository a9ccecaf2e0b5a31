"""North–South partnerships: the OECD DAC list and development projects.

A link is North–South when one side lies in a country on the OECD DAC list of
ODA recipients and the other does not. The registry holds one list, the one for
reporting on 2024 and 2025 flows; it is applied to every date, also to links
signed long before it (Köln–Tunis, 1964). The result says so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from jumelage.domain.states import state_at

INCOME_GROUPS: Final = ("LDC", "Other LIC", "LMIC", "UMIC")

# Themes of development projects of municipal partnerships.
THEMES: Final = (
    "drinking_water",
    "wastewater",
    "infrastructure",
    "climate",
    "economy",
    "other",
)

CLASSES: Final = ("north_south", "south_south", "north_north", "unknown")

LIMITATION: Final = (
    "the registry holds only the DAC list for {years}; it is applied to every date, "
    "including dates before that list"
)

_TAG = re.compile(r"\bm=([a-z0-9-]+)")


@dataclass(frozen=True)
class DacEntry:
    """A country on the DAC list; `verified` is False where membership rests on inference."""

    iso2: str
    name: str
    income_group: str
    list_years: str
    verified: bool
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "iso2": self.iso2,
            "name": self.name,
            "income_group": self.income_group,
            "list_years": self.list_years,
            "verified": self.verified,
            "note": self.note,
        }


def dac_entry(row: Mapping[str, str], list_years: str) -> DacEntry:
    """A row of the bundled CSV (iso2, name, group, note); `[m=unverified]` marks doubt."""
    iso2 = row["iso2"].strip().upper()
    group = row["group"].strip()
    if len(iso2) != 2 or not iso2.isalpha():
        raise ValueError(f"{row['iso2']!r} is not an ISO 3166-1 alpha-2 code")
    if group not in INCOME_GROUPS:
        raise ValueError(f"{iso2}: group {group!r} is not one of {', '.join(INCOME_GROUPS)}")
    note = row.get("note", "").strip()
    tag = _TAG.search(note)
    verified = not (tag and tag.group(1) == "unverified")
    return DacEntry(iso2, row["name"].strip(), group, list_years, verified, note)


def classify(a_country: str | None, b_country: str | None, dac: Mapping[str, DacEntry]) -> str:
    """north_south, south_south, north_north, or unknown when a side has no country."""
    if not a_country or not b_country:
        return "unknown"
    a_south, b_south = a_country in dac, b_country in dac
    if a_south != b_south:
        return "north_south"
    return "south_south" if a_south else "north_north"


@dataclass(frozen=True)
class LinkSide:
    id: int
    name: str
    country: str | None
    admin_code: str | None


def _side(side: LinkSide, day: dt.date, dac: Mapping[str, DacEntry]) -> dict[str, Any]:
    entry = dac.get(side.country or "")
    state = state_at(side.country, side.admin_code, day) if side.country else None
    return {
        "id": side.id,
        "name": side.name,
        "country": side.country,
        "state": {"key": state.key, "name": state.name} if state else None,
        "on_dac_list": entry is not None,
        "dac": entry.to_dict() if entry else None,
    }


def classify_link(
    a: LinkSide,
    b: LinkSide,
    day: dt.date,
    dated: bool,
    dac: Mapping[str, DacEntry],
    list_years: str,
) -> dict[str, Any]:
    """The classification of a link on `day` (its start, or today when `dated` is False).

    Without a DAC list the answer is "unknown", never a guess.
    """
    kind = classify(a.country, b.country, dac) if dac else "unknown"
    return {
        "classification": kind,
        "north_south": kind == "north_south",
        "date": day.isoformat(),
        "date_basis": "link start" if dated else "today (the link has no start date)",
        "dac_list": list_years,
        "limitation": LIMITATION.format(years=list_years),
        "sides": [_side(a, day, dac), _side(b, day, dac)],
    }


def theme_problems(themes: Iterable[str]) -> list[str]:
    """Themes not in the vocabulary."""
    return [t for t in themes if t not in THEMES]
