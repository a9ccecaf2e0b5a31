"""Correcting a municipality's facts from its page (its editors and administrators): the
same service as PATCH /api/v1/municipalities/{ref} — its main name, the name its pages
show in each language, its population and its point, against the version the form
was read at."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from fastapi import APIRouter
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from jumelage.domain.permissions import can
from jumelage.domain.vocabulary import KINDS
from jumelage.errors import NotFound
from jumelage.services import Writer
from jumelage.services.registry import NAME_LANGUAGES, update_municipality
from jumelage.store import queries_detail, queries_web
from jumelage.web import forms
from jumelage.web.i18n import chosen_language
from jumelage.web.municipality import place_or_page
from jumelage.web.render import error_page, page, principal, registry, sign_in_first

router = APIRouter(include_in_schema=False)

NAME_FIELDS: Final = tuple(f"names.{lang}" for lang in NAME_LANGUAGES)
EDIT_FIELDS: Final = (
    "name",
    *NAME_FIELDS,
    "kind",
    "admin_area",
    "population",
    "population_year",
    "lat",
    "lon",
)
FACTS: Final = ("name", "kind", "admin_area", "population", "population_year", "lat", "lon")


def _current(conn: Connection, mid: int) -> dict[str, Any]:
    """The place's facts the form edits, its version, and its name in each language."""
    detail = queries_detail.municipality_detail(conn, mid)
    if detail is None:
        raise NotFound(f"no municipality with id {mid}")
    return {**detail, "shown": queries_web.language_names(conn, mid)}


def _values(current: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields as the registry holds them now."""
    values = {f"names.{lang}": current["shown"][lang] or "" for lang in NAME_LANGUAGES}
    for key in (*FACTS, "version"):
        values[key] = "" if current[key] is None else str(current[key])
    return values


def _edit_form(request: Request, place: dict[str, Any], outcome: forms.Outcome) -> Response:
    lang = chosen_language(request)
    with registry(request).engine.connect() as conn:
        shown = queries_web.names_in(conn, [place["id"]], lang).get(place["id"], place["name"])
    data = {"municipality": place, "local_name": shown, "kinds": KINDS}
    return page(request, "place_form.html", data, ui=outcome.ui(), status=outcome.status)


def _refused(request: Request, place: Mapping[str, Any]) -> Response | None:
    if (sign_in := sign_in_first(request)) is not None:
        return sign_in
    if not can(principal(request), "municipality.edit", {place["id"]}):
        return error_page(request, 403, "only this place's editors correct its facts")
    return None


@router.get("/m/{ref}/edit")
def edit_form(request: Request, ref: str) -> Response:
    place = place_or_page(request, ref)
    if isinstance(place, Response):
        return place
    if (refused := _refused(request, place)) is not None:
        return refused
    with registry(request).engine.connect() as conn:
        current = _current(conn, place["id"])
    return _edit_form(request, place, forms.Outcome(_values(current)))


@router.post("/m/{ref}/edit")
def edit(request: Request, ref: str, form: forms.Form) -> Response:
    place = place_or_page(request, ref)
    if isinstance(place, Response):
        return place

    def write(w: Writer, form: Mapping[str, str]) -> str:
        current = _current(w.conn, place["id"])
        shown = current["shown"]
        asked: dict[str, Any] = {
            "name": forms.text(form, "name"),
            "kind": forms.text(form, "kind"),
            "admin_area": forms.optional_text(form, "admin_area"),
            "population": forms.optional_int(form, "population"),
            "population_year": forms.optional_int(form, "population_year"),
            "lat": forms.optional_float(form, "lat"),
            "lon": forms.optional_float(form, "lon"),
        }
        changes = {k: v for k, v in asked.items() if v != current[k]}
        given = {lang: forms.optional_text(form, f"names.{lang}") for lang in NAME_LANGUAGES}
        names = {lang: name for lang, name in given.items() if name != shown[lang]}
        version = forms.optional_int(form, "version")
        update_municipality(w, place["id"], {**changes, "names": names}, version)
        return f"/m/{place['qid'] or place['id']}"

    return forms.submit(request, form, EDIT_FIELDS, write, lambda o: _edit_form(request, place, o))
