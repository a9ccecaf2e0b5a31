"""Merging a municipality into its successor from its page (administrators): the same
service as POST /api/v1/municipalities/{ref}/merge — its links move to the successor and
each keeps a `transferred` event naming the predecessor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jumelage.domain.permissions import can
from jumelage.services import Writer
from jumelage.services.lifecycle import merge_municipality
from jumelage.store import queries
from jumelage.web import forms
from jumelage.web.municipality import find_place, place_or_page
from jumelage.web.render import error_page, page, principal, sign_in_first

router = APIRouter(include_in_schema=False)

MERGE_FIELDS: Final = ("successor", "date", "source")


def _merge_form(request: Request, place: dict[str, Any], outcome: forms.Outcome) -> Response:
    return page(
        request, "merge_form.html", {"municipality": place}, ui=outcome.ui(), status=outcome.status
    )


@router.get("/m/{ref}/merge/new")
def merge_form(request: Request, ref: str) -> Response:
    place = place_or_page(request, ref)
    if isinstance(place, Response):
        return place
    if (sign_in := sign_in_first(request)) is not None:
        return sign_in
    if not can(principal(request), "municipality.merge", set()):
        return error_page(request, 403, "only an administrator merges municipalities")
    return _merge_form(request, place, forms.Outcome({}))


@router.post("/m/{ref}/merge")
def merge(request: Request, ref: str, form: forms.Form) -> Response:
    place = place_or_page(request, ref)
    if isinstance(place, Response):
        return place

    def write(w: Writer, form: Mapping[str, str]) -> str:
        successor = find_place(w.conn, forms.text(form, "successor"), "successor")
        merge_municipality(
            w, place["id"], successor, forms.text(form, "date"), forms.text(form, "source")
        )
        found = queries.municipality_by_id(w.conn, successor)
        return f"/m/{found['qid'] or found['id']}" if found else "/"

    return forms.submit(
        request, form, MERGE_FIELDS, write, lambda o: _merge_form(request, place, o)
    )
