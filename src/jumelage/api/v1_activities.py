"""Activities of links, and the people and actors behind partnerships."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from starlette.responses import Response

from jumelage.api import models
from jumelage.api.auth import expected_version, signed_in
from jumelage.api.common import Body, registry, resolve, versioned
from jumelage.api.responses import JSON
from jumelage.api.v1_lifecycle import WRITE_ERRORS, Ref
from jumelage.domain.permissions import Principal
from jumelage.domain.vocabulary import (
    ACTIVITY_KINDS,
    ACTOR_KINDS,
    EXCHANGE_KINDS,
    OFFICIAL_ROLES,
)
from jumelage.errors import NotFound
from jumelage.services import activities as activity_service
from jumelage.services import links as link_service
from jumelage.services import people, writing
from jumelage.store import queries, queries_lifecycle

router = APIRouter(prefix="/api/v1", tags=["activities and people"])
Signed = Annotated[Principal, Depends(signed_in)]
Short = Annotated[str, Field(max_length=200)]
DateText = Annotated[str, Field(max_length=10)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]


class ActivityBody(Body):
    kind: Literal[ACTIVITY_KINDS]  # type: ignore[valid-type]
    title: Annotated[str, Field(max_length=300)]
    start_date: DateText
    end_date: DateText | None = None
    exchange_kind: Literal[EXCHANGE_KINDS] | None = None  # type: ignore[valid-type]
    from_: Ref | None = Field(None, alias="from", description="The side that travels.")
    to: Ref | None = Field(None, description="The side that hosts.")
    participants: Count | None = None
    invited_from_abroad: Count | None = None
    days: Annotated[int, Field(ge=0, le=3660)] | None = None
    themes: list[Short] = Field(default_factory=list, max_length=50)
    funding_source: Short | None = None
    planned: bool = Field(False, description="Part of the annual plan, not yet held.")
    note: Annotated[str, Field(max_length=10_000)] | None = None
    side: Ref | None = Field(None, description="The side you record for.")
    version: int | None = None


class OfficialBody(Body):
    person: Short
    role: Literal[OFFICIAL_ROLES]  # type: ignore[valid-type]
    term_start: DateText | None = None
    term_end: DateText | None = None
    source: Annotated[str, Field(max_length=2000)] | None = None


class AmbassadorBody(Body):
    person: Short
    home: Ref
    host: Ref
    term_start: DateText
    term_end: DateText | None = None
    link_id: int | None = None
    note: Annotated[str, Field(max_length=10_000)] | None = None


class ActorBody(Body):
    name: Short
    kind: Literal[ACTOR_KINDS]  # type: ignore[valid-type]
    note: Annotated[str, Field(max_length=10_000)] | None = None


class EngageBody(Body):
    actor_id: int
    role: Short
    since: DateText | None = None
    until: DateText | None = None


def _activity_input(conn: Any, body: ActivityBody) -> activity_service.ActivityInput:
    data = body.model_dump(exclude={"from_", "to", "side", "version"})
    return activity_service.ActivityInput(
        **data,
        from_id=resolve(conn, body.from_, "from") if body.from_ is not None else None,
        to_id=resolve(conn, body.to, "to") if body.to is not None else None,
    )


def _activity(request: Request, activity_id: int, status: int = 200) -> Response:
    with registry(request).engine.connect() as conn:
        item = queries_lifecycle.activity_by_id(conn, activity_id)
    if item is None:
        raise NotFound(f"no activity with id {activity_id}")
    return versioned(item, item["version"], status)


@router.get("/links/{link_id}/activities", response_model=list[models.ActivityItem])
def list_activities(
    request: Request,
    link_id: int,
    year: Annotated[int | None, Query(ge=1, le=9999)] = None,
    planned: bool | None = None,
) -> Response:
    with registry(request).engine.connect() as conn:
        queries.link_sides(conn, link_id)
        return JSON(queries_lifecycle.activities_of_link(conn, link_id, year, planned))


@router.get("/links/{link_id}/plan", response_model=models.VisitPlan)
def visit_plan(
    request: Request, link_id: int, year: Annotated[int, Query(ge=1, le=9999)]
) -> Response:
    """The annual visit plan of a link: planned and held activities of a year."""
    with registry(request).engine.connect() as conn:
        queries.link_sides(conn, link_id)
        return JSON(queries_lifecycle.visit_plan(conn, link_id, year))


@router.post(
    "/links/{link_id}/activities",
    status_code=201,
    response_model=models.ActivityItem,
    responses=WRITE_ERRORS,
)
def record_activity(
    request: Request, link_id: int, body: ActivityBody, principal: Signed
) -> Response:
    """A visit, delegation, exchange, project or anniversary of a link."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        side_id = link_service.acting_side(w, link_id, body.side)
        activity_id = activity_service.record_activity(
            w, link_id, _activity_input(w.conn, body), side_id
        )
    return _activity(request, activity_id, 201)


