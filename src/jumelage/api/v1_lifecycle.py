"""Write endpoints of a link's life, confirmations of shared facts, mergers, timelines."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from starlette.responses import Response

from jumelage.api import models
from jumelage.api.auth import expected_version, signed_in
from jumelage.api.common import Body, registry, resolve, versioned
from jumelage.api.responses import JSON
from jumelage.domain.permissions import Principal
from jumelage.errors import NotFound
from jumelage.services import links as link_service
from jumelage.services import writing
from jumelage.services.lifecycle import merge_municipality
from jumelage.store import queries, queries_detail, queries_lifecycle

router = APIRouter(prefix="/api/v1", tags=["lifecycle"])

WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": models.Error, "description": text}
    for code, text in (
        (401, "Not signed in"),
        (403, "Not allowed for this municipality"),
        (404, "Not found"),
        (409, "Conflicts with the link's state"),
        (412, "Stale version (If-Match)"),
        (422, "Invalid input"),
        (428, "No version sent (If-Match) with PUT, PATCH or DELETE"),
    )
}
Ref = Annotated[str | int, Field(description="internal id or Wikidata QID")]
DateText = Annotated[str, Field(max_length=10, description="ISO date: 1987, 1987-02, 1987-02-01")]
Reason = Annotated[str, Field(max_length=2000)]
Signed = Annotated[Principal, Depends(signed_in)]


class ProposeBody(Body):
    from_: Ref = Field(alias="from", description="The proposing side (you act for it).")
    to: Ref
    level: Literal["contact", "friendship", "project"] = "contact"
    date: DateText
    valid_until: DateText | None = None
    projects: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=50
    )
    topic: Annotated[str, Field(max_length=500)] | None = None
    start: DateText | None = None


class SideBody(Body):
    side: Ref | None = Field(None, description="The side you act for (needed if both are yours).")
    date: DateText
    version: int | None = Field(None, description="The link's version you read (or If-Match).")


class ResolutionBody(SideBody):
    reference: Annotated[str, Field(max_length=500)] | None = None


class ReasonBody(SideBody):
    reason: Reason


class EndBody(Body):
    side: Ref | None = Field(None, description="The side that ends the link; null: both.")
    date: DateText
    reason: Reason
    version: int | None = None


class SignBody(Body):
    side: Ref | None = None
    signed_on: DateText
    place: Annotated[str, Field(max_length=200)] | None = None
    signatories: list[Annotated[str, Field(max_length=200)]] = Field(min_length=1, max_length=20)
    document_ref: Annotated[str, Field(max_length=500)] | None = None
    version: int | None = None


class CharterBody(Body):
    side: Ref | None = None
    signed_on: DateText | None = None
    place: Annotated[str, Field(max_length=200)] | None = None
    signatories: list[Annotated[str, Field(max_length=200)]] = Field(min_length=1, max_length=20)
    document_ref: Annotated[str, Field(max_length=500)] | None = None
    version: int | None = None


class LevelBody(Body):
    side: Ref | None = None
    level: Literal["partnership", "friendship", "contact", "project"]
    date: DateText
    reason: Reason
    valid_until: DateText | None = None
    projects: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=50
    )
    topic: Annotated[str, Field(max_length=500)] | None = None
    start: DateText | None = None
    charter_signed_on: DateText | None = None
    place: Annotated[str, Field(max_length=200)] | None = None
    signatories: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=20
    )
    version: int | None = None


class DecisionBody(Body):
    side: Ref | None = None
    accept: bool


class MergeBody(Body):
    into: Ref
    date: DateText
    source: Annotated[str, Field(max_length=2000)] = ""


def _link_response(request: Request, link_id: int, status: int = 200) -> Response:
    with registry(request).engine.connect() as conn:
        detail = queries.link_detail(conn, link_id)
    assert detail is not None
    return versioned(detail, detail["version"], status)


@router.post(
    "/links",
    status_code=201,
    response_model=models.LinkDetail,
    responses=WRITE_ERRORS,
    summary="Propose a new link (contact, friendship or project partnership)",
)
def propose(request: Request, body: ProposeBody, principal: Signed) -> Response:
    """A partnership is not proposed directly: it comes from signing a charter."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        from_id, to_id = resolve(w.conn, body.from_, "from"), resolve(w.conn, body.to, "to")
        terms = link_service.terms_from(body.model_dump())
        link_id = link_service.propose_link(w, from_id, to_id, body.level, body.date, terms)
    return _link_response(request, link_id, 201)


