"""The matching pages: recommended partners with their reasons, a similar/contrast
switch and constraints; the same query as /api/v1/municipalities/{ref}/recommendations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jumelage.errors import Invalid
from jumelage.matching.recommend import Constraints
from jumelage.services import matching as matching_service
from jumelage.store import queries, queries_web
from jumelage.web import forms
from jumelage.web.i18n import chosen_language
from jumelage.web.municipality import find_place
from jumelage.web.render import (
    fragment,
    page,
    place_of,
    redirect,
    registry,
    with_params,
)

router = APIRouter(include_in_schema=False)

MODES = ("similar", "contrast")
FIELDS = ("country", "min_population", "max_population", "min_km", "max_km", "language")
TOP_ON_PLACE_PAGE = 5


def _number(form: Mapping[str, str], name: str) -> float | None:
    value = forms.optional_float(form, name)
    if value is not None and value < 0:
        raise Invalid(f"{name} cannot be negative", field=name, rule="range")
    return value


def constraints_of(form: Mapping[str, str]) -> Constraints:
    """The constraints typed in the form: countries by ISO code, bands, a language."""
    countries = tuple(c.upper() for c in forms.items(form, "country"))
    language = forms.text(form, "language").lower() or None
    if language is not None and not (2 <= len(language) <= 3 and language.isalpha()):
        raise Invalid("give an ISO 639 code such as fr", field="language", rule="iso")
    return Constraints(
        countries=countries,
        min_population=forms.optional_int(form, "min_population"),
        max_population=forms.optional_int(form, "max_population"),
        min_km=_number(form, "min_km"),
        max_km=_number(form, "max_km"),
        language=language,
        exclude_linked=forms.text(form, "include_linked") != "1",
    )


@router.get("/matching")
def matching_start(request: Request) -> Response:
    """Choose a municipality; with `municipality=` go to its recommendations."""
    typed = request.query_params.get("municipality", "")
    errors: dict[str, str] = {}
    if typed.strip():
        with registry(request).engine.connect() as conn:
            try:
                found = find_place(conn, typed, "municipality")
            except Invalid as exc:
                errors = forms.errors_of(exc, ("municipality",), chosen_language(request))
            else:
                place = queries.municipality_by_id(conn, found)
                assert place is not None
                return redirect(request, f"/matching/{place['qid'] or place['id']}")
    ui = {"values": {"municipality": typed}, "errors": errors}
    status = 422 if errors else 200
    return page(request, "matching_start.html", {}, ui=ui, section="matching", status=status)


def _recommend(request: Request, mid: int, mode: str, c: Constraints, limit: int) -> Any:
    held = registry(request)
    engine = held.engine
    weights_in = matching_service.weights_dir(held.settings)
    result = matching_service.recommendations(engine, mid, mode, c, limit, weights_in)
    if "computed" in result:  # the note of `_computed_note.html`
        at = dt.datetime.fromisoformat(result["computed"]["at"])
        result["note"] = {**result["computed"], "at": at.strftime("%Y-%m-%d %H:%M UTC")}
    with engine.connect() as conn:
        ids = [i["municipality"]["id"] for i in result["items"]]
        local = queries_web.names_in(conn, [mid, *ids], chosen_language(request))
    return result, local


@router.get("/matching/{ref}")
def matching_page(request: Request, ref: str) -> Response:
    form = dict(request.query_params)
    mode = form.get("mode", "similar")
    with registry(request).engine.connect() as conn:
        mid = place_of(request, conn, ref)
    if isinstance(mid, Response):
        return mid
    values = {**form, "mode": mode if mode in MODES else "similar"}
    try:
        constraints = constraints_of(form)
        result, local = _recommend(request, mid, values["mode"], constraints, 20)
    except Invalid as exc:
        errors = forms.errors_of(exc, FIELDS, chosen_language(request))
        ui = {"values": values, "errors": errors, "switch": _switch(request)}
        data: dict[str, Any] = {"recommendations": None, "local_names": {}}
        return page(request, "matching.html", data, ui=ui, section="matching", status=422)
    ui = {"values": values, "errors": {}, "switch": _switch(request)}
    data = {"recommendations": result, "local_names": local}
    return page(request, "matching.html", data, ui=ui, section="matching")


def _switch(request: Request) -> dict[str, str]:
    return {mode: with_params(request, mode=mode) for mode in MODES}


@router.get("/matching/{ref}/top")
def top_recommendations(request: Request, ref: str) -> Response:
    """The first recommendations as a fragment, for the municipality's page (htmx)."""
    with registry(request).engine.connect() as conn:
        mid = place_of(request, conn, ref)
    if isinstance(mid, Response):
        return mid
    result, local = _recommend(request, mid, "similar", Constraints(), TOP_ON_PLACE_PAGE)
    return fragment(
        request, "_recommendations.html", {"recommendations": result, "local_names": local}
    )
