"""Forms that record what the programmes gave: a grant received for a link, and a
Europe Prize distinction in the register (the same services as POST /api/v1/grants
and /api/v1/awards, with their rules and permissions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jumelage.domain.awards import LADDER
from jumelage.services import Writer
from jumelage.services import programmes as programme_service
from jumelage.store import queries, queries_programmes
from jumelage.web import forms
from jumelage.web.municipality import place_or_page
from jumelage.web.render import error_page, page, registry, sign_in_first

router = APIRouter(include_in_schema=False)

GRANT_FIELDS: Final = ("programme", "municipality_id", "amount", "currency", "year", "note")
AWARD_FIELDS: Final = ("level", "year", "source")


# --- a grant for a link -------------------------------------------------------------


def _link_and_programmes(request: Request, link_id: int) -> tuple[Any, list[Any]]:
    with registry(request).engine.connect() as conn:
        return queries.link_detail(conn, link_id), queries_programmes.programmes(conn)


def _grant_form(
    request: Request, link: dict[str, Any], programmes: list[Any], outcome: forms.Outcome
) -> Response:
    ui = {
        **outcome.ui(),
        "programmes": [(p["key"], p["name"]) for p in programmes],
        "sides": [(str(link[s]["id"]), link[s]["name"]) for s in ("a", "b")],
    }
    return page(request, "grant_form.html", {"link": link}, ui=ui, status=outcome.status)


@router.get("/links/{link_id}/grants/new")
def grant_form(request: Request, link_id: int) -> Response:
    link, programmes = _link_and_programmes(request, link_id)
    if link is None:
        return error_page(request, 404, f"no link with id {link_id}")
    if (sign_in := sign_in_first(request)) is not None:
        return sign_in
    values = {"currency": "EUR", "year": str(dt.date.today().year)}
    return _grant_form(request, link, programmes, forms.Outcome(values))


@router.post("/links/{link_id}/grants")
def record_grant(request: Request, link_id: int, form: forms.Form) -> Response:
    link, programmes = _link_and_programmes(request, link_id)
    if link is None:
        return error_page(request, 404, f"no link with id {link_id}")

    def write(w: Writer, form: Mapping[str, str]) -> str:
        programme_service.record_grant(
            w,
            forms.text(form, "programme"),
            forms.required_int(form, "municipality_id"),
            forms.required_int(form, "amount"),
            forms.required_int(form, "year"),
            link_id=link_id,
            currency=forms.text(form, "currency") or "EUR",
            note=forms.optional_text(form, "note"),
        )
        return f"/links/{link_id}#grants"

    return forms.submit(
        request, form, GRANT_FIELDS, write, lambda o: _grant_form(request, link, programmes, o)
    )


# --- a distinction in the Europe Prize register --------------------------------------


def _award_form(request: Request, place: dict[str, Any], outcome: forms.Outcome) -> Response:
    ui = {**outcome.ui(), "levels": list(LADDER)}
    return page(request, "award_form.html", {"municipality": place}, ui=ui, status=outcome.status)


@router.get("/m/{ref}/awards/new")
def award_form(request: Request, ref: str) -> Response:
    place = place_or_page(request, ref)
    if isinstance(place, Response):
        return place
    if (sign_in := sign_in_first(request)) is not None:
        return sign_in
    return _award_form(request, place, forms.Outcome({"year": str(dt.date.today().year)}))


@router.post("/m/{ref}/awards")
def register_award(request: Request, ref: str, form: forms.Form) -> Response:
    place = place_or_page(request, ref)
    if isinstance(place, Response):
        return place

    def write(w: Writer, form: Mapping[str, str]) -> str:
        programme_service.register_award(
            w,
            place["id"],
            forms.text(form, "level"),
            forms.required_int(form, "year"),
            forms.optional_text(form, "source"),
        )
        return f"/m/{place['qid'] or place['id']}/europe-prize"

    return forms.submit(
        request, form, AWARD_FIELDS, write, lambda o: _award_form(request, place, o)
    )