@router.get("/activities/{activity_id}", response_model=models.ActivityItem, responses=WRITE_ERRORS)
def get_activity(request: Request, activity_id: int) -> Response:
    return _activity(request, activity_id)


@router.put("/activities/{activity_id}", response_model=models.ActivityItem, responses=WRITE_ERRORS)
def update_activity(
    request: Request, activity_id: int, body: ActivityBody, principal: Signed
) -> Response:
    """Replace an activity's fields; send the version you read (If-Match or `version`)."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        activity_service.update_activity(
            w, activity_id, _activity_input(w.conn, body), expected_version(request, body.version)
        )
    return _activity(request, activity_id)


@router.delete("/activities/{activity_id}", status_code=204, responses=WRITE_ERRORS)
def delete_activity(request: Request, activity_id: int, principal: Signed) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        activity_service.delete_activity(w, activity_id, expected_version(request))
    return Response(status_code=204)


@router.get("/municipalities/{ref}/officials", response_model=list[models.OfficialItem])
def list_officials(request: Request, ref: str) -> Response:
    with registry(request).engine.connect() as conn:
        return JSON(queries_lifecycle.officials_of(conn, resolve(conn, ref)))


@router.post(
    "/municipalities/{ref}/officials",
    status_code=201,
    response_model=models.OfficialItem,
    responses=WRITE_ERRORS,
)
def add_official(request: Request, ref: str, body: OfficialBody, principal: Signed) -> Response:
    """A mayor, partnership officer or council member, with the term of office."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        mid = resolve(w.conn, ref)
        official_id = people.add_official(w, mid, **body.model_dump())
    with reg.engine.connect() as conn:
        item = next(o for o in queries_lifecycle.officials_of(conn, mid) if o["id"] == official_id)
    return versioned(item, item["version"], 201)


@router.get("/ambassadors", response_model=list[models.AmbassadorItem])
def list_ambassadors(request: Request, municipality: str | None = None) -> Response:
    """City ambassadors (a person from one city working a term in the partner city)."""
    with registry(request).engine.connect() as conn:
        mid = resolve(conn, municipality) if municipality else None
        return JSON(queries_lifecycle.ambassadors(conn, mid))


@router.post(
    "/ambassadors", status_code=201, response_model=models.AmbassadorItem, responses=WRITE_ERRORS
)
def add_ambassador(request: Request, body: AmbassadorBody, principal: Signed) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        ambassador_id = people.add_ambassador(
            w,
            body.person,
            resolve(w.conn, body.home, "home"),
            resolve(w.conn, body.host, "host"),
            body.term_start,
            body.term_end,
            body.link_id,
            body.note,
        )
    with reg.engine.connect() as conn:
        item = next(a for a in queries_lifecycle.ambassadors(conn) if a["id"] == ambassador_id)
    return versioned(item, item["version"], 201)


@router.get("/municipalities/{ref}/actors", response_model=list[models.ActorItem])
def list_actors(request: Request, ref: str) -> Response:
    with registry(request).engine.connect() as conn:
        return JSON(queries_lifecycle.actors_of(conn, resolve(conn, ref)))


@router.post(
    "/municipalities/{ref}/actors",
    status_code=201,
    response_model=models.ActorItem,
    responses=WRITE_ERRORS,
)
def add_actor(request: Request, ref: str, body: ActorBody, principal: Signed) -> Response:
    """An association, school, company … of the municipality."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        mid = resolve(w.conn, ref)
        actor_id = people.add_actor(w, mid, body.name, body.kind, body.note)
    with reg.engine.connect() as conn:
        item = next(a for a in queries_lifecycle.actors_of(conn, mid) if a["id"] == actor_id)
    return versioned(item, item["version"], 201)


@router.get("/links/{link_id}/actors", response_model=list[models.LinkActorItem])
def list_link_actors(request: Request, link_id: int) -> Response:
    with registry(request).engine.connect() as conn:
        queries.link_sides(conn, link_id)
        return JSON(queries_lifecycle.actors_of_link(conn, link_id))


@router.post(
    "/links/{link_id}/actors",
    status_code=201,
    response_model=list[models.LinkActorItem],
    responses=WRITE_ERRORS,
)
def engage_actor(request: Request, link_id: int, body: EngageBody, principal: Signed) -> Response:
    """An actor of one side takes a role in the link."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        people.engage_actor(w, link_id, body.actor_id, body.role, body.since, body.until)
    with reg.engine.connect() as conn:
        return JSON(queries_lifecycle.actors_of_link(conn, link_id), status_code=201)
