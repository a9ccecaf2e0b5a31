"""The partner search board: open searches with filters, a search with its answers,
and the forms to publish a search, answer one, and accept or decline an answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from jumelage.domain.permissions import Principal, can
from jumelage.services import Writer
from jumelage.services import founding as service
from jumelage.store import queries_lifecycle, queries_web
from jumelage.web import forms
from jumelage.web.municipality import find_place
from jumelage.web.render import error_page, page, principal, registry, sign_in_first

router = APIRouter(include_in_schema=False)

MODES = ("similar", "contrast")
SEARCH_FIELDS = (
    "municipality",
    "title",
    "expires_on",
    "mode",
    "countries",
    "regions",
    "size_min",
    "size_max",
    "themes",
    "languages",
    "text",
)
ANSWER_FIELDS = ("municipality", "message")


def _country(value: str) -> str | None:
    code = value.strip().upper()
    return code if len(code) == 2 and code.isalpha() else None


@router.get("/searches")
def board(
    request: Request,
    country: Annotated[str, Query(max_length=2)] = "",
    theme: Annotated[str, Query(max_length=200)] = "",
    language: Annotated[str, Query(max_length=8)] = "",
    mode: Annotated[str, Query(max_length=10)] = "",
    population: Annotated[str, Query(max_length=12)] = "",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    size = int(population) if population.strip().isdigit() else None
    filters: dict[str, Any] = {
        "country": _country(country),
        "theme": theme.strip() or None,
        "language": language.strip().lower() or None,
        "mode": mode if mode in MODES else None,
        "population": size,
    }
    with registry(request).engine.connect() as conn:
        items, total = queries_lifecycle.searches(
            conn, dt.date.today(), **filters, limit=50, offset=offset
        )
    data = {"items": items, "total": total, "offset": offset, "filters": filters}
    ui = {"values": {k: "" if v is None else str(v) for k, v in filters.items()}, "errors": {}}
    return page(request, "board.html", data, ui=ui, section="board")


def _search_or_none(request: Request, search_id: int) -> dict[str, Any] | None:
    with registry(request).engine.connect() as conn:
        return queries_lifecycle.search_detail(conn, search_id)


def _my_places(request: Request, user: Principal) -> list[dict[str, Any]]:
    with registry(request).engine.connect() as conn:
        return queries_web.place_choices(conn, user.municipality_ids)


def _search_page(
    request: Request, search: dict[str, Any], outcome: forms.Outcome | None = None
) -> Response:
    user = principal(request)
    outcome = outcome or forms.Outcome({})
    ui = {
        **outcome.ui(),
        "my_places": _my_places(request, user),
        "is_publisher": can(user, "search.write", {search["municipality_id"]}),
    }
    return page(request, "search_detail.html", {"search": search}, ui=ui, status=outcome.status)


@router.get("/searches/new")
def publish_form(request: Request) -> Response:
    if (sign_in := sign_in_first(request)) is not None:
        return sign_in
    expires = (dt.date.today() + dt.timedelta(days=180)).isoformat()
    return _publish_form(request, forms.Outcome({"mode": "similar", "expires_on": expires}))


def _publish_form(request: Request, outcome: forms.Outcome) -> Response:
    ui = {**outcome.ui(), "my_places": _my_places(request, principal(request)), "modes": MODES}
    return page(request, "search_form.html", {}, ui=ui, status=outcome.status, section="board")


def search_input(form: Mapping[str, str]) -> service.SearchInput:
    return service.SearchInput(
        title=forms.text(form, "title"),
        expires_on=forms.text(form, "expires_on"),
        mode=forms.text(form, "mode") or "similar",
        countries=forms.items(form, "countries"),
        regions=forms.items(form, "regions"),
        size_min=forms.optional_int(form, "size_min"),
        size_max=forms.optional_int(form, "size_max"),
        themes=forms.items(form, "themes"),
        languages=forms.items(form, "languages"),
        text=forms.text(form, "text"),
    )


@router.post("/searches")
def publish(request: Request, form: forms.Form) -> Response:
    def write(w: Writer, form: Mapping[str, str]) -> str:
        municipality_id = find_place(w.conn, forms.text(form, "municipality"), "municipality")
        search_id = service.publish_search(w, municipality_id, search_input(form))
        return f"/searches/{search_id}"

    return forms.submit(request, form, SEARCH_FIELDS, write, lambda o: _publish_form(request, o))


@router.get("/searches/{search_id}")
def search_page(request: Request, search_id: int) -> Response:
    search = _search_or_none(request, search_id)
    if search is None:
        return error_page(request, 404, f"no partner search with id {search_id}")
    return _search_page(request, search)


@router.post("/searches/{search_id}/answers")
def answer(request: Request, search_id: int, form: forms.Form) -> Response:
    search = _search_or_none(request, search_id)
    if search is None:
        return error_page(request, 404, f"no partner search with id {search_id}")

    def write(w: Writer, form: Mapping[str, str]) -> str:
        municipality_id = find_place(w.conn, forms.text(form, "municipality"), "municipality")
        service.answer_search(w, search_id, municipality_id, forms.text(form, "message"))
        return f"/searches/{search_id}#answers"

    return forms.submit(
        request, form, ANSWER_FIELDS, write, lambda o: _search_page(request, search, o)
    )


@router.post("/searches/{search_id}/answers/{answer_id}/{decision}")
def decide(
    request: Request, search_id: int, answer_id: int, decision: str, form: forms.Form
) -> Response:
    search = _search_or_none(request, search_id)
    if search is None or decision not in ("accept", "decline"):
        return error_page(request, 404, f"no partner search with id {search_id}")

    def write(w: Writer, form: Mapping[str, str]) -> str:
        if decision == "decline":
            service.decline_answer(w, search_id, answer_id)
            return f"/searches/{search_id}#answers"
        # An accepted answer opens a contact in state exploring; the sides raise
        # its level later, by resolutions and a charter.
        link_id = service.accept_answer(w, search_id, answer_id, "contact")
        return f"/links/{link_id}"

    return forms.submit(request, form, (), write, lambda o: _search_page(request, search, o))
