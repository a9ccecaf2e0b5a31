"""Typed payloads of the API, for the OpenAPI schema.

Handlers return the dicts of `jumelage.store.queries` rendered by orjson; these
models describe those dicts, and the schema tests check that they agree.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Level = Literal["partnership", "friendship", "contact", "project"]
Status = Literal["proposed", "exploring", "resolved", "signed", "active", "suspended", "ended"]
Kind = Literal["municipality", "city", "district", "region"]


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. not_found, invalid.")
    message: str = Field(description="What went wrong, for people.")
    details: Any = Field(None, description="For refused input: the field and the rule.")


class Error(BaseModel):
    error: ErrorBody


class DateValue(BaseModel):
    value: str = Field(description="ISO 8601 date of year, month or day precision.")
    precision: Literal["year", "month", "day"]


class Place(BaseModel):
    id: int
    qid: str | None = Field(None, description="Wikidata QID.")
    name: str
    kind: Kind
    country: str | None = Field(None, description="ISO 3166-1 alpha-2, today's country.")
    admin_area: str | None = None
    admin_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    population_year: int | None = None
    population_source: str | None = None
    geonames_id: int | None = None
    merged_into_id: int | None = None
    merged_on: str | None = None


class PlaceHit(Place):
    partner_count: int
    match: Literal["exact", "prefix", "contains"] = Field(
        description="How the best of its names matched the query."
    )


class PlacePage(BaseModel):
    items: list[PlaceHit]
    total: int
    limit: int
    offset: int


class PartnerRef(BaseModel):
    id: int
    qid: str | None
    name: str
    kind: Kind
    country: str | None
    lat: float | None
    lon: float | None


class SideSource(BaseModel):
    source: str
    as_of: str | None
    reference: str
    name_here: str | None
    name_partner: str | None


class Partner(BaseModel):
    link_id: int
    partner: PartnerRef
    level: Level
    status: Status
    status_here: Status
    status_partner: Status
    start_date: DateValue | None
    end_date: DateValue | None
    ended_by: Literal["self", "partner"] | None
    end_reason: str | None
    last_confirmed: str | None = Field(description="As-of date of the latest source listing it.")
    sources: list[SideSource]
    version: int


class Predecessor(BaseModel):
    id: int
    name: str
    date: str
    source: str


class MunicipalityDetail(Place):
    names: dict[str, list[str]] = Field(description="Names by language (und: unknown).")
    partners: list[Partner]
    partner_count: int
    predecessors: list[Predecessor]


class LinkSide(BaseModel):
    id: int
    qid: str | None
    name: str
    country: str | None


class LinkSource(BaseModel):
    source: str
    as_of: str | None
    reference: str
    name_a: str | None
    name_b: str | None


class Link(BaseModel):
    id: int
    a: LinkSide
    b: LinkSide
    level: Level
    status: Status
    status_a: Status
    status_b: Status
    start_date: DateValue | None
    end_date: DateValue | None
    ended_by_id: int | None
    end_reason: str | None
    last_confirmed: str | None
    sources: list[LinkSource]
    version: int


class LinkPage(BaseModel):
    items: list[Link]
    total: int
    limit: int
    offset: int


class HistoryEvent(BaseModel):
    id: int
    kind: str
    date: str | None
    side: dict[str, Any] | None
    from_: str | None = Field(alias="from")
    to: str | None
    reason: str | None
    source: str | None
    data: dict[str, Any] | None
    actor: str
    recorded_at: str | None


class LinkDetail(Link):
    history: list[HistoryEvent]


class StateAt(BaseModel):
    municipality: int
    date: str
    key: str = Field(description="ISO 3166-1 code, or FRG, GDR, CS, SU, YU, SCG for former states.")
    name: str
    short: str


class About(BaseModel):
    name: str
    version: str
    database: str
    counts: dict[str, int]
    attribution: str
    licence: str
