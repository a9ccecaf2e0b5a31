"""The plain data the matcher reads: places, links, names, contacts, networks.

The store fills these from the registry; tests build them by hand. Nothing here
touches a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from jumelage.domain.north_south import DacEntry


class Place(NamedTuple):
    """A municipality (a tuple: a registry's 20,000 are read on every data version)."""

    id: int
    name: str
    kind: str = "municipality"
    country: str | None = None
    admin_code: str | None = None
    admin_area: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    qid: str | None = None
    merged: bool = False  # merged into a successor: no longer a candidate


class Link(NamedTuple):
    """An unordered pair of municipalities, whatever its levels; `first_seen` is the
    earliest `as_of` among the sources that record it ("2016-09"), if any."""

    a: int
    b: int
    first_seen: str | None = None

    @property
    def pair(self) -> tuple[int, int]:
        return (self.a, self.b) if self.a < self.b else (self.b, self.a)


@dataclass(frozen=True)
class Contact:
    """A private tie (school, club, citizen …) of `municipality_id` with `place_id`."""

    municipality_id: int
    place_id: int
    kind: str


@dataclass(frozen=True)
class Membership:
    network: str  # the network's name, as shown in reasons
    municipality_id: int


@dataclass(frozen=True)
class MatchData:
    places: tuple[Place, ...]
    links: tuple[Link, ...]
    # Each municipality's names as (language, folded name); "und" for a name in an
    # unknown language (alternate names of every language come so).
    names: Mapping[int, frozenset[tuple[str, str]]] = field(default_factory=dict)
    contacts: tuple[Contact, ...] = ()
    memberships: tuple[Membership, ...] = ()
    dac: Mapping[str, DacEntry] = field(default_factory=dict)  # the OECD DAC list; empty: unknown
    data_version: int = 0

    def with_links(self, links: Iterable[Link]) -> MatchData:
        """The same registry with only these links: the training side of a split."""
        return replace(self, links=tuple(links))


def distinct_pairs(links: Iterable[Link]) -> list[Link]:
    """One link per unordered pair (the earliest `first_seen` wins), in pair order."""
    best: dict[tuple[int, int], Link] = {}
    for item in links:
        if item.a == item.b:
            continue
        key = item.pair
        seen = best.get(key)
        if seen is None or _earlier(item.first_seen, seen.first_seen):
            best[key] = Link(key[0], key[1], item.first_seen)
    return [best[k] for k in sorted(best)]


def _earlier(a: str | None, b: str | None) -> bool:
    if a is None:
        return False
    return b is None or a < b
