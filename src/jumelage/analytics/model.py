"""The plain data the statistics are computed from: places, links, a snapshot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from jumelage.domain.dates import PartialDate
from jumelage.domain.states import State, current_state, state_at


@dataclass(frozen=True, slots=True)
class Place:
    id: int
    name: str
    qid: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, today's country
    admin_code: str | None = None
    kind: str = "municipality"
    lat: float | None = None
    lon: float | None = None
    population: int | None = None

    def state(self, day: dt.date | None) -> State | None:
        """The state the place belonged to on `day` (today's country for None)."""
        if not self.country:
            return None
        if day is None:
            return current_state(self.country)
        return state_at(self.country, self.admin_code, day)

    def ref(self) -> dict[str, object]:
        return {"id": self.id, "qid": self.qid, "name": self.name, "country": self.country}


@dataclass(frozen=True, slots=True)
class Link:
    id: int
    a: int  # municipality ids, a < b
    b: int
    level: str = "partnership"
    status: str = "active"
    start_date: str | None = None
    end_date: str | None = None
    sources: frozenset[str] = frozenset()
    # The newest "as of" among its sources' statements (ISO text); None when no source
    # states one (a link entered in the registry).
    confirmed: str | None = None

    @property
    def pair(self) -> tuple[int, int]:
        return (self.a, self.b)

    @property
    def start(self) -> PartialDate | None:
        return PartialDate.parse(self.start_date) if self.start_date else None

    @property
    def end(self) -> PartialDate | None:
        return PartialDate.parse(self.end_date) if self.end_date else None


@dataclass(frozen=True)
class Snapshot:
    """Every place and link of the registry at one data version."""

    places: dict[int, Place]
    links: tuple[Link, ...]
    data_version: int = 0
    sources: tuple[str, ...] = field(default=())
    # Municipality id -> the multilateral twinning networks (Douzelage, rings) it
    # belongs to; two members of one such network are twinned through it.
    networks: dict[int, frozenset[str]] = field(default_factory=dict)

    def same_network(self, a: int, b: int) -> bool:
        return bool(self.networks.get(a, frozenset()) & self.networks.get(b, frozenset()))

    @cached_property
    def undated(self) -> int:
        return sum(1 for link in self.links if link.start_date is None)


def snapshot(
    places: list[Place],
    links: list[Link],
    data_version: int = 0,
    networks: dict[int, frozenset[str]] | None = None,
) -> Snapshot:
    """A snapshot from lists; links are stored with the smaller id first."""
    ordered = tuple(
        link if link.a < link.b else _swapped(link) for link in sorted(links, key=lambda x: x.id)
    )
    names = sorted({s for link in ordered for s in link.sources})
    return Snapshot(
        {p.id: p for p in places}, ordered, data_version, tuple(names), dict(networks or {})
    )


def _swapped(link: Link) -> Link:
    return Link(
        link.id,
        link.b,
        link.a,
        link.level,
        link.status,
        link.start_date,
        link.end_date,
        link.sources,
    )
