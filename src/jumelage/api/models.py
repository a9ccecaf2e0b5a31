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
    version: int
    lang: str | None = Field(
        None, description="The language of `name` (de, en, fr); null: the registry's own name."
    )
    names: dict[str, list[str]] = Field(
        description="Every name by language (und: no stated language); de, en and fr hold the "
        "one name the naming rule chose."
    )
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


class Pending(BaseModel):
    status: Literal["pending"]
    confirmation_id: int
    link_id: int


class Confirmation(BaseModel):
    id: int
    link_id: int
    kind: Literal["sign", "charter", "level", "activate"]
    payload: dict[str, Any]
    proposed_by_side: int
    proposed_by: str
    proposed_at: str
    status: Literal["pending", "confirmed", "rejected", "withdrawn"]
    decided_by: str | None
    decided_at: str | None


class TimelineEntry(BaseModel):
    type: Literal["event", "activity", "ambassador"]
    date: str | None
    item: dict[str, Any]


class DormantLink(Link):
    last_sign_of_life: str | None


class DormantPage(BaseModel):
    items: list[DormantLink]
    total: int
    limit: int
    offset: int
    years: int


class ContactItem(BaseModel):
    id: int
    municipality_id: int
    place_id: int
    place_name: str
    place_country: str | None
    holder: str
    kind: str
    since: str | None
    note: str | None
    version: int
    created_by: str
    created_at: str
    updated_at: str


class ContactPlace(BaseModel):
    place: dict[str, Any]
    contacts: int
    strength: int
    kinds: dict[str, int]
    since: str | None
    linked: bool = Field(description="Whether a live link with this place exists already.")


class ContactReport(BaseModel):
    municipality_id: int
    definition: str
    places: list[ContactPlace]


class SearchItem(BaseModel):
    id: int
    municipality_id: int
    publisher_name: str
    title: str
    countries: list[str]
    regions: list[str]
    size_min: int | None
    size_max: int | None
    themes: list[str]
    languages: list[str]
    mode: Literal["similar", "contrast"]
    text: str
    expires_on: str
    status: Literal["open", "closed", "matched"]
    link_id: int | None
    version: int
    created_by: str
    created_at: str
    updated_at: str


class SearchListItem(SearchItem):
    publisher_country: str | None


class SearchPage(BaseModel):
    items: list[SearchListItem]
    total: int
    limit: int
    offset: int


class Answer(BaseModel):
    id: int
    search_id: int
    municipality_id: int
    municipality_name: str
    country: str | None
    message: str
    status: Literal["open", "accepted", "declined", "withdrawn"]
    version: int
    created_by: str
    created_at: str
    updated_at: str


class SearchDetail(SearchItem):
    answers: list[Answer]


class Stamped(BaseModel):
    version: int
    created_by: str
    created_at: str
    updated_at: str


class ActivityItem(Stamped):
    id: int
    link_id: int
    kind: Literal["visit", "delegation", "exchange", "project", "anniversary"]
    exchange_kind: str | None
    title: str
    start_date: str
    end_date: str | None
    from_id: int | None
    to_id: int | None
    participants: int | None
    invited_from_abroad: int | None
    days: int | None
    themes: list[str]
    funding_source: str | None
    planned: bool
    note: str | None


class VisitPlan(BaseModel):
    link_id: int
    year: int
    planned: list[ActivityItem]
    held: list[ActivityItem]


class OfficialItem(Stamped):
    id: int
    municipality_id: int
    person: str
    role: str
    term_start: str | None
    term_end: str | None
    source: str | None


class AmbassadorItem(Stamped):
    id: int
    person: str
    home_id: int
    home_name: str
    host_id: int
    host_name: str
    link_id: int | None
    term_start: str
    term_end: str | None
    note: str | None


class ActorItem(Stamped):
    id: int
    municipality_id: int
    name: str
    kind: str
    note: str | None


class LinkActorItem(Stamped):
    id: int
    link_id: int
    actor_id: int
    name: str
    kind: str
    municipality_id: int
    role: str
    since: str | None
    until: str | None


class Me(BaseModel):
    name: str
    role: Literal["admin", "editor", "association", "public"]
    municipality_ids: list[int]
    csrf_token: str | None = Field(
        None, description="For a session cookie: send it as X-CSRF-Token with every write"
    )


class AuditEntry(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    revertible: bool


class AuditPage(BaseModel):
    items: list[AuditEntry]
    limit: int
    offset: int


class Reverted(BaseModel):
    object_type: str
    object_id: int
    restored: dict[str, Any]
