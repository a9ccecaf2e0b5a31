"""Who is calling: a bearer token, a signed session cookie, or the public.

Write endpoints depend on `signed_in`, which answers 401 for the public; the
services then check the role and scope (403). Objects carry a version: a
write may send `If-Match: "<version>"`, and a stale one gets 412.
"""

from __future__ import annotations

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from jumelage.domain.permissions import PUBLIC, Principal
from jumelage.errors import Invalid, Unauthorized
from jumelage.registry import Registry
from jumelage.services.accounts import principal_for_id, principal_for_token

SESSION_COOKIE = "jumelage_session"
SESSION_MAX_AGE = 8 * 3600


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
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        try:
            data = session_serializer(request).loads(cookie, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return PUBLIC
        if isinstance(data, dict) and isinstance(data.get("uid"), int):
            with _registry(request).engine.connect() as conn:
                found = principal_for_id(conn, data["uid"])
            if found is not None:
                return found
    return PUBLIC


def signed_in(request: Request) -> Principal:
    """The caller's principal; 401 for the public."""
    principal = current_principal(request)
    if principal.role == "public":
        raise Unauthorized(
            "sign in or send an API token ('Authorization: Bearer <token>') to change data"
        )
    return principal


def expected_version(request: Request, body_version: int | None = None) -> int | None:
    """The version the client last read: If-Match header, or `version` in the body."""
    header = request.headers.get("if-match")
    if header is None:
        return body_version
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise Invalid('If-Match must be the quoted version, e.g. "3"', field="If-Match")
    return int(value)
