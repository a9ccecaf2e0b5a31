"""The page of a link: its levels over time, charter, resolutions, activities and
provenance; and the form that records an activity."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Connection
from starlette.requests import Request
from starlette.responses import Response

from jumelage.domain.permissions import Principal, can, can_for_one_of
from jumelage.domain.vocabulary import ACTIVITY_KINDS, EXCHANGE_KINDS
from jumelage.services import Writer
from jumelage.services import activities as activity_service
from jumelage.store import queries, queries_lifecycle, queries_programmes, queries_web
from jumelage.web import forms
from jumelage.web.i18n import chosen_language
from jumelage.web.render import error_page, page, principal, registry, sign_in_first

router = APIRouter(include_in_schema=False)


def levels_over_time(link: dict[str, Any]) -> list[dict[str, Any]]:
    """The levels a link held, each with the date it took effect and ended (None: unknown).

    The first level is the one before the first recorded change, else today's.
    """
    changes = [e for e in link["history"] if e["kind"] == "level"]
    first = changes[0]["from"] if changes and changes[0]["from"] else link["level"]
    start = link["start_date"]["value"] if link["start_date"] else None
    periods = [{"level": first, "from": start, "until": None, "reason": None}]
    for change in changes:
        periods[-1]["until"] = change["date"]
        periods.append(
            {
                "level": change["to"],
                "from": change["date"],
                "until": None,
                "reason": change["reason"],
            }
        )
    return periods


def link_page_data(conn: Connection, link_id: int, lang: str) -> dict[str, Any] | None:
    """Everything the page shows, as plain dicts (the page's JSON twin)."""
    link = queries.link_detail(conn, link_id)
    if link is None:
        return None
    return {
        "link": link,
        "sides": [queries.municipality_by_id(conn, link[side]["id"]) for side in ("a", "b")],
        "local_names": queries_web.names_in(conn, [link["a"]["id"], link["b"]["id"]], lang),
        "levels": levels_over_time(link),
        "resolutions": [e for e in link["history"] if e["kind"] == "resolution"],
        "charter": queries_lifecycle.charter_of(conn, link_id),
        "terms": queries_lifecycle.terms_of(conn, link_id),
        "activities": queries_lifecycle.activities_of_link(conn, link_id),
        "actors": queries_lifecycle.actors_of_link(conn, link_id),
        "confirmations": queries_lifecycle.confirmations(conn, link_id),
        "grants": queries_programmes.grants(conn, link_id=link_id),
    }


def edits_either_side(user: Principal, link: dict[str, Any]) -> bool:
    """An editor of either side (or an administrator): records grants, proposes the
    shared facts (charter, level)."""
    return can_for_one_of(user, "link.shared", {link["a"]["id"], link["b"]["id"]})


def may_record(user: Principal, link: dict[str, Any]) -> bool:
    """Activities and steps: also the association members of either side."""
    return can_for_one_of(user, "activity.write", {link["a"]["id"], link["b"]["id"]})


def answers(user: Principal, link: dict[str, Any], pending: dict[str, Any]) -> list[str]:
    """What `user` may answer to a pending confirmation: the other side confirms or
    rejects, the proposing side withdraws; an administrator may do either."""
    proposer = pending["proposed_by_side"]
    other = link["b"]["id"] if proposer == link["a"]["id"] else link["a"]["id"]
    mine: list[str] = []
    if can(user, "link.shared", {other}):
        mine += ["accept", "reject"]
    if proposer is not None and can(user, "link.shared", {proposer}):
        mine.append("withdraw")
    return mine


@router.get("/links/{link_id}")
def link_page(request: Request, link_id: int) -> Response:
    with registry(request).engine.connect() as conn:
        data = link_page_data(conn, link_id, chosen_language(request))
    if data is None:
        return error_page(request, 404, f"no link with id {link_id}")
    user = principal(request)
    ui = {
        "may_record": may_record(user, data["link"]),
        "may_edit": edits_either_side(user, data["link"]),
        "answers": {c["id"]: answers(user, data["link"], c) for c in data["confirmations"]},
    }
    return page(request, "link.html", data, ui=ui)


# --- recording an activity -------------------------------------------------------

ACTIVITY_FIELDS = (
    "kind",
    "exchange_kind",
    "title",
    "start_date",
    "end_date",
    "direction",
    "participants",
    "invited_from_abroad",
    "days",
    "themes",
    "funding_source",
    "planned",
    "note",
)


def _direction(link: dict[str, Any], value: str) -> tuple[int | None, int | None]:
    """The travelling and the hosting side from the form's choice: "a-b", "b-a" or ""."""
    a, b = link["a"]["id"], link["b"]["id"]
    return {"a-b": (a, b), "b-a": (b, a)}.get(value, (None, None))


def activity_input(link: dict[str, Any], form: Mapping[str, str]) -> activity_service.ActivityInput:
    travels, hosts = _direction(link, forms.text(form, "direction"))
    return activity_service.ActivityInput(
        kind=forms.text(form, "kind"),
        title=forms.text(form, "title"),
        start_date=forms.text(form, "start_date"),
        end_date=forms.optional_text(form, "end_date"),
        exchange_kind=forms.optional_text(form, "exchange_kind"),
        from_id=travels,
        to_id=hosts,
        participants=forms.optional_int(form, "participants"),
        invited_from_abroad=forms.optional_int(form, "invited_from_abroad"),
        days=forms.optional_int(form, "days"),
        themes=forms.items(form, "themes"),
        funding_source=forms.optional_text(form, "funding_source"),
        planned=forms.text(form, "planned") == "1",
        note=forms.optional_text(form, "note"),
    )


def link_or_none(request: Request, link_id: int) -> dict[str, Any] | None:
    with registry(request).engine.connect() as conn:
        return queries.link_detail(conn, link_id)


def _activity_form(request: Request, link: dict[str, Any], outcome: forms.Outcome) -> Response:
    ui = {**outcome.ui(), "kinds": ACTIVITY_KINDS, "exchange_kinds": EXCHANGE_KINDS}
    return page(request, "activity_form.html", {"link": link}, ui=ui, status=outcome.status)


@router.get("/links/{link_id}/activities/new")
def activity_form(request: Request, link_id: int) -> Response:
    link = link_or_none(request, link_id)
    if link is None:
        return error_page(request, 404, f"no link with id {link_id}")
    if (sign_in := sign_in_first(request)) is not None:
        return sign_in
    return _activity_form(request, link, forms.Outcome({"kind": "visit"}))


@router.post("/links/{link_id}/activities")
def record_activity(request: Request, link_id: int, form: forms.Form) -> Response:
    link = link_or_none(request, link_id)
    if link is None:
        return error_page(request, 404, f"no link with id {link_id}")

    def write(w: Writer, form: Mapping[str, str]) -> str:
        activity_service.record_activity(w, link_id, activity_input(link, form))
        return f"/links/{link_id}#activities"

    return forms.submit(
        request, form, ACTIVITY_FIELDS, write, lambda o: _activity_form(request, link, o)
    )
