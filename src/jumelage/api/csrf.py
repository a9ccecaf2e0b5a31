"""Protection of every form against cross-site request forgery.

A browser keeps a random nonce in an HttpOnly cookie. A form's token is the
HMAC (with the app's secret key) of that nonce and the session cookie, so a
token is valid only for the browser and the session it was rendered for: a
sign-in or sign-out changes the session and with it every token. Each POST of
a form sends the token back in the field `csrf_token`, and a missing or wrong
token is refused with 403 before anything else happens.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE: Final = "jumelage_session"  # the signed session id (`api.auth`)
NONCE_COOKIE: Final = "jumelage_csrf"
FIELD: Final = "csrf_token"


class CsrfRefused(Exception):
    """The form's token is missing or does not belong to this browser and session."""


def _nonce(request: Request) -> str:
    nonce = request.cookies.get(NONCE_COOKIE) or getattr(request.state, "csrf_nonce", None)
    if not nonce:
        nonce = secrets.token_urlsafe(24)
        request.state.csrf_nonce = nonce
    return str(nonce)


def _session_value(request: Request) -> str:
    # A session set during this request (sign-in) counts from the next page on.
    return getattr(request.state, "new_session", None) or request.cookies.get(SESSION_COOKIE, "")


def token(request: Request) -> str:
    key: str = request.app.state.secret_key
    message = f"{_nonce(request)}|{_session_value(request)}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def check(request: Request, form: Mapping[str, Any]) -> None:
    """Refuse the form unless its token matches this browser's nonce and session."""
    sent = form.get(FIELD)
    if not isinstance(sent, str) or not request.cookies.get(NONCE_COOKIE):
        raise CsrfRefused("the form has no valid security token")
    if not valid(request, sent):
        raise CsrfRefused("the form's security token does not match this session")


def valid(request: Request, sent: str) -> bool:
    """The token (a form field, or the API's X-CSRF-Token header) belongs to this
    browser's nonce cookie and session."""
    if not request.cookies.get(NONCE_COOKIE):
        return False
    return hmac.compare_digest(sent.encode(), token(request).encode())


def keep_nonce(request: Request, response: Response) -> None:
    """Set the nonce cookie when this request made a new one."""
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce and not request.cookies.get(NONCE_COOKIE):
        secure: bool = request.app.state.registry.settings.secure_cookies
        response.set_cookie(
            NONCE_COOKIE, nonce, httponly=True, samesite="lax", secure=secure, path="/"
        )
