"""Accounts, roles with scopes, API tokens and password sign-in with rate limiting."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, and_, delete, func, insert, select, update

from jumelage.domain.permissions import ROLES, Principal
from jumelage.errors import Conflict, Invalid, NotFound, Unauthorized
from jumelage.services import Writer, inserted_id
from jumelage.store.schema import municipality
from jumelage.store.schema_accounts import (
    account,
    account_scope,
    api_token,
    login_attempt,
    web_session,
)

_HASHER = PasswordHasher()
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
TOKEN_PREFIX = "jml_"

# Sign-in is refused after this many failures for one user name within the window.
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class AccountView:
    id: int
    username: str
    display_name: str
    role: str
    active: bool
    municipality_ids: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "active": self.active,
            "municipality_ids": list(self.municipality_ids),
        }


def _check_password(password: str) -> None:
    if len(password) < 10:
        raise Invalid(
            "a password needs at least 10 characters", field="password", rule="min_length"
        )
    if len(password) > 1024:
        raise Invalid("a password is at most 1024 characters", field="password", rule="max_length")


def add_user(
    w: Writer,
    username: str,
    password: str,
    role: str,
    municipality_ids: list[int],
    display_name: str | None = None,
) -> int:
    w.require("user.manage")
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise Invalid(
            "a user name is 2-80 characters: lower-case letters, digits, '.', '_' or '-'",
            field="username",
            rule="format",
        )
    if role not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}", field="role", rule="choice")
    if role != "admin" and not municipality_ids:
        raise Invalid(
            f"an {role} acts for at least one municipality", field="municipalities", rule="scope"
        )
    _check_password(password)
    if w.conn.execute(select(account.c.id).where(account.c.username == username)).first():
        raise Conflict(f"user {username!r} exists already")
    known = {
        r.id
        for r in w.conn.execute(
            select(municipality.c.id).where(municipality.c.id.in_(municipality_ids))
        )
    }
    unknown = sorted(set(municipality_ids) - known)
    if unknown:
        raise Invalid(
            f"no municipality with id {unknown[0]}", field="municipalities", rule="exists"
        )
    user_id = inserted_id(
        w.conn.execute(
            insert(account).values(
                username=username,
                display_name=display_name or username,
                password_hash=_HASHER.hash(password),
                role=role,
                created_at=w.now,
                updated_at=w.now,
            )
        )
    )
    if municipality_ids:
        w.conn.execute(
            insert(account_scope),
            [{"account_id": user_id, "municipality_id": m} for m in sorted(set(municipality_ids))],
        )
    w.audit(
        "create",
        "account",
        user_id,
        None,
        {"username": username, "role": role, "municipality_ids": sorted(set(municipality_ids))},
    )
    return user_id


def _view(conn: Connection, row: Any) -> AccountView:
    scopes = tuple(
        r.municipality_id
        for r in conn.execute(
            select(account_scope.c.municipality_id)
            .where(account_scope.c.account_id == row.id)
            .order_by(account_scope.c.municipality_id)
        )
    )
    return AccountView(row.id, row.username, row.display_name, row.role, bool(row.active), scopes)


def list_users(conn: Connection) -> list[AccountView]:
    return [_view(conn, r) for r in conn.execute(select(account).order_by(account.c.username))]


def find_user(conn: Connection, username: str) -> AccountView:
    row = conn.execute(
        select(account).where(account.c.username == username.strip().lower())
    ).first()
    if row is None:
        raise NotFound(f"no user {username!r}")
    return _view(conn, row)


def principal_of(view: AccountView) -> Principal:
    return Principal(view.username, view.role, frozenset(view.municipality_ids), view.id)


def set_active(w: Writer, username: str, active: bool) -> None:
    w.require("user.manage")
    user = find_user(w.conn, username)
    w.conn.execute(
        update(account)
        .where(account.c.id == user.id)
        .values(active=int(active), updated_at=w.now, version=account.c.version + 1)
    )
    if not active:
        end_sessions_of(w, user.id)
    w.audit("update", "account", user.id, {"active": user.active}, {"active": active})


def set_password(w: Writer, username: str, password: str) -> None:
    """A new password; every session of the account ends (API tokens stay)."""
    w.require("user.manage")
    user = find_user(w.conn, username)
    _check_password(password)
    w.conn.execute(
        update(account)
        .where(account.c.id == user.id)
        .values(
            password_hash=_HASHER.hash(password),
            updated_at=w.now,
            version=account.c.version + 1,
        )
    )
    ended = end_sessions_of(w, user.id)
    w.audit("password", "account", user.id, None, {"sessions_ended": ended})


# --- web sessions: a random token in the cookie, its SHA-256 in web_session ----------------

SESSION_LIFETIME = dt.timedelta(hours=8)


def open_session(w: Writer, user_id: int) -> str:
    """A new session for a signed-in user; the token goes into the cookie, once."""
    token = secrets.token_urlsafe(32)
    w.conn.execute(
        insert(web_session).values(
            account_id=user_id,
            token_hash=_digest(token),
            created_at=w.now,
            expires_at=w.now + SESSION_LIFETIME,
        )
    )
    # Sessions that ended or expired a day ago are of no use to anyone.
    w.conn.execute(
        delete(web_session).where(web_session.c.expires_at < w.now - dt.timedelta(days=1))
    )
    return token


def end_session(w: Writer, token: str) -> None:
    """Sign-out: the cookie's session ends now, whatever the cookie's own age."""
    w.conn.execute(
        update(web_session)
        .where(web_session.c.token_hash == _digest(token), web_session.c.ended_at.is_(None))
        .values(ended_at=w.now)
    )


def end_sessions_of(w: Writer, user_id: int) -> int:
    result = w.conn.execute(
        update(web_session)
        .where(web_session.c.account_id == user_id, web_session.c.ended_at.is_(None))
        .values(ended_at=w.now)
    )
    return int(result.rowcount or 0)


def principal_for_session(conn: Connection, token: str, now: dt.datetime) -> Principal | None:
    if len(token) > 200:
        return None
    row = conn.execute(
        select(account)
        .join(web_session, web_session.c.account_id == account.c.id)
        .where(
            web_session.c.token_hash == _digest(token),
            web_session.c.ended_at.is_(None),
            web_session.c.expires_at > now,
        )
    ).first()
    if row is None or not row.active:
        return None
    return principal_of(_view(conn, row))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(w: Writer, username: str, label: str) -> tuple[int, str]:
    """A new bearer token; the plain token is returned once and never stored."""
    w.require("user.manage")
    user = find_user(w.conn, username)
    if not label.strip():
        raise Invalid("a token needs a label saying what it is for", field="label")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = inserted_id(
        w.conn.execute(
            insert(api_token).values(
                account_id=user.id,
                label=label.strip()[:120],
                token_hash=_digest(token),
                created_at=w.now,
            )
        )
    )
    w.audit("create", "api_token", token_id, None, {"account": user.username, "label": label})
    return token_id, token


def revoke_token(w: Writer, token_id: int) -> None:
    w.require("user.manage")
    row = w.conn.execute(select(api_token).where(api_token.c.id == token_id)).first()
    if row is None:
        raise NotFound(f"no token with id {token_id}")
    if row.revoked_at is not None:
        raise Conflict(f"token {token_id} was already revoked")
    w.conn.execute(update(api_token).where(api_token.c.id == token_id).values(revoked_at=w.now))
    w.audit("revoke", "api_token", token_id, {"revoked_at": None}, {"revoked_at": w.now})


def list_tokens(conn: Connection, username: str | None = None) -> list[dict[str, Any]]:
    query = select(api_token, account.c.username).join(
        account, account.c.id == api_token.c.account_id
    )
    if username:
        query = query.where(account.c.username == username.strip().lower())
    return [
        {
            "id": r.id,
            "username": r.username,
            "label": r.label,
            "created_at": r.created_at.isoformat(),
            "revoked": r.revoked_at is not None,
        }
        for r in conn.execute(query.order_by(api_token.c.id))
    ]


def principal_for_token(conn: Connection, token: str) -> Principal | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = conn.execute(
        select(account)
        .join(api_token, api_token.c.account_id == account.c.id)
        .where(api_token.c.token_hash == _digest(token), api_token.c.revoked_at.is_(None))
    ).first()
    if row is None or not row.active:
        return None
    return principal_of(_view(conn, row))


def principal_for_id(conn: Connection, user_id: int) -> Principal | None:
    row = conn.execute(select(account).where(account.c.id == user_id)).first()
    if row is None or not row.active:
        return None
    return principal_of(_view(conn, row))


def sign_in(w: Writer, username: str, password: str, client: str) -> Principal | None:
    """Check a password and record the attempt; None when it is wrong.

    Refuses (401) without checking after repeated failures within the window.
    The caller raises for a wrong password after the transaction committed, so
    the failed attempt stays recorded.
    """
    name = username.strip().lower()[:80]
    since = w.now - FAILURE_WINDOW
    failures = w.conn.execute(
        select(func.count()).where(
            and_(
                login_attempt.c.username == name,
                login_attempt.c.at >= since,
                login_attempt.c.succeeded == 0,
            )
        )
    ).scalar()
    if (failures or 0) >= MAX_FAILURES:
        raise Unauthorized(
            "too many failed sign-ins for this user; try again in 15 minutes",
            code="rate_limited",
        )
    row = w.conn.execute(select(account).where(account.c.username == name)).first()
    ok = False
    if row is not None and row.active:
        try:
            ok = _HASHER.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        # Spend the same time on unknown names, so timing does not reveal accounts.
        with contextlib.suppress(VerificationError, InvalidHashError):
            _HASHER.verify(_dummy_hash(), password)
    w.conn.execute(
        insert(login_attempt).values(username=name, client=client[:64], at=w.now, succeeded=int(ok))
    )
    # Old attempts carry no information any more.
    w.conn.execute(delete(login_attempt).where(login_attempt.c.at < w.now - dt.timedelta(days=1)))
    if not ok or row is None:
        return None
    return principal_of(_view(w.conn, row))


@functools.cache
def _dummy_hash() -> str:
    # Made on first use: hashing costs a tenth of a second we need not pay at import.
    return _HASHER.hash("not a password of anyone")
