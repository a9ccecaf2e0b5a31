"""Signing in and out of the web pages: a password form and a server-side session."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from jumelage.api import csrf
from jumelage.api.auth import SESSION_COOKIE, SESSION_MAX_AGE, session_serializer, session_token
from jumelage.domain.permissions import Principal
from jumelage.errors import JumelageError
from jumelage.services import writing
from jumelage.services.accounts import end_session, open_session, sign_in
from jumelage.web.forms import FORM_ERROR, Form
from jumelage.web.i18n import N_, chosen_language, translations
from jumelage.web.render import error_page, page, redirect, registry

router = APIRouter(include_in_schema=False)

WRONG = N_("Wrong user name or password.")
RATE_LIMITED = N_("Too many failed sign-ins; wait a moment and try again.")


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never send a signed-in user elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    values = {"username": "", "next": _safe_next(next)}
    return page(request, "login.html", {}, ui={"values": values, "errors": {}})


def _attempt(request: Request, username: str, password: str) -> Principal | None:
    client = request.client.host if request.client else "unknown"
    return sign_in(registry(request).engine, username, password, client)


@router.post("/login")
def login(request: Request, form: Form) -> Response:
    try:
        csrf.check(request, form)
    except csrf.CsrfRefused as refused:
        return error_page(request, 403, str(refused))
    values = {"username": form.get("username", ""), "next": _safe_next(form.get("next"))}
    try:
        # The attempt is counted before the password is checked and recorded
        # after it, each in its own short transaction (the back-off holds for
        # parallel attempts; hashing holds no write lock).
        found = _attempt(request, form.get("username", ""), form.get("password", ""))
    except JumelageError as exc:
        words = translations(chosen_language(request))
        message = words.gettext(RATE_LIMITED) if exc.code == "rate_limited" else exc.message
        return _refused(request, values, message, exc.status)
    if found is None or found.user_id is None:
        message = translations(chosen_language(request)).gettext(WRONG)
        return _refused(request, values, message, 401)
    response = redirect(request, values["next"])
    _set_session(request, response, found.user_id)
    return response


def _refused(request: Request, values: dict[str, str], message: str, status: int) -> Response:
    ui = {"values": values, "errors": {FORM_ERROR: message}}
    return page(request, "login.html", {}, ui=ui, status=status)


def _set_session(request: Request, response: Response, user_id: int) -> None:
    with writing(registry(request).engine, "web sign-in") as w:
        token = open_session(w, user_id)
    value = session_serializer(request).dumps({"sid": token})
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=registry(request).settings.secure_cookies,
        path="/",
    )


def _end_session(request: Request) -> None:
    token = session_token(request, request.cookies.get(SESSION_COOKIE))
    if token is not None:
        with writing(registry(request).engine, "web sign-out") as w:
            end_session(w, token)


@router.post("/logout")
def logout(request: Request, form: Form) -> Response:
    try:
        csrf.check(request, form)
    except csrf.CsrfRefused as refused:
        return error_page(request, 403, str(refused))
    # The session ends on the server: a copy of the cookie signs no one in any more.
    _end_session(request)
    response = redirect(request, "/")
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return response
