"""Who is calling: a bearer token, a session cookie, or the public.

A session cookie names a row of `web_session` (signed, so a guessed value is
refused before the database is asked); sign-out and a password change end the
row, and with it the cookie. API writes authenticated by the cookie must carry
the CSRF token in the X-CSRF-Token header (403 without).

Write endpoints depend on `signed_in`, which answers 401 for the public; the
services then check the role and scope (403). Objects carry a version: a
PUT, PATCH or DELETE must send `If-Match: "<version>"` (428 without), and a
stale one gets 412.
"""

from __future__ import annotations

import datetime as dt
import re

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from jumelage.api import csrf
from jumelage.api.csrf import SESSION_COOKIE as SESSION_COOKIE
from jumelage.domain.permissions import PUBLIC, Principal
from jumelage.errors import Forbidden, Invalid, PreconditionRequired, Unauthorized
from jumelage.registry import Registry
from jumelage.services.accounts import principal_for_session, principal_for_token

SESSION_MAX_AGE = 8 * 3600
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def session_serializer(request: Request) -> URLSafeTimedSerializer:
    key: str = request.app.state.secret_key
    return URLSafeTimedSerializer(key, salt="jumelage-session")


def _registry(request: Request) -> Registry:
    reg: Registry = request.app.state.registry
    return reg


def current_principal(request: Request) -> Principal:
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    principal = _resolve(request)
    request.state.principal = principal
    return principal


def _resolve(request: Request) -> Principal:
    header = request.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("send the API token as 'Authorization: Bearer <token>'")
        with _registry(request).engine.connect() as conn:
            principal = principal_for_token(conn, token.strip())
        if principal is None:
            raise Unauthorized("unknown or revoked API token")
        return principal
    session = session_token(request, request.cookies.get(SESSION_COOKIE))
    if session is None:
        return PUBLIC
    with _registry(request).engine.connect() as conn:
        found = principal_for_session(conn, session, dt.datetime.now(dt.UTC))
    if found is None:
        return PUBLIC
    if request.url.path.startswith("/api/") and request.method not in SAFE_METHODS:
        _check_api_csrf(request)
    return found


def session_token(request: Request, cookie: str | None) -> str | None:
    """The server-side session a signed cookie names (None for none or a forged one)."""
    if not cookie:
        return None
    try:
        data = session_serializer(request).loads(cookie, max_age=SESSION_MAX_AGE)
    except BadSignature:
        return None
    token = data.get("sid") if isinstance(data, dict) else None
    return token if isinstance(token, str) else None


def _check_api_csrf(request: Request) -> None:
    """A write of the API authenticated by the session cookie carries the page's
    CSRF token in the X-CSRF-Token header: another site can make a browser send
    the cookie, never read the token. Bearer tokens need none (no browser sends
    them by itself)."""
    sent = request.headers.get(CSRF_HEADER)
    if not sent or not csrf.valid(request, sent):
        raise Forbidden(
            f"a write signed in by the session cookie must send the {CSRF_HEADER} header "
            "(the csrf_token of GET /api/v1/me or of any page), or use an API token",
            code="csrf",
        )


def signed_in(request: Request) -> Principal:
    """The caller's principal; 401 for the public."""
    principal = current_principal(request)
    if principal.role == "public":
        raise Unauthorized(
            "sign in or send an API token ('Authorization: Bearer <token>') to change data"
        )
    return principal


EDITS = ("PUT", "PATCH", "DELETE")

# The largest version a row can hold (a 64-bit integer); a longer If-Match is no version.
_MAX_VERSION = 2**63 - 1
_VERSION_ETAG = re.compile(r'"?([0-9]{1,19})(?:\.[0-9a-f]{24})?"?')


def expected_version(request: Request, body_version: int | None = None) -> int | None:
    """The version the client last read: If-Match header, or `version` in the body.

    An edit of an object's fields (PUT, PATCH, DELETE) must say which version it
    changes (428 without): it would otherwise overwrite a change it never saw.
    A lifecycle step (a POST such as /activate) may send one; without it the step
    is checked against the link's current state, read under the row's lock.
    """
    header = request.headers.get("if-match")
    if header is None:
        if body_version is None and request.method in EDITS:
            raise PreconditionRequired(
                'send the version you read as If-Match: "<version>" (or `version` in the body)',
                details={"field": "If-Match", "rule": "required"},
            )
        return body_version
    # The ETag of a GET: the version, or the version and the body's digest after a dot.
    tag = _VERSION_ETAG.fullmatch(header.strip().removeprefix("W/"))
    value = tag.group(1) if tag else ""
    if not value or int(value) > _MAX_VERSION:
        raise Invalid('If-Match must be the quoted version, e.g. "3"', field="If-Match")
    return int(value)
