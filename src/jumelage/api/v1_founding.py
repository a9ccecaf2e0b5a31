"""The founding process over HTTP: the contacts register and the partner search board."""

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
from jumelage.api.v1_lifecycle import WRITE_ERRORS, Ref
from jumelage.domain.permissions import Principal
from jumelage.domain.vocabulary import CONTACT_KINDS
from jumelage.errors import NotFound
from jumelage.services import founding as service
from jumelage.services import writing
from jumelage.store import queries_lifecycle

router = APIRouter(prefix="/api/v1", tags=["founding"])
Signed = Annotated[Principal, Depends(signed_in)]
Short = Annotated[str, Field(max_length=200)]
DateText = Annotated[str, Field(max_length=10)]


class ContactBody(Body):
    place: Ref = Field(description="The place abroad the contact is with.")
    holder: Short = Field(description="Who holds the contact (a person, school, club …).")
    kind: Literal[CONTACT_KINDS]  # type: ignore[valid-type]
    since: DateText | None = None
    note: Annotated[str, Field(max_length=10_000)] | None = None
    version: int | None = None


class SearchBody(Body):
    title: Short
    expires_on: DateText
    mode: Literal["similar", "contrast"] = "similar"
    countries: list[Annotated[str, Field(max_length=2)]] = Field(
        default_factory=list, max_length=50
    )
    regions: list[Short] = Field(default_factory=list, max_length=50)
    size_min: Annotated[int, Field(ge=0, le=100_000_000)] | None = None
    size_max: Annotated[int, Field(ge=0, le=100_000_000)] | None = None
    themes: list[Short] = Field(default_factory=list, max_length=50)
    languages: list[Annotated[str, Field(max_length=8)]] = Field(
        default_factory=list, max_length=20
    )
    text: Annotated[str, Field(max_length=20_000)] = ""
    version: int | None = None


class AnswerBody(Body):
    municipality: Ref = Field(description="The answering municipality (you act for it).")
    message: Annotated[str, Field(max_length=20_000)] = ""


class AcceptBody(Body):
    level: Literal["contact", "friendship", "project"] = "contact"
    version: int | None = None


def _contact_input(conn: Any, body: ContactBody) -> service.ContactInput:
    return service.ContactInput(
        place_id=resolve(conn, body.place, "place"),
        holder=body.holder,
        kind=body.kind,
        since=body.since,
        note=body.note,
    )


@router.get("/municipalities/{ref}/contacts", response_model=list[models.ContactItem])
def list_contacts(request: Request, ref: str) -> Response:
    """Existing private ties of the municipality's citizens, politicians, schools, clubs …"""
    with registry(request).engine.connect() as conn:
        return JSON(queries_lifecycle.contacts_of(conn, resolve(conn, ref)))


@router.get("/municipalities/{ref}/contacts/report", response_model=models.ContactReport)
def contact_report(request: Request, ref: str) -> Response:
    """Places abroad where the municipality already has contacts, by strength."""
    with registry(request).engine.connect() as conn:
        return JSON(queries_lifecycle.contact_report(conn, resolve(conn, ref)))


@router.post(
    "/municipalities/{ref}/contacts",
    status_code=201,
    response_model=models.ContactItem,
    responses=WRITE_ERRORS,
)
def add_contact(request: Request, ref: str, body: ContactBody, principal: Signed) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        mid = resolve(w.conn, ref)
        contact_id = service.add_contact(w, mid, _contact_input(w.conn, body))
    return _contact(request, mid, contact_id, 201)


def _contact(request: Request, mid: int, contact_id: int, status: int = 200) -> Response:
    with registry(request).engine.connect() as conn:
        item = next(c for c in queries_lifecycle.contacts_of(conn, mid) if c["id"] == contact_id)
    return versioned(item, item["version"], status)


def _contact_owner(request: Request, contact_id: int) -> int:
    with registry(request).engine.connect() as conn:
        found = queries_lifecycle.contact_by_id(conn, contact_id)
    if found is None:
        raise NotFound(f"no contact with id {contact_id}")
    return int(found["municipality_id"])


