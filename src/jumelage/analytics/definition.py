"""What a figure counts: the definition as parameters, in words, and its coverage.

"Köln has 24 partnerships" and "Köln has 23" can both be right: they count
different things. Every statistic here takes a `Definition`, applies it with
`select`, and returns the definition in words together with the coverage: how
many links were counted, how many were left out and why.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, get_args

from jumelage.analytics.model import Link, Place, Snapshot
from jumelage.domain.dates import DateError, PartialDate
from jumelage.domain.states import current_state, state_at
from jumelage.domain.vocabulary import LEVELS
from jumelage.errors import Invalid

Count = Literal["distinct", "per_side"]
StatusFilter = Literal["all", "active", "not_ended"]
Undated = Literal["exclude", "include"]
States = Literal["current", "historical"]
Networks = Literal["include", "exclude"]
# A link counts by default when a source of this year or later states it: a link that only
# older statements carry (the 2016 Wikidata export) may have ended since.
CONFIRMED_SINCE = "2017"

# Why a link was left out, in the order the rules are applied: a link is
# counted under the first rule it fails.
REASONS: dict[str, str] = {
    "level": "its level is not included",
    "source": "no included source lists it",
    "unconfirmed": "only statements older than the stated year list it, and it did not start since",
    "status": "its status is not included",
    "undated": "it has no start date, and the figure is as of a date",
    "not_started": "it started after the date",
    "ended": "it had ended by the date",
    "ended_undated": "it has ended, on an unknown date, and the figure is as of a date",
    "network": "both sides belong to one multilateral twinning network (Douzelage, a ring)",
    "no_country": "a side has no country on record",
    "domestic": "both sides lie in the same country (state)",
}


@dataclass(frozen=True)
class Definition:
    """The parameters of a count. Defaults: distinct pairs, today's countries, partnerships a
    source confirms since 2017, without the links a multilateral network makes: the count under
    which Köln has the most partnerships in Germany."""

    count: Count = "distinct"
    levels: tuple[str, ...] = LEVELS
    status: StatusFilter = "all"
    domestic: bool = True
    as_of: str | None = None
    undated: Undated = "exclude"
    sources: tuple[str, ...] = ()
    states: States = "current"
    networks: Networks = "exclude"
    confirmed_since: str | None = CONFIRMED_SINCE

    @property
    def as_of_day(self) -> dt.date | None:
        # "As of 1990" means at the end of 1990.
        return PartialDate.parse(self.as_of).latest() if self.as_of else None

    def parameters(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "levels": list(self.levels),
            "status": self.status,
            "domestic": self.domestic,
            "as_of": self.as_of,
            "undated": self.undated,
            "sources": list(self.sources),
            "states": self.states,
            "networks": self.networks,
            "confirmed_since": self.confirmed_since,
        }

    def describe(self) -> dict[str, str]:
        """The definition in words, one sentence per parameter."""
        return {
            "count": _COUNT_WORDS[self.count],
            "levels": _levels_words(self.levels),
            "status": _STATUS_WORDS[self.status],
            "domestic": _DOMESTIC_WORDS[self.domestic],
            "as_of": self._as_of_words(),
            "sources": (
                "links from any source"
                if not self.sources
                else f"links that at least one of these sources lists: {', '.join(self.sources)}"
            ),
            "states": _STATES_WORDS[self.states],
            "networks": _NETWORK_WORDS[self.networks],
            "confirmed_since": self._confirmed_words(),
        }

    def _confirmed_words(self) -> str:
        if self.confirmed_since is None:
            return "links any source states, however old the statement"
        return (
            f"links that a source of {self.confirmed_since} or later states, or that no dated "
            f"source states (entered in the registry); a link that only statements older than "
            f"{self.confirmed_since} carry is left out, since it may have ended"
        )

    def _as_of_words(self) -> str:
        if self.as_of is None:
            return "no date: every link on record counts, dated or not"
        day = self.as_of_day
        undated = (
            "links without a start date are left out"
            if self.undated == "exclude"
            else "links without a start date are counted as existing"
        )
        return (
            f"links that existed on {day} (the last day of {self.as_of!r}): a start on or "
            "before that day and no end on or before it; a date known only to the year or "
            f"month stands for its first day; {undated}"
        )


_COUNT_WORDS = {
    "distinct": "distinct pairs: two municipalities linked at several levels count once",
    "per_side": (
        "per side: every link counts once for each of its two sides, so a link between two "
        "places of one country counts twice for that country and the total is twice the "
        "number of links"
    ),
}
_STATUS_WORDS = {
    "all": "every status (proposed to active, suspended and ended)",
    "active": "only links whose status is active",
    "not_ended": "every status except ended",
}
_DOMESTIC_WORDS = {
    True: "included: links between two places of the same country count",
    False: "excluded: only links between places of different countries (states) count",
}
_NETWORK_WORDS = {
    "include": "links between members of a multilateral twinning network count like any other",
    "exclude": (
        "bilateral only: a link between two members of one multilateral twinning network "
        "(the Douzelage, a ring of partner cities) is left out, since the network, not the "
        "pair, made it"
    ),
}
_STATES_WORDS = {
    "current": "countries of today (ISO 3166-1 alpha-2)",
    "historical": (
        "the states of the two places on the link's start date (FRG, GDR, CS, SU, YU, SCG "
        "where they applied); links without a start date by today's countries"
    ),
}


def _levels_words(levels: tuple[str, ...]) -> str:
    if set(levels) == set(LEVELS):
        return "all levels: " + ", ".join(LEVELS)
    return "only " + ", ".join(levels)


def make_definition(
    count: str = "distinct",
    levels: list[str] | tuple[str, ...] | None = None,
    status: str = "all",
    domestic: bool = True,
    as_of: str | None = None,
    undated: str = "exclude",
    sources: list[str] | tuple[str, ...] | None = None,
    states: str = "current",
    networks: str = "exclude",
    confirmed_since: str | None = CONFIRMED_SINCE,
) -> Definition:
    """A checked definition; refuses bad values with Invalid naming the field and rule."""
    _choice(count, Count, "count")
    _choice(status, StatusFilter, "status")
    _choice(undated, Undated, "undated")
    _choice(states, States, "states")
    _choice(networks, Networks, "networks")
    chosen = tuple(levels) if levels else LEVELS
    for level in chosen:
        _choice(level, tuple(LEVELS), "levels")
    day = None
    if as_of:
        try:
            day = PartialDate.parse(as_of).iso()
        except DateError as err:
            raise Invalid(str(err), field="as_of", rule="date") from None
    confirmed = _confirmed_year(confirmed_since)
    return Definition(
        count=count,  # type: ignore[arg-type]
        levels=tuple(sorted(set(chosen), key=LEVELS.index)),
        status=status,  # type: ignore[arg-type]
        domestic=domestic,
        as_of=day,
        undated=undated,  # type: ignore[arg-type]
        sources=tuple(sorted(set(sources or ()))),
        states=states,  # type: ignore[arg-type]
        networks=networks,  # type: ignore[arg-type]
        confirmed_since=confirmed,
    )


def _confirmed_year(value: str | None) -> str | None:
    """A year (\"2017\"), or None for "any" or nothing."""
    if value is None or value.strip() in ("", "any"):
        return None
    text = value.strip()
    if not (len(text) == 4 and text.isdigit()):
        raise Invalid(
            "confirmed_since must be a year (2017) or any", field="confirmed_since", rule="year"
        )
    return text


def _choice(value: str, allowed: Any, field_name: str) -> None:
    options = allowed if isinstance(allowed, tuple) else get_args(allowed)
    if value not in options:
        raise Invalid(
            f"{field_name} must be one of {', '.join(options)}", field=field_name, rule="choice"
        )


@lru_cache(maxsize=65536)
def state_key(country: str, admin_code: str | None, day: dt.date | None) -> tuple[str, str]:
    """(key, short name) of a place's state on `day`; today's country for None."""
    state = current_state(country) if day is None else state_at(country, admin_code, day)
    return state.key, state.short


@dataclass(frozen=True)
class Counted:
    """A link that counts, with its two sides' states (None: no country on record)."""

    link: Link
    day: dt.date | None  # the first day of its start date
    state_a: str | None
    state_b: str | None


@dataclass(frozen=True)
class Pair:
    """Two municipalities and the counted links between them (several levels possible)."""

    a: int
    b: int
    links: tuple[Link, ...]
    day: dt.date | None  # the earliest start of its links
    state_a: str | None
    state_b: str | None


@dataclass
class Selection:
    """The links a definition counts, and its coverage."""

    definition: Definition
    counted: list[Counted]
    excluded: Counter[str]
    links_total: int
    undated_total: int
    state_names: dict[str, str] = field(default_factory=dict)
    _pairs: list[Pair] | None = None

    def pairs(self) -> list[Pair]:
        """The counted links grouped by pair, in order of their first link."""
        if self._pairs is None:
            self._pairs = _group_pairs(self.counted)
        return self._pairs

    def coverage(self) -> dict[str, Any]:
        counted_undated = sum(1 for c in self.counted if c.link.start_date is None)
        by_current = (
            counted_undated if self.definition.states == "historical" else len(self.counted)
        )
        return {
            "links_total": self.links_total,
            "links_counted": len(self.counted),
            "pairs_counted": len({c.link.pair for c in self.counted}),
            "links_excluded": sum(self.excluded.values()),
            "excluded": {reason: self.excluded.get(reason, 0) for reason in REASONS},
            "reasons": dict(REASONS),
            "without_start_date": {"all": self.undated_total, "counted": counted_undated},
            "dated": _dated_words(len(self.counted), len(self.counted) - counted_undated),
            "attributed_to_todays_countries": by_current,
        }

    def envelope(self) -> dict[str, Any]:
        """What every statistic's response starts with."""
        return {
            "definition": self.definition.describe(),
            "parameters": self.definition.parameters(),
            "coverage": self.coverage(),
        }


def _dated_words(counted: int, dated: int) -> str:
    """How much of a figure rests on dated links, in words."""
    if not counted:
        return "no link is counted"
    share = 100 * dated / counted
    return (
        f"{dated:,} of the {counted:,} counted links ({share:.1f} %) have a start date; "
        "a figure by date (since, decades, firsts, as of) rests on those alone"
    )


def select(snapshot: Snapshot, definition: Definition, need_countries: bool = False) -> Selection:
    """Apply a definition to every link; count each left-out link under its first reason."""
    excluded: Counter[str] = Counter()
    counted: list[Counted] = []
    names: dict[str, str] = {}
    as_of = definition.as_of_day
    levels, sources = set(definition.levels), set(definition.sources)
    for link in snapshot.links:
        reason = _filter_reason(link, definition, levels, sources, as_of)
        if reason is None and definition.networks == "exclude":
            reason = "network" if snapshot.same_network(link.a, link.b) else None
        if reason is None:
            item = _attribute(link, snapshot.places, definition, names)
            reason = _country_reason(item, definition, need_countries)
            if reason is None:
                counted.append(item)
                continue
        excluded[reason] += 1
    return Selection(definition, counted, excluded, len(snapshot.links), snapshot.undated, names)


def _filter_reason(
    link: Link,
    definition: Definition,
    levels: set[str],
    sources: set[str],
    as_of: dt.date | None,
) -> str | None:
    if link.level not in levels:
        return "level"
    if sources and not (link.sources & sources):
        return "source"
    if definition.confirmed_since and _unconfirmed(link, definition.confirmed_since):
        return "unconfirmed"
    if definition.status == "active" and link.status != "active":
        return "status"
    if definition.status == "not_ended" and link.status == "ended":
        return "status"
    if as_of is None:
        return None
    return _date_reason(link, definition, as_of)


def _unconfirmed(link: Link, since: str) -> bool:
    """Only statements older than `since` carry the link, and it did not start since then."""
    if link.confirmed is None or link.confirmed >= since:
        return False
    return not (link.start_date and link.start_date >= since)


def _date_reason(link: Link, definition: Definition, as_of: dt.date) -> str | None:
    start, end = link.start, link.end
    if start is None and definition.undated == "exclude":
        return "undated"
    if start is not None and start.earliest() > as_of:
        return "not_started"
    if end is not None and end.earliest() <= as_of:
        return "ended"
    if end is None and link.status == "ended":
        return "ended_undated"
    return None


def _attribute(
    link: Link, places: dict[int, Place], definition: Definition, names: dict[str, str]
) -> Counted:
    start = link.start
    day = start.earliest() if start else None
    when = day if definition.states == "historical" else None
    return Counted(
        link, day, _state(places[link.a], when, names), _state(places[link.b], when, names)
    )


def _state(place: Place, day: dt.date | None, names: dict[str, str]) -> str | None:
    if not place.country:
        return None
    key, short = state_key(place.country, place.admin_code, day)
    names[key] = short
    return key


def _country_reason(item: Counted, definition: Definition, need_countries: bool) -> str | None:
    missing = item.state_a is None or item.state_b is None
    if missing and (need_countries or not definition.domestic):
        return "no_country"
    if not definition.domestic and item.state_a == item.state_b:
        return "domestic"
    return None


def _group_pairs(counted: list[Counted]) -> list[Pair]:
    grouped: dict[tuple[int, int], list[Counted]] = {}
    for item in counted:
        grouped.setdefault(item.link.pair, []).append(item)
    pairs = []
    for (a, b), items in grouped.items():
        dated = [i for i in items if i.day is not None]
        first = min(dated, key=lambda i: (i.day, i.link.id)) if dated else items[0]
        pairs.append(
            Pair(a, b, tuple(i.link for i in items), first.day, first.state_a, first.state_b)
        )
    return pairs
