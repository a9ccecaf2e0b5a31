"""Reading HTML forms and turning refusals into field-level messages.

A form posts plain text; these helpers parse it into the values the services
take, refusing a malformed number with `Invalid` naming the field, exactly as a
service refuses a broken rule. `submit` runs the common steps of every form:
CSRF check, sign-in, the write inside `writing(...)`, and the mapping of errors.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends
from starlette.requests import Request
from starlette.responses import Response

from jumelage.api import csrf
from jumelage.domain.permissions import Principal
from jumelage.domain.text import unstorable
from jumelage.errors import Invalid, JumelageError
from jumelage.services import Writer, writing
from jumelage.web.i18n import chosen_language
from jumelage.web.render import error_page, principal, redirect, registry, sign_in_first
from jumelage.web.wording import refusal

FORM_ERROR = "_form"


@dataclass
class Outcome:
    """What a form shows after a refused write: its values and the errors per field."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 200

    def ui(self) -> dict[str, Any]:
        return {"values": self.values, "errors": self.errors}


def text(form: Mapping[str, str], name: str) -> str:
    return str(form.get(name, "")).strip()


def optional_text(form: Mapping[str, str], name: str) -> str | None:
    return text(form, name) or None


def optional_int(form: Mapping[str, str], name: str) -> int | None:
    raw = text(form, name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise Invalid(f"{name} must be a whole number", field=name, rule="integer") from None


def optional_float(form: Mapping[str, str], name: str) -> float | None:
    """A decimal number, with a point or (as German and French write it) a comma."""
    raw = text(form, name).replace(",", ".")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise Invalid(f"{name} must be a number", field=name, rule="number")
    return value


def required_int(form: Mapping[str, str], name: str) -> int:
    value = optional_int(form, name)
    if value is None:
        raise Invalid(f"{name} is required", field=name, rule="required")
    return value


def items(form: Mapping[str, str], name: str) -> list[str]:
    """A list field typed as text separated by commas (or new lines)."""
    raw = text(form, name).replace("\n", ",")
    return [part.strip() for part in raw.split(",") if part.strip()]


def lines(form: Mapping[str, str], name: str) -> list[str]:
    """A list field typed one entry per line (entries may hold commas: "Jane Doe, Mayor")."""
    return [part.strip() for part in text(form, name).splitlines() if part.strip()]


def errors_of(exc: JumelageError, fields: Iterable[str], lang: str) -> dict[str, str]:
    """The error under its field when the form has that field, else for the whole form."""
    if isinstance(exc, Invalid) and exc.field in set(fields):
        return {str(exc.field): refusal(exc, lang)}
    # Above the form an English page keeps the service's own words, which name the value.
    return {FORM_ERROR: exc.message if lang == "en" else refusal(exc, lang)}


Write = Callable[[Writer, Mapping[str, str]], str]
Show = Callable[[Outcome], Response]


async def read_form(request: Request) -> dict[str, str]:
    """The posted form's text fields, read on the event loop (the only awaited step
    of a form), so that the route itself is a plain `def` run in the thread pool."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


Form = Annotated[dict[str, str], Depends(read_form)]


def submit(
    request: Request, form: dict[str, str], fields: Iterable[str], write: Write, show: Show
) -> Response:
    """Run a form: check its token, ask for a sign-in, write, then redirect or show errors.

    `write` does the change through the service functions and returns the URL
    to go to; `show` renders the form again with the values and errors.
    """
    try:
        csrf.check(request, form)
    except csrf.CsrfRefused as refused:
        return error_page(request, 403, str(refused))
    if (sign_in := sign_in_first(request)) is not None:
        return sign_in
    user = principal(request)
    return _write(request, user, form, list(fields), write, show)


def refuse_unstorable(form: Mapping[str, str]) -> None:
    """The API's rule for text, applied to a form: the first field holding text no
    database can store is refused (422 at that field), before anything is written."""
    for name, value in form.items():
        problem = unstorable(name) or unstorable(value)
        if problem:
            raise Invalid(f"{name}: {problem}", field=name, rule="storable")


def _write(
    request: Request,
    user: Principal,
    form: dict[str, str],
    fields: list[str],
    write: Write,
    show: Show,
) -> Response:
    try:
        refuse_unstorable(form)
        with writing(registry(request).engine, user) as w:
            target = write(w, form)
    except JumelageError as exc:
        errors = errors_of(exc, fields, chosen_language(request))
        return show(Outcome(form, errors, exc.status))
    return redirect(request, target)
