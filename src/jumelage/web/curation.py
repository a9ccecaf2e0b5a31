"""The curation queue's pages (administrators): the open items, one item with the
evidence of both sides side by side, and its decision form — the same service as
POST /api/v1/curation/{item_id}/decision, so the decision is kept in the data folder."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from jumelage.api import csrf
from jumelage.domain.permissions import can
from jumelage.domain.vocabulary import CURATION_KINDS
from jumelage.errors import JumelageError
from jumelage.services.curation import DECISIONS, decide_and_keep
from jumelage.store import queries_curation, queries_wikidata
from jumelage.web import forms
from jumelage.web.i18n import chosen_language
from jumelage.web.render import error_page, page, principal, redirect, registry, sign_in_first

router = APIRouter(include_in_schema=False)

PAGE = 50
DECISION_FIELDS = ("decision", "keep", "lat", "lon", "name", "lang")
SHOWN_FIELDS = ("lat", "lon", "name", "lang")  # the others are hidden: their errors head the form


def _refused(request: Request) -> Response | None:
    if (sign_in := sign_in_first(request)) is not None:
        return sign_in
    if not can(principal(request), "curation.decide", set()):
        return error_page(request, 403, "only an administrator curates the registry's data")
    return None


@router.get("/curation")
def queue(
    request: Request,
    kind: Annotated[str, Query(max_length=24)] = "",
    status: Annotated[str, Query(max_length=8)] = "open",
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    if (refused := _refused(request)) is not None:
        return refused
    chosen_kind = kind if kind in CURATION_KINDS else None
    chosen_status = status if status in ("open", "decided") else "open"
    with registry(request).engine.connect() as conn:
        items, total = queries_curation.items(conn, chosen_status, chosen_kind, PAGE, offset)
        counts = queries_curation.counts(conn)
        refreshed = queries_wikidata.last_refresh(conn)
    data = {
        "last_refresh": refreshed,
        "items": items,
        "total": total,
        "counts": counts,
        "kind": chosen_kind,
        "status": chosen_status,
        "offset": offset,
        "limit": PAGE,
    }
    return page(request, "curation.html", data, ui={"kinds": CURATION_KINDS})


def _item_page(request: Request, item_id: int, outcome: forms.Outcome | None = None) -> Response:
    with registry(request).engine.connect() as conn:
        detail = queries_curation.item_detail(conn, item_id)
    if detail is None:
        return error_page(request, 404, f"no curation item with id {item_id}")
    outcome = outcome or forms.Outcome({})
    ui: dict[str, Any] = {**outcome.ui(), "decisions": DECISIONS.get(detail["kind"], ())}
    return page(request, "curation_item.html", {"item": detail}, ui=ui, status=outcome.status)


@router.get("/curation/{item_id}")
def item(request: Request, item_id: int) -> Response:
    if (refused := _refused(request)) is not None:
        return refused
    return _item_page(request, item_id)


@router.post("/curation/{item_id}/decision")
def decision(request: Request, item_id: int, form: forms.Form) -> Response:
    try:
        csrf.check(request, form)
    except csrf.CsrfRefused as refused:
        return error_page(request, 403, str(refused))
    if (refused_page := _refused(request)) is not None:
        return refused_page
    reg = registry(request)
    data = {k: forms.text(form, k) for k in DECISION_FIELDS[1:] if forms.text(form, k)}
    try:
        decide_and_keep(
            reg.engine,
            principal(request),
            reg.settings.data_dir,
            item_id,
            forms.text(form, "decision"),
            data,
        )
    except JumelageError as exc:
        errors = forms.errors_of(exc, SHOWN_FIELDS, chosen_language(request))
        return _item_page(request, item_id, forms.Outcome(form, errors, exc.status))
    return redirect(request, f"/curation/{item_id}")
