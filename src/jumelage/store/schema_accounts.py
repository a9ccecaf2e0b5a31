"""Accounts, API tokens, login attempts and confirmations of shared facts."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from jumelage.store.metadata import metadata

account = Table(
    "account",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("active", Integer, nullable=False, server_default="1"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("role IN ('admin', 'editor', 'association')", name="role"),
)

account_scope = Table(
    "account_scope",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("account.id"), nullable=False),
    Column("municipality_id", Integer, ForeignKey("municipality.id"), nullable=False),
    UniqueConstraint("account_id", "municipality_id"),
)

# Bearer tokens are shown once; only their SHA-256 is stored.
api_token = Table(
    "api_token",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("account.id"), nullable=False),
    Column("label", String(120), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

login_attempt = Table(
    "login_attempt",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False),
    Column("client", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("succeeded", Integer, nullable=False),
    Index("ix_login_attempt_recent", "username", "at"),
)

# A shared fact of a link (its charter, a change to partnership) proposed by
# one side; it takes effect when an editor of the other side confirms it.
confirmation = Table(
    "confirmation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("link_id", Integer, ForeignKey("link.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("proposed_by_side", Integer, ForeignKey("municipality.id"), nullable=False),
    Column("proposed_by", String(120), nullable=False),
    Column("proposed_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("decided_by", String(120)),
    Column("decided_at", DateTime(timezone=True)),
    CheckConstraint("status IN ('pending', 'confirmed', 'rejected', 'withdrawn')", name="status"),
    Index("ix_confirmation_link", "link_id", "status"),
)

# A signed-in browser: the cookie carries a random token, the table its SHA-256.
# Sign-out ends the row; a password change or deactivation ends all of an account's.
web_session = Table(
    "web_session",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("account.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Index("ix_web_session_account", "account_id"),
)

# Failed sign-ins counted per key ("pair:<user>|<address>", "address:<address>",
# "account:<user>"); the row is locked while it is counted, so parallel attempts
# are counted one by one on both databases.
login_throttle = Table(
    "login_throttle",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("blocked_until", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
