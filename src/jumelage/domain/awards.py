"""The Council of Europe's Europe Prize ladder and who may apply for which level.

Four distinctions, earned strictly in order: the European Diploma, the Flag of
Honour, the Plaque of Honour and the Europe Prize. The statutes ask for
"several years" between two levels; how many is a setting
(`JUMELAGE_AWARD_MIN_YEARS`). An application names at least one twin town and
reports the activities of the year.

Pure rules: the caller hands in the facts (distinctions held, number of twin
towns with an active partnership, activities recorded in the year).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

LADDER: Final = ("diploma", "flag", "plaque", "prize")

NAMES: Final[dict[str, str]] = {
    "diploma": "European Diploma",
    "flag": "Flag of Honour",
    "plaque": "Plaque of Honour",
    "prize": "Europe Prize",
}


@dataclass(frozen=True)
class Reason:
    """One rule of the check, met or not, said in words."""

    rule: str
    met: bool
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "met": self.met, "message": self.message, **self.params}


@dataclass(frozen=True)
class Eligibility:
    """The answer to "may this municipality apply for this level in this year?"."""

    level: str
    year: int
    min_years: int
    reasons: tuple[Reason, ...]

    @property
    def eligible(self) -> bool:
        return all(r.met for r in self.reasons)

    @property
    def failed(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if not r.met)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "level_name": NAMES[self.level],
            "year": self.year,
            "min_years": self.min_years,
            "eligible": self.eligible,
            "reasons": [r.to_dict() for r in self.reasons],
        }


def check_level(level: str) -> str:
    """The level itself, or ValueError naming the four levels."""
    if level not in LADDER:
        raise ValueError(f"level must be one of {', '.join(LADDER)}")
    return level


def previous_level(level: str) -> str | None:
    """The distinction a municipality must hold before this one (None for the Diploma)."""
    index = LADDER.index(check_level(level))
    return LADDER[index - 1] if index else None


def next_level(held: Mapping[str, int]) -> str | None:
    """The next level a municipality can aim for; None when it holds the Europe Prize."""
    for level in LADDER:
        if level not in held:
            return level
    return None


def _not_held(level: str, held: Mapping[str, int]) -> Reason:
    if level in held:
        text = f"already received the {NAMES[level]} in {held[level]}"
        return Reason("not_held", False, text, {"level": level, "held_in": held[level]})
    return Reason("not_held", True, f"has not yet received the {NAMES[level]}", {"level": level})


def _previous(level: str, held: Mapping[str, int]) -> Reason:
    before = previous_level(level)
    if before is None:
        return Reason("previous_level", True, "the European Diploma is the first level")
    if before in held:
        text = f"holds the {NAMES[before]} ({held[before]})"
        return Reason("previous_level", True, text, {"before": before, "held_in": held[before]})
    return Reason(
        "previous_level",
        False,
        f"the {NAMES[level]} requires the {NAMES[before]} first, which it does not hold",
        {"level": level, "before": before},
    )


def _waiting_time(level: str, year: int, held: Mapping[str, int], min_years: int) -> Reason:
    before = previous_level(level)
    if before is None:
        return Reason("min_years", True, "no waiting time before the first level")
    if before not in held:
        text = f"no {NAMES[before]} to count the years from"
        return Reason("min_years", False, text, {"before": before})
    gap = year - held[before]
    plural = "" if gap == 1 else "s"
    text = f"{gap} year{plural} since the {NAMES[before]}, at least {min_years} required"
    params = {"before": before, "years": gap, "min_years": min_years}
    return Reason("min_years", gap >= min_years, text, params)


def _twin_town(twin_towns: int) -> Reason:
    if twin_towns > 0:
        text = f"{twin_towns} twin town(s) with an active partnership"
        return Reason("twin_town", True, text, {"count": twin_towns})
    return Reason("twin_town", False, "names no twin town with an active partnership", {"count": 0})


def _activities(year: int, activities: int) -> Reason:
    if activities > 0:
        text = f"{activities} activities recorded in {year}"
        return Reason("activities", True, text, {"count": activities, "year": year})
    text = f"no activities recorded in {year}"
    return Reason("activities", False, text, {"count": 0, "year": year})


def check_eligibility(
    level: str,
    year: int,
    held: Mapping[str, int],
    twin_towns: int,
    activities: int,
    min_years: int,
) -> Eligibility:
    """Every rule for applying for `level` in `year`, each met or not.

    `held` maps each distinction already received to its year.
    """
    check_level(level)
    reasons = (
        _not_held(level, held),
        _previous(level, held),
        _waiting_time(level, year, held, min_years),
        _twin_town(twin_towns),
        _activities(year, activities),
    )
    return Eligibility(level, year, min_years, reasons)


def ladder_problem(level: str, year: int, held: Mapping[str, int]) -> str | None:
    """Why a distinction cannot enter the register, or None when it can.

    The register records what the Council of Europe awarded, so it checks only
    the order of the ladder, not the waiting time.
    """
    before = previous_level(level)
    if level in held:
        return f"the {NAMES[level]} is already registered ({held[level]})"
    if before is not None and before not in held:
        return f"the {NAMES[level]} requires the {NAMES[before]} first"
    if before is not None and held[before] > year:
        return f"the {NAMES[level]} cannot precede the {NAMES[before]} ({held[before]})"
    return None
