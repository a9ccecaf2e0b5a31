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
from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from jumelage.domain.permissions import ROLES, Principal
from jumelage.errors import Conflict, Invalid, NotFound, RateLimited
from jumelage.services import Writer, inserted_id, writing
from jumelage.store.schema import municipality
from jumelage.store.schema_accounts import (
    account,
    account_scope,
    api_token,
    login_attempt,
    login_throttle,
    web_session,
)

_HASHER = PasswordHasher()
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
TOKEN_PREFIX = "jml_"


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


# Sign-in back-off, counted per key in `login_throttle`: (kind, failures allowed
# before a delay, longest delay). The delay doubles with each further failure
# (30 s, 1 min, 2 min ...). It never locks an account: the pair key slows one address
# guessing one account; the address key one address trying many accounts; the
# account key many addresses guessing one account, and only up to a minute, so
# the rightful user with the right password gets in after at most that wait.
THROTTLES = (
    ("pair", 5, dt.timedelta(minutes=15)),
    ("address", 20, dt.timedelta(minutes=15)),
    ("account", 20, dt.timedelta(minutes=1)),
)
FIRST_DELAY = dt.timedelta(seconds=30)
# Failures older than this are forgotten.
FAILURE_WINDOW = dt.timedelta(minutes=15)


def _keys(name: str, client: str) -> list[tuple[str, int, dt.timedelta]]:
    values = {"pair": f"{name}|{client}", "address": client, "account": name}
    return sorted((f"{kind}:{values[kind]}"[:200], free, cap) for kind, free, cap in THROTTLES)


def _delay(failures: int, free: int, cap: dt.timedelta) -> dt.timedelta | None:
    if failures < free:
        return None
    longer: dt.timedelta = FIRST_DELAY * 2 ** min(failures - free, 20)
    return min(cap, longer)


def _locked_throttle(w: Writer, key: str) -> Any:
    """The key's row, created if new, locked until the transaction ends (keys are
    taken in sorted order, so two attempts never wait for each other in a circle)."""
    dialect = w.conn.dialect.name
    make = postgresql_insert if dialect == "postgresql" else sqlite_insert
    w.conn.execute(
        make(login_throttle).values(key=key, failures=0, updated_at=w.now).on_conflict_do_nothing()
    )
    return w.conn.execute(
        select(login_throttle).where(login_throttle.c.key == key).with_for_update()
    ).one()


def reserve_attempt(w: Writer, username: str, client: str) -> None:
    """Count a sign-in attempt before its password is checked, or refuse it (429)
    while one of its keys backs off. The count is taken first and undone on
    success, so parallel attempts cannot all slip through before one is counted."""
    rows = [(_locked_throttle(w, key), free, cap) for key, free, cap in _keys(username, client)]
    waits = [_aware(r.blocked_until) - w.now for r, _f, _c in rows if r.blocked_until is not None]
    wait = max(waits, default=dt.timedelta(0))
    if wait > dt.timedelta(0):
        seconds = int(wait.total_seconds()) + 1
        raise RateLimited(
            f"too many failed sign-ins; try again in {seconds} s",
            details={"retry_after": seconds},
        )
    for row, free, cap in rows:
        recent = _aware(row.updated_at) >= w.now - FAILURE_WINDOW
        failures = (row.failures if recent else 0) + 1
        delay = _delay(failures, free, cap)
        w.conn.execute(
            update(login_throttle)
            .where(login_throttle.c.key == row.key)
            .values(
                failures=failures,
                blocked_until=None if delay is None else w.now + delay,
                updated_at=w.now,
            )
        )


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite gives back naive datetimes; every time stored here is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _record_attempt(w: Writer, name: str, client: str, ok: bool) -> None:
    w.conn.execute(
        insert(login_attempt).values(username=name, client=client[:64], at=w.now, succeeded=int(ok))
    )
    if ok:
        # The rightful user is in: this account's counts start over.
        keys = [key for key, _f, _c in _keys(name, client) if not key.startswith("address:")]
        w.conn.execute(
            update(login_throttle)
            .where(login_throttle.c.key.in_(keys))
            .values(failures=0, blocked_until=None, updated_at=w.now)
        )
    # Old attempts and counts carry no information any more.
    w.conn.execute(delete(login_attempt).where(login_attempt.c.at < w.now - dt.timedelta(days=1)))
    w.conn.execute(
        delete(login_throttle).where(login_throttle.c.updated_at < w.now - dt.timedelta(days=1))
    )


def sign_in(engine: Engine, username: str, password: str, client: str) -> Principal | None:
    """Check a password; None when it is wrong, 429 (RateLimited) while backing off.

    Three steps: count the attempt (a short write transaction), hash the password
    with no transaction open (a tenth of a second that must not hold SQLite's
    write lock), record the outcome (a second short transaction).
    """
    name = username.strip().lower()[:80]
    client = client[:64]
    with writing(engine, "sign-in") as w:
        reserve_attempt(w, name, client)
    with engine.connect() as conn:
        row = conn.execute(select(account).where(account.c.username == name)).first()
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
    with writing(engine, "sign-in") as w:
        _record_attempt(w, name, client, ok)
    if not ok or row is None:
        return None
    with engine.connect() as conn:
        return principal_of(_view(conn, row))


@functools.cache
def _dummy_hash() -> str:
    # Made on first use: hashing costs a tenth of a second we need not pay at import.
    return _HASHER.hash("not a password of anyone")