def _step(
    request: Request,
    link_id: int,
    principal: Principal,
    step: str,
    body: SideBody | EndBody,
    reason: str | None = None,
    reference: str | None = None,
) -> Response:
    with writing(registry(request).engine, principal) as w:
        result = link_service.take_step(
            w,
            link_id,
            step,
            side=body.side,
            date=body.date,
            reason=reason,
            reference=reference,
            expected_version=expected_version(request, body.version),
        )
    if result["status"] == "pending":
        return JSON(result, status_code=202)
    return _link_response(request, link_id)


@router.post("/links/{link_id}/explore", response_model=models.LinkDetail, responses=WRITE_ERRORS)
def explore(request: Request, link_id: int, body: SideBody, principal: Signed) -> Response:
    """A proposed link moves to exploring (exploratory contacts and visits)."""
    return _step(request, link_id, principal, "explore", body)


@router.post(
    "/links/{link_id}/resolutions", response_model=models.LinkDetail, responses=WRITE_ERRORS
)
def resolution(request: Request, link_id: int, body: ResolutionBody, principal: Signed) -> Response:
    """Record the council resolution of one side, with its date."""
    return _step(request, link_id, principal, "resolution", body, reference=body.reference)


@router.post(
    "/links/{link_id}/activate",
    response_model=models.LinkDetail,
    responses={
        **WRITE_ERRORS,
        202: {"model": models.Pending, "description": "Awaits the other side"},
    },
)
def activate(request: Request, link_id: int, body: SideBody, principal: Signed) -> Response:
    """Make the link active for both sides: a shared fact, confirmed by the other side
    (202 with the confirmation); an administrator's takes effect at once."""
    return _step(request, link_id, principal, "activate", body)


@router.post("/links/{link_id}/suspend", response_model=models.LinkDetail, responses=WRITE_ERRORS)
def suspend(request: Request, link_id: int, body: ReasonBody, principal: Signed) -> Response:
    """One side suspends the link, with a reason (e.g. war); it can resume it later."""
    return _step(request, link_id, principal, "suspend", body, reason=body.reason)


@router.post("/links/{link_id}/resume", response_model=models.LinkDetail, responses=WRITE_ERRORS)
def resume(request: Request, link_id: int, body: SideBody, principal: Signed) -> Response:
    return _step(request, link_id, principal, "resume", body)


@router.post("/links/{link_id}/end", response_model=models.LinkDetail, responses=WRITE_ERRORS)
def end(request: Request, link_id: int, body: EndBody, principal: Signed) -> Response:
    """One side ends the link alone (the other sees "ended by partner"), or both together."""
    return _step(request, link_id, principal, "end", body, reason=body.reason)


def _shared(
    request: Request,
    link_id: int,
    principal: Principal,
    side: Any,
    kind: str,
    payload: dict[str, Any],
    version: int | None,
) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        side_id = link_service.acting_side(w, link_id, side)
        result = link_service.propose_shared(
            w, link_id, side_id, kind, payload, expected_version(request, version)
        )
    if result["status"] == "pending":
        return JSON(result, status_code=202)
    return _link_response(request, link_id)


@router.post(
    "/links/{link_id}/sign",
    response_model=models.LinkDetail,
    responses={
        **WRITE_ERRORS,
        202: {"model": models.Pending, "description": "Awaits the other side"},
    },
)
def sign(request: Request, link_id: int, body: SignBody, principal: Signed) -> Response:
    """Sign the charter after both councils resolved; the link becomes a partnership.

    A shared fact: an editor's signing takes effect when an editor of the other
    side confirms it (202 with the confirmation); an administrator's at once.
    """
    payload = body.model_dump(exclude={"side", "version"})
    return _shared(request, link_id, principal, body.side, "sign", payload, body.version)


