"""The shared facts of a link from its page: signing the charter (or correcting it once
signed), changing the level, and the other side's answer to what one side proposed.

The same rule-checked services as POST /api/v1/links/{id}/sign, /charter, /level and
/api/v1/confirmations/{id}/decision: an editor's proposal waits for an editor of the
other side, an administrator's takes effect at once; the proposer may withdraw.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jumelage.domain.vocabulary import LEVELS
from jumelage.errors import Invalid
from jumelage.services import Writer
from jumelage.services import links as link_service
from jumelage.store import places
from jumelage.web import forms
from jumelage.web.link import link_or_none
from jumelage.web.render import error_page, page, sign_in_first

router = APIRouter(include_in_schema=False)

CHARTER_FIELDS: Final = ("side", "signed_on", "place", "signatories", "document_ref")
LEVEL_FIELDS: Final = (
    "side",
    "level",
    "date",
    "reason",
    "valid_until",
    "projects",
    "topic",
    "start",
    "charter_signed_on",
    "place",
    "signatories",
)
DECISIONS: Final = ("accept", "reject", "withdraw")


def _sides(link: dict[str, Any]) -> list[tuple[int, str]]:
    return [(link[s]["id"], link[s]["name"]) for s in ("a", "b")]


def _acting(w: Writer, link_id: int, form: Mapping[str, str]) -> int | None:
    return link_service.acting_side(w, link_id, forms.text(form, "side") or None)


# --- the charter: signed once both councils resolved, corrected later ------------------


def _charter_form(request: Request, link: dict[str, Any], outcome: forms.Outcome) -> Response:
    ui = {**outcome.ui(), "sides": _sides(link)}
    return page(request, "charter_form.html", {"link": link}, ui=ui, status=outcome.status)


@router.get("/links/{link_id}/charter/new")
def charter_form(request: Request, link_id: int) -> Response:
    link = link_or_none(request, link_id)
    if link is None:
        return error_page(request, 404, f"no link with id {link_id}")
    if (sign_in := sign_in_first(request)) is not None:
        return sign_in
    return _charter_form(request, link, forms.Outcome({}))


@router.post("/links/{link_id}/charter")
def sign_or_record_charter(request: Request, link_id: int, form: forms.Form) -> Response:
    link = link_or_none(request, link_id)
    if link is None:
        return error_page(request, 404, f"no link with id {link_id}")

    def write(w: Writer, form: Mapping[str, str]) -> str:
        side_id = _acting(w, link_id, form)
        is_partnership = link_service.require_link(w, link_id).level == "partnership"
        payload = {
            "signed_on": forms.text(form, "signed_on"),
            "place": forms.optional_text(form, "place"),
            "signatories": forms.lines(form, "signatories"),
            "document_ref": forms.optional_text(form, "document_ref"),
        }
        kind = "charter" if is_partnership else "sign"
        link_service.propose_shared(w, link_id, side_id, kind, payload)
        return f"/links/{link_id}#charter"

    return forms.submit(
        request, form, CHARTER_FIELDS, write, lambda o: _charter_form(request, link, o)
    )


# --- a change of level ----------------------------------------------------------------


def _level_form(request: Request, link: dict[str, Any], outcome: forms.Outcome) -> Response:
    levels = [level for level in LEVELS if level != link["level"]]
    ui = {**outcome.ui(), "sides": _sides(link), "levels": levels}
    return page(request, "level_form.html", {"link": link}, ui=ui, status=outcome.status)


@router.get("/links/{link_id}/level/new")
def level_form(request: Request, link_id: int) -> Response:
    link = link_or_none(request, link_id)
    if link is None:
        return error_page(request, 404, f"no link with id {link_id}")
    if (sign_in := sign_in_first(request)) is not None:
        return sign_in
    return _level_form(request, link, forms.Outcome({}))


def level_payload(form: Mapping[str, str]) -> dict[str, Any]:
    """The level change the form states, in the shape the API's body has."""
    return {
        "level": forms.text(form, "level"),
        "date": forms.text(form, "date"),
        "reason": forms.text(form, "reason"),
        "valid_until": forms.optional_text(form, "valid_until"),
        "projects": forms.lines(form, "projects"),
        "topic": forms.optional_text(form, "topic"),
        "start": forms.optional_text(form, "start"),
        "charter_signed_on": forms.optional_text(form, "charter_signed_on"),
        "place": forms.optional_text(form, "place"),
        "signatories": forms.lines(form, "signatories"),
    }


@router.post("/links/{link_id}/level")
def change_level(request: Request, link_id: int, form: forms.Form) -> Response:
    link = link_or_none(request, link_id)
    if link is None:
        return error_page(request, 404, f"no link with id {link_id}")

    def write(w: Writer, form: Mapping[str, str]) -> str:
        side_id = _acting(w, link_id, form)
        try:
            link_service.change_level(w, link_id, side_id, level_payload(form))
        except Invalid as refused:
            if refused.field != "charter":
                raise
            # the rule names the charter; on this form, that is the date of its signing
            raise Invalid(refused.message, "charter_signed_on", refused.rule) from None
        return f"/links/{link_id}#levels"

    return forms.submit(request, form, LEVEL_FIELDS, write, lambda o: _level_form(request, link, o))


# --- the other side's answer --------------------------------------------------------------


@router.post("/confirmations/{confirmation_id}/decision")
def decide(request: Request, confirmation_id: int, form: forms.Form) -> Response:
    def write(w: Writer, form: Mapping[str, str]) -> str:
        decision = forms.text(form, "decision")
        if decision not in DECISIONS:
            raise Invalid(
                f"decision must be one of {', '.join(DECISIONS)}", field="decision", rule="choice"
            )
        side = forms.text(form, "side")
        side_id = places.resolve(w.conn, side, field="side") if side else None
        link_id = link_service.decide_shared(w, confirmation_id, side_id, decision == "accept")
        return f"/links/{link_id}#charter"

    def show(outcome: forms.Outcome) -> Response:
        return error_page(request, outcome.status, next(iter(outcome.errors.values())))

    # no form to show again: every refusal is said in full on an error page
    return forms.submit(request, form, (), write, show)
