"""Typed payloads of /api/v1/stats, for the OpenAPI schema.

The handlers return the dicts of `jumelage.analytics`; these models describe them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Coverage(BaseModel):
    links_total: int = Field(description="Links on record.")
    links_counted: int = Field(description="Links the definition counts.")
    pairs_counted: int = Field(description="Distinct municipality pairs among them.")
    links_excluded: int
    excluded: dict[str, int] = Field(description="Left-out links by their first failed rule.")
    reasons: dict[str, str] = Field(description="Each rule in words.")
    without_start_date: dict[str, int] = Field(description="Undated links: all, and counted.")
    dated: str = Field(
        description="How many counted links have a start date, in words: what a figure by "
        "date rests on."
    )
    attributed_to_todays_countries: int = Field(
        description="Counted links attributed to today's countries (all of them, unless "
        "states=historical; then the undated ones)."
    )
    links_outside_region: int | None = None


class Envelope(BaseModel):
    definition: dict[str, str] = Field(description="The definition, one sentence per parameter.")
    parameters: dict[str, Any] = Field(description="The same definition as parameters.")
    coverage: Coverage


class PlaceRef(BaseModel):
    id: int
    qid: str | None
    name: str
    country: str | None


class RankedPlace(PlaceRef):
    rank: int = Field(description="Equal counts share a rank (1, 2, 2, 4).")
    count: int


class Page(BaseModel):
    total: int
    limit: int
    offset: int


class MunicipalityRanking(Envelope, Page):
    scope: dict[str, Any]
    items: list[RankedPlace]
    focus: RankedPlace | None = Field(description="The municipality asked for, wherever it ranks.")


class RankedCountry(BaseModel):
    rank: int
    country: str = Field(description="ISO 3166-1 alpha-2, or FRG, GDR, CS, SU, YU, SCG.")
    name: str
    count: int
    share: float


class CountryRanking(Envelope, Page):
    scope: dict[str, Any]
    items: list[RankedCountry]


class PairCell(BaseModel):
    a: str
    a_name: str
    b: str
    b_name: str
    count: int


class CountryPairs(Envelope, Page):
    scope: dict[str, Any]
    items: list[PairCell]
    row_totals: dict[str, int] = Field(description="Sum of each row's cells.")
    names: dict[str, str]


class Decade(BaseModel):
    decade: int
    count: int
    cumulative: int


class Decades(Envelope):
    scope: dict[str, Any]
    items: list[Decade]


class FirstLink(BaseModel):
    id: int
    level: str
    start_date: str
    a: PlaceRef
    b: PlaceRef


class First(BaseModel):
    a: str
    a_name: str
    b: str
    b_name: str
    day: str = Field(description="The first day the link's start date stands for.")
    link: FirstLink
    dated_pairs: int
    certain: bool = Field(description="False when a less precisely dated link may be earlier.")
    could_be_earlier: list[int] = Field(description="Ids of links that may be earlier.")


class Firsts(Envelope, Page):
    scope: dict[str, Any]
    items: list[First]


class Network(Envelope):
    statistics: dict[str, Any]
    statistic_definitions: dict[str, str]
    reference: dict[str, Any] = Field(description="KONECT's figures for the Wikidata network.")


class PowerLaw(Envelope):
    fit: dict[str, Any] | None
    p_value: float | None
    bootstrap: int
    seed: int
    words: str


class CentralPlace(PlaceRef):
    rank: int
    value: float
    normalised: float | None
    degree: int


class Centrality(Envelope, Page):
    measure: str
    words: str
    pivots: int | None
    exact: bool
    seed: int | None
    nodes: int
    items: list[CentralPlace]


class Community(BaseModel):
    community: int
    size: int
    countries: list[dict[str, Any]]
    hubs: list[dict[str, Any]]


class Communities(Envelope):
    words: str
    seed: int
    nodes: int
    communities: int
    modularity: float
    items: list[Community]
    limit: int


class DistanceBand(BaseModel):
    from_km: float
    to_km: float | None
    linked: int
    linked_share: float
    random_share: float
    ratio: float | None
    link_probability: float | None


class PartnerDistances(Envelope):
    words: str
    pairs_without_coordinates: int
    linked: dict[str, Any]
    random: dict[str, Any]
    bands: list[DistanceBand]
