"""The page of a municipality: partners on a map and in a list, timeline,
activities, people, contacts, awards, networks; and the form for its contacts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from jumelage.domain.permissions import can
from jumelage.domain.vocabulary import CONTACT_KINDS
from jumelage.services import Writer
from jumelage.services import founding as founding_service
from jumelage.store import (
    places,
    queries,
    queries_detail,
    queries_lifecycle,
    queries_networks,
    queries_programmes,
    queries_web,
)
from jumelage.web import forms
from jumelage.web.i18n import chosen_language
from jumelage.web.render import error_page, page, place_of, principal, registry, sign_in_first

router = APIRouter(include_in_schema=False)


def local_name(names: Mapping[str, list[str]], lang: str, fallback: str) -> str:
    """The place's name in `lang` where we hold one, else its display name."""
    found = names.get(lang) or []
    return found[0] if found else fallback


def partner_names(conn: Connection, partners: list[dict[str, Any]], lang: str) -> dict[int, str]:
    """Partner names in `lang` where we hold them, by id (the query's dicts stay as they are)."""
    return queries_web.names_in(conn, [p["partner"]["id"] for p in partners], lang)


def municipality_page_data(conn: Connection, mid: int, lang: str) -> dict[str, Any] | None:
    """Everything the page shows, as plain dicts (the page's JSON twin)."""
    detail = queries_detail.municipality_detail(conn, mid)
    if detail is None:
        return None
    merged_into = detail["merged_into_id"]
    return {
        "municipality": detail,
        "local_name": local_name(detail["names"], lang, detail["name"]),
        "local_names": partner_names(conn, detail["partners"], lang),
        "merged_into": queries.municipality_by_id(conn, merged_into) if merged_into else None,
        "timeline": queries_web.timeline_of(conn, mid),
        "activities": queries_web.activities_of(conn, mid),
        "ambassadors": queries_lifecycle.ambassadors(conn, mid),
        "officials": queries_lifecycle.officials_of(conn, mid),
        "contacts": queries_lifecycle.contacts_of(conn, mid),
        "actors": queries_lifecycle.actors_of(conn, mid),
        "awards": queries_programmes.award_register(conn, mid),
        "networks": queries_networks.networks_of(conn, mid),
    }


def _may_edit(request: Request, mid: int) -> bool:
    return can(principal(request), "municipality.edit", {mid})


@router.get("/m/{ref}")
def municipality_page(request: Request, ref: str) -> Response:
    lang = chosen_language(request)
    with registry(request).engine.connect() as conn:
        mid = place_of(request, conn, ref)
        if isinstance(mid, Response):
            return mid
        data = municipality_page_data(conn, mid, lang)
    if data is None:
        return error_page(request, 404, f"no municipality {ref!r}")
    ui = {"may_edit": _may_edit(request, data["municipality"]["id"])}
    return page(request, "municipality.html", data, ui=ui)


# --- the contacts register ---------------------------------------------------------

CONTACT_FIELDS = ("place", "holder", "kind", "since", "note")


def find_place(conn: Connection, text: str, field: str) -> int:
    """The place a form's field names: an id, a QID or a name (store.places' policy)."""
    return places.resolve(conn, text, field=field)


def _contact_form(request: Request, place: dict[str, Any], outcome: forms.Outcome) -> Response:
    options = [(k, k) for k in CONTACT_KINDS]
    ui = {**outcome.ui(), "kinds": options}
    return page(request, "contact_form.html", {"municipality": place}, ui=ui, status=outcome.status)


def place_or_page(request: Request, ref: str) -> dict[str, Any] | Response:
    """The municipality a page's `{ref}` names, or the page to show instead."""
    with registry(request).engine.connect() as conn:
        mid = place_of(request, conn, ref)
        if isinstance(mid, Response):
            return mid
        found = queries.municipality_by_id(conn, mid)
    return found if found is not None else error_page(request, 404, f"no municipality {ref!r}")


@router.get("/m/{ref}/contacts/new")
def contact_form(request: Request, ref: str) -> Response:
    place = place_or_page(request, ref)
    if isinstance(place, Response):
        return place
    if (sign_in := sign_in_first(request)) is not None:
        return sign_in
    return _contact_form(request, place, forms.Outcome({"kind": "citizen"}))


@router.post("/m/{ref}/contacts")
def add_contact(request: Request, ref: str, form: forms.Form) -> Response:
    place = place_or_page(request, ref)
    if isinstance(place, Response):
        return place

    def write(w: Writer, form: Mapping[str, str]) -> str:
        data = founding_service.ContactInput(
            place_id=find_place(w.conn, forms.text(form, "place"), "place"),
            holder=forms.text(form, "holder"),
            kind=forms.text(form, "kind"),
            since=forms.optional_text(form, "since"),
            note=forms.optional_text(form, "note"),
        )
        founding_service.add_contact(w, place["id"], data)
        return f"/m/{place['qid'] or place['id']}#contacts"

    return forms.submit(
        request, form, CONTACT_FIELDS, write, lambda o: _contact_form(request, place, o)
    )
