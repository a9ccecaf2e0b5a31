"""The lifecycle of a link from its page: a side records its council resolution,
explores, activates, suspends, resumes or ends the link (the same rule-checked
transitions as POST /api/v1/links/{id}/resolutions, /suspend, /end …)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jumelage.services import Writer
from jumelage.services import links as link_service
from jumelage.web import forms
from jumelage.web.i18n import N_
from jumelage.web.link import link_or_none
from jumelage.web.render import error_page, page, sign_in_first

router = APIRouter(include_in_schema=False)

STEP_FIELDS: Final = ("step", "side", "date", "reference", "reason")

# The steps one side takes, each with its label and the rule operation it makes.
STEPS: Final[dict[str, str]] = {
    "explore": N_("Explore: exploratory contacts and visits"),
    "resolution": N_("Council resolution of this side"),
    "activate": N_("Activate: the partnership is lived"),
    "suspend": N_("Suspend (with a reason)"),
    "resume": N_("Resume after a suspension"),
    "end": N_("End (with a reason)"),
}


def take_step(w: Writer, link_id: int, form: Mapping[str, str]) -> None:
    """One lifecycle step of the form, for the side the signed-in editor acts for."""
    link_service.take_step(
        w,
        link_id,
        forms.text(form, "step"),
        side=forms.text(form, "side") or None,
        date=forms.text(form, "date"),
        reason=forms.text(form, "reason"),
        reference=forms.optional_text(form, "reference"),
    )


def _form(request: Request, link: dict[str, Any], outcome: forms.Outcome) -> Response:
    ui = {**outcome.ui(), "steps": STEPS}
    return page(request, "step_form.html", {"link": link}, ui=ui, status=outcome.status)


@router.get("/links/{link_id}/steps/new")
def step_form(request: Request, link_id: int) -> Response:
    link = link_or_none(request, link_id)
    if link is None:
        return error_page(request, 404, f"no link with id {link_id}")
    if (sign_in := sign_in_first(request)) is not None:
        return sign_in
    return _form(request, link, forms.Outcome({"step": request.query_params.get("step", "")}))


@router.post("/links/{link_id}/steps")
def record_step(request: Request, link_id: int, form: forms.Form) -> Response:
    link = link_or_none(request, link_id)
    if link is None:
        return error_page(request, 404, f"no link with id {link_id}")

    def write(w: Writer, form: Mapping[str, str]) -> str:
        take_step(w, link_id, form)
        return f"/links/{link_id}#history"

    return forms.submit(request, form, STEP_FIELDS, write, lambda o: _form(request, link, o))