@router.put("/contacts/{contact_id}", response_model=models.ContactItem, responses=WRITE_ERRORS)
def update_contact(
    request: Request, contact_id: int, body: ContactBody, principal: Signed
) -> Response:
    """Replace a contact's fields; send the version you read (If-Match or `version`)."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        data = _contact_input(w.conn, body)
        service.update_contact(w, contact_id, data, expected_version(request, body.version))
    return _contact(request, _contact_owner(request, contact_id), contact_id)


@router.delete("/contacts/{contact_id}", status_code=204, responses=WRITE_ERRORS)
def delete_contact(request: Request, contact_id: int, principal: Signed) -> Response:
    """Soft deletion: the contact disappears from lists, the record stays in the history."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        service.delete_contact(w, contact_id, expected_version(request))
    return Response(status_code=204)


def _search_input(body: SearchBody) -> service.SearchInput:
    return service.SearchInput(**body.model_dump(exclude={"version"}))


@router.get("/searches", response_model=models.SearchPage, summary="The partner search board")
def list_searches(
    request: Request,
    country: Annotated[str | None, Query(max_length=2, description="Wanted country")] = None,
    theme: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    mode: Literal["similar", "contrast"] | None = None,
    population: Annotated[
        int | None, Query(ge=0, le=100_000_000_000, description="Size that the band admits")
    ] = None,
    include_closed: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """Open searches that have not expired (expired ones drop off the board)."""
    with registry(request).engine.connect() as conn:
        items, total = queries_lifecycle.searches(
            conn,
            dt.date.today(),
            country,
            theme,
            language,
            mode,
            population,
            include_closed,
            limit,
            offset,
        )
    return JSON({"items": items, "total": total, "limit": limit, "offset": offset})


def _search(request: Request, search_id: int, status: int = 200) -> Response:
    with registry(request).engine.connect() as conn:
        detail = queries_lifecycle.search_detail(conn, search_id)
    if detail is None:
        raise NotFound(f"no partner search with id {search_id}")
    return versioned(detail, detail["version"], status)


@router.get("/searches/{search_id}", response_model=models.SearchDetail, responses=WRITE_ERRORS)
def get_search(request: Request, search_id: int) -> Response:
    return _search(request, search_id)


@router.post(
    "/municipalities/{ref}/searches",
    status_code=201,
    response_model=models.SearchDetail,
    responses=WRITE_ERRORS,
    summary="Publish a partner search",
)
def publish_search(request: Request, ref: str, body: SearchBody, principal: Signed) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        search_id = service.publish_search(w, resolve(w.conn, ref), _search_input(body))
    return _search(request, search_id, 201)


@router.put("/searches/{search_id}", response_model=models.SearchDetail, responses=WRITE_ERRORS)
def update_search(
    request: Request, search_id: int, body: SearchBody, principal: Signed
) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        service.update_search(
            w, search_id, _search_input(body), expected_version(request, body.version)
        )
    return _search(request, search_id)


@router.post(
    "/searches/{search_id}/close", response_model=models.SearchDetail, responses=WRITE_ERRORS
)
def close_search(request: Request, search_id: int, principal: Signed) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        service.close_search(w, search_id, expected_version(request))
    return _search(request, search_id)


@router.post(
    "/searches/{search_id}/answers",
    status_code=201,
    response_model=models.SearchDetail,
    responses=WRITE_ERRORS,
)
def answer(request: Request, search_id: int, body: AnswerBody, principal: Signed) -> Response:
    """Another municipality answers (refused once the search expired)."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        service.answer_search(w, search_id, resolve(w.conn, body.municipality), body.message)
    return _search(request, search_id, 201)


@router.post(
    "/searches/{search_id}/answers/{answer_id}/accept",
    status_code=201,
    response_model=models.LinkDetail,
    responses=WRITE_ERRORS,
)
def accept(
    request: Request, search_id: int, answer_id: int, body: AcceptBody, principal: Signed
) -> Response:
    """The publisher accepts an answer: a link opens in state exploring."""
    from jumelage.api.v1_lifecycle import _link_response

    reg = registry(request)
    with writing(reg.engine, principal) as w:
        link_id = service.accept_answer(
            w, search_id, answer_id, body.level, expected_version(request, body.version)
        )
    return _link_response(request, link_id, 201)


@router.post(
    "/searches/{search_id}/answers/{answer_id}/decline",
    response_model=models.SearchDetail,
    responses=WRITE_ERRORS,
)
def decline(request: Request, search_id: int, answer_id: int, principal: Signed) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        service.decline_answer(w, search_id, answer_id)
    return _search(request, search_id)