@router.post(
    "/links/{link_id}/charter",
    response_model=models.LinkDetail,
    responses={
        **WRITE_ERRORS,
        202: {"model": models.Pending, "description": "Awaits the other side"},
    },
)
def record_charter(
    request: Request, link_id: int, body: CharterBody, principal: Signed
) -> Response:
    """Record or correct the charter of a partnership (date, place, signatories, document)."""
    payload = body.model_dump(exclude={"side", "version"})
    return _shared(request, link_id, principal, body.side, "charter", payload, body.version)


@router.post(
    "/links/{link_id}/level",
    response_model=models.LinkDetail,
    responses={
        **WRITE_ERRORS,
        202: {"model": models.Pending, "description": "Awaits the other side"},
    },
)
def change_level(request: Request, link_id: int, body: LevelBody, principal: Signed) -> Response:
    """Change the level, kept in the history with date and reason.

    A change to partnership is a shared fact (confirmed by the other side); a
    friendship needs an end date or a project, a project partnership a topic and a period.
    """
    payload = body.model_dump(exclude={"side", "version"})
    with writing(registry(request).engine, principal) as w:
        side_id = link_service.acting_side(w, link_id, body.side)
        result = link_service.change_level(
            w, link_id, side_id, payload, expected_version(request, body.version)
        )
    if result["status"] == "pending":
        return JSON(result, status_code=202)
    return _link_response(request, link_id)


@router.get(
    "/confirmations",
    response_model=list[models.Confirmation],
    summary="Shared facts awaiting confirmation",
)
def list_confirmations(
    request: Request,
    link_id: int | None = None,
    status: Literal["pending", "confirmed", "rejected", "withdrawn"] | None = "pending",
) -> Response:
    with registry(request).engine.connect() as conn:
        return JSON(queries_lifecycle.confirmations(conn, link_id, status))


@router.post(
    "/confirmations/{confirmation_id}/decision",
    response_model=models.LinkDetail,
    responses=WRITE_ERRORS,
)
def decide(
    request: Request, confirmation_id: int, body: DecisionBody, principal: Signed
) -> Response:
    """The other side confirms (the fact takes effect) or rejects; the proposer may withdraw."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        side_id = resolve(w.conn, body.side, "side") if body.side is not None else None
        link_id = link_service.decide_shared(w, confirmation_id, side_id, body.accept)
    return _link_response(request, link_id)


@router.post(
    "/municipalities/{ref}/merge",
    response_model=models.MunicipalityDetail,
    responses=WRITE_ERRORS,
    summary="Merge a municipality into its successor (administrators)",
)
def merge(request: Request, ref: str, body: MergeBody, principal: Signed) -> Response:
    """Its links move to the successor; each keeps a `transferred` event naming the predecessor."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        predecessor, successor = resolve(w.conn, ref), resolve(w.conn, body.into, "into")
        merge_municipality(w, predecessor, successor, body.date, body.source)
    with reg.engine.connect() as conn:
        return JSON(queries_detail.municipality_detail(conn, successor))


@router.get("/links/{link_id}/timeline", response_model=list[models.TimelineEntry])
def timeline(request: Request, link_id: int) -> Response:
    """Everything dated about a link in order: history, activities, ambassadors."""
    with registry(request).engine.connect() as conn:
        if queries.link_detail(conn, link_id) is None:
            raise NotFound(f"no link with id {link_id}")
        return JSON(queries_lifecycle.timeline(conn, link_id))


@router.get(
    "/dormant", response_model=models.DormantPage, summary="Active links without a sign of life"
)
def dormant(
    request: Request,
    years: Annotated[int | None, Query(ge=1, le=100)] = None,
    include_unrecorded: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """Dormant is derived: no dated activity or lifecycle event for `years` (default
    JUMELAGE_DORMANT_YEARS). Links with no dated record at all only with include_unrecorded."""
    reg = registry(request)
    n = years or reg.settings.dormant_years
    with reg.engine.connect() as conn:
        items, total = queries_lifecycle.dormant_links(
            conn, dt.date.today(), n, include_unrecorded, limit, offset
        )
    return JSON({"items": items, "total": total, "limit": limit, "offset": offset, "years": n})
