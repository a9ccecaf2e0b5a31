"""Programme pages: funding programmes with their rules and a check of a plan, the
Europe Prize register, and a municipality's ladder with its eligibility per level."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from jumelage.domain.awards import LADDER
from jumelage.domain.funding import PLAN_KINDS
from jumelage.errors import Invalid
from jumelage.store import queries, queries_programmes
from jumelage.web import forms
from jumelage.web.i18n import chosen_language, translations
from jumelage.web.municipality import find_place
from jumelage.web.render import error_page, page, place_of, registry

router = APIRouter(include_in_schema=False)

CHECK_FIELDS = (
    "programme",
    "applicant",
    "partners",
    "participants",
    "invited_from_abroad",
    "start_date",
    "end_date",
    "amount",
    "total_cost",
    "kind",
)


def plan_spec(conn: Connection, form: dict[str, str]) -> queries_programmes.PlanSpec:
    """A plan from the check form: places by name, id or QID; numbers as typed."""
    applicant = forms.text(form, "applicant")
    kind = forms.optional_text(form, "kind")
    if kind is not None and kind not in PLAN_KINDS:
        raise Invalid(f"kind must be one of {', '.join(PLAN_KINDS)}", field="kind", rule="choice")
    return queries_programmes.PlanSpec(
        applicant_id=find_place(conn, applicant, "applicant") if applicant else None,
        partner_ids=tuple(find_place(conn, p, "partners") for p in forms.items(form, "partners")),
        participants=forms.optional_int(form, "participants"),
        invited_from_abroad=forms.optional_int(form, "invited_from_abroad"),
        start_date=forms.optional_text(form, "start_date"),
        end_date=forms.optional_text(form, "end_date"),
        amount=forms.optional_int(form, "amount"),
        total_cost=forms.optional_int(form, "total_cost"),
        kind=kind,
    )


def _check(conn: Connection, form: dict[str, str], lang: str) -> tuple[Any, dict[str, str]]:
    """The programme check of the plan in the form; errors per field when it is malformed."""
    key = forms.text(form, "programme")
    if not key:
        return None, {}
    try:
        spec = plan_spec(conn, form)
        found = queries_programmes.programme_check(conn, key, spec, dt.date.today())
    except Invalid as exc:
        return None, forms.errors_of(exc, CHECK_FIELDS, lang)
    if found is None:
        return None, {"programme": translations(lang).gettext("No such programme.")}
    return found, {}


@router.get("/programmes")
def programmes_page(request: Request) -> Response:
    """Funding programmes and the Europe Prize register; `?programme=…` checks a plan."""
    form = {k: v for k, v in request.query_params.items() if k in CHECK_FIELDS}
    with registry(request).engine.connect() as conn:
        check, errors = _check(conn, form, chosen_language(request))
        data = {
            "programmes": queries_programmes.programmes(conn),
            "awards": queries_programmes.award_register(conn),
            "check": check,
        }
    ui = {"values": form, "errors": errors, "plan_kinds": PLAN_KINDS}
    status = 422 if errors else 200
    return page(request, "programmes.html", data, ui=ui, section="programmes", status=status)


@router.get("/m/{ref}/europe-prize")
def europe_prize(request: Request, ref: str) -> Response:
    """A municipality's place on the Europe Prize ladder and its eligibility for each level."""
    year = dt.date.today().year
    min_years = registry(request).settings.award_min_years
    with registry(request).engine.connect() as conn:
        mid = place_of(request, conn, ref)
        if isinstance(mid, Response):
            return mid
        place = queries.municipality_by_id(conn, mid)
        if place is None:
            return error_page(request, 404, f"no municipality {ref!r}")
        data = {
            "municipality": place,
            "year": year,
            "awards": queries_programmes.award_register(conn, mid),
            "twin_towns": queries_programmes.twin_towns(conn, mid),
            "ladder": [
                queries_programmes.award_eligibility(conn, mid, level, year, min_years).to_dict()
                for level in LADDER
            ],
        }
    return page(request, "europe_prize.html", data, section="programmes")
