"""lifecycle accounts programmes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Integer(), server_default="1", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('admin', 'editor', 'association')", name=op.f("ck_account_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("username", name=op.f("uq_account_username")),
    )
    op.create_table(
        "dac_country",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iso2", sa.String(length=2), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("income_group", sa.String(length=16), nullable=False),
        sa.Column("list_years", sa.String(length=16), nullable=False),
        sa.Column("verified", sa.Integer(), server_default="1", nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dac_country")),
        sa.UniqueConstraint("iso2", "list_years", name=op.f("uq_dac_country_iso2_list_years")),
    )
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.create_index("ix_login_attempt_recent", ["username", "at"], unique=False)

    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("funder", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.String(length=10), nullable=True),
        sa.Column("valid_to", sa.String(length=10), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("key", name=op.f("uq_programme_key")),
    )
    op.create_table(
        "account_scope",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_account_scope_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_account_scope_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_scope")),
        sa.UniqueConstraint(
            "account_id",
            "municipality_id",
            name=op.f("uq_account_scope_account_id_municipality_id"),
        ),
    )
    op.create_table(
        "actor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('association', 'school', 'company', 'club', 'church', 'university', 'other')",
            name=op.f("ck_actor_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_actor_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor")),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_api_token_account_id_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_table(
        "award",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "level IN ('diploma', 'flag', 'plaque', 'prize')", name=op.f("ck_award_level")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_award_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award")),
        sa.UniqueConstraint(
            "municipality_id", "level", name=op.f("uq_award_municipality_id_level")
        ),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("since", sa.String(length=10), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('citizen', 'politician', 'school', 'club', 'association', 'company', 'church', 'university', 'administration', 'other')",
            name=op.f("ck_contact_kind"),
        ),
        sa.CheckConstraint("municipality_id <> place_id", name=op.f("ck_contact_abroad")),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_contact_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["municipality.id"], name=op.f("fk_contact_place_id_municipality")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index("ix_contact_municipality", ["municipality_id"], unique=False)
        batch_op.create_index("ix_contact_place", ["place_id"], unique=False)

    op.create_table(
        "official",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("term_start", sa.String(length=10), nullable=True),
        sa.Column("term_end", sa.String(length=10), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "role IN ('mayor', 'partnership_officer', 'council_member', 'other')",
            name=op.f("ck_official_role"),
        ),
        sa.CheckConstraint(
            "term_end IS NULL OR term_start IS NULL OR term_end >= term_start",
            name=op.f("ck_official_term"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_official_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_official")),
    )
    with op.batch_alter_table("official", schema=None) as batch_op:
        batch_op.create_index("ix_official_municipality", ["municipality_id"], unique=False)

    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("exchange_kind", sa.String(length=16), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=False),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("from_id", sa.Integer(), nullable=True),
        sa.Column("to_id", sa.Integer(), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("invited_from_abroad", sa.Integer(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("funding_source", sa.String(length=200), nullable=True),
        sa.Column("planned", sa.Integer(), server_default="0", nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "exchange_kind IS NULL OR exchange_kind IN ('school', 'youth', 'sports', 'culture', 'economy', 'administration', 'other')",
            name=op.f("ck_activity_exchange_kind"),
        ),
        sa.CheckConstraint(
            "kind IN ('visit', 'delegation', 'exchange', 'project', 'anniversary')",
            name=op.f("ck_activity_kind"),
        ),
        sa.CheckConstraint("days IS NULL OR days >= 0", name=op.f("ck_activity_days")),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_activity_period")
        ),
        sa.CheckConstraint(
            "invited_from_abroad IS NULL OR (invited_from_abroad >= 0 AND (participants IS NULL OR invited_from_abroad <= participants))",
            name=op.f("ck_activity_invited"),
        ),
        sa.CheckConstraint(
            "participants IS NULL OR participants >= 0", name=op.f("ck_activity_participants")
        ),
        sa.ForeignKeyConstraint(
            ["from_id"], ["municipality.id"], name=op.f("fk_activity_from_id_municipality")
        ),
        sa.ForeignKeyConstraint(["link_id"], ["link.id"], name=op.f("fk_activity_link_id_link")),
        sa.ForeignKeyConstraint(
            ["to_id"], ["municipality.id"], name=op.f("fk_activity_to_id_municipality")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index("ix_activity_link", ["link_id", "start_date"], unique=False)

    op.create_table(
        "ambassador",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("home_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("term_start", sa.String(length=10), nullable=False),
        sa.Column("term_end", sa.String(length=10), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("home_id <> host_id", name=op.f("ck_ambassador_abroad")),
        sa.CheckConstraint(
            "term_end IS NULL OR term_end >= term_start", name=op.f("ck_ambassador_term")
        ),
        sa.ForeignKeyConstraint(
            ["home_id"], ["municipality.id"], name=op.f("fk_ambassador_home_id_municipality")
        ),
        sa.ForeignKeyConstraint(
            ["host_id"], ["municipality.id"], name=op.f("fk_ambassador_host_id_municipality")
        ),
        sa.ForeignKeyConstraint(["link_id"], ["link.id"], name=op.f("fk_ambassador_link_id_link")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ambassador")),
    )
    op.create_table(
        "charter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("signed_on", sa.String(length=10), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("signatories", sa.JSON(), nullable=False),
        sa.Column("document_ref", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["link_id"], ["link.id"], name=op.f("fk_charter_link_id_link")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charter")),
        sa.UniqueConstraint("link_id", name=op.f("uq_charter_link_id")),
    )
    op.create_table(
        "confirmation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("proposed_by_side", sa.Integer(), nullable=False),
        sa.Column("proposed_by", sa.String(length=120), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="pending", nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'confirmed', 'rejected', 'withdrawn')",
            name=op.f("ck_confirmation_status"),
        ),
        sa.ForeignKeyConstraint(
            ["link_id"], ["link.id"], name=op.f("fk_confirmation_link_id_link")
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_side"],
            ["municipality.id"],
            name=op.f("fk_confirmation_proposed_by_side_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confirmation")),
    )
    with op.batch_alter_table("confirmation", schema=None) as batch_op:
        batch_op.create_index("ix_confirmation_link", ["link_id", "status"], unique=False)

    op.create_table(
        "dev_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False),
        sa.Column("funders", sa.JSON(), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("budget IS NULL OR budget >= 0", name=op.f("ck_dev_project_budget")),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name=op.f("ck_dev_project_period"),
        ),
        sa.ForeignKeyConstraint(["link_id"], ["link.id"], name=op.f("fk_dev_project_link_id_link")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dev_project")),
    )
    op.create_table(
        "link_actor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("since", sa.String(length=10), nullable=True),
        sa.Column("until", sa.String(length=10), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actor.id"], name=op.f("fk_link_actor_actor_id_actor")
        ),
        sa.ForeignKeyConstraint(["link_id"], ["link.id"], name=op.f("fk_link_actor_link_id_link")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_actor")),
        sa.UniqueConstraint(
            "link_id", "actor_id", "role", name=op.f("uq_link_actor_link_id_actor_id_role")
        ),
    )
    op.create_table(
        "link_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("valid_until", sa.String(length=10), nullable=True),
        sa.Column("topic", sa.Text(), nullable=True),
        sa.Column("projects", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["link_id"], ["link.id"], name=op.f("fk_link_terms_link_id_link")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_terms")),
        sa.UniqueConstraint("link_id", name=op.f("uq_link_terms_link_id")),
    )
    op.create_table(
        "partner_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("size_min", sa.Integer(), nullable=True),
        sa.Column("size_max", sa.Integer(), nullable=True),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("expires_on", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="open", nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("mode IN ('similar', 'contrast')", name=op.f("ck_partner_search_mode")),
        sa.CheckConstraint(
            "status IN ('open', 'closed', 'matched')", name=op.f("ck_partner_search_status")
        ),
        sa.CheckConstraint(
            "size_min IS NULL OR size_max IS NULL OR size_min <= size_max",
            name=op.f("ck_partner_search_size_band"),
        ),
        sa.ForeignKeyConstraint(
            ["link_id"], ["link.id"], name=op.f("fk_partner_search_link_id_link")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_partner_search_municipality_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_search")),
    )
    with op.batch_alter_table("partner_search", schema=None) as batch_op:
        batch_op.create_index("ix_partner_search_open", ["status", "expires_on"], unique=False)

    op.create_table(
        "funding_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_funding_grant_amount")),
        sa.CheckConstraint(
            "link_id IS NOT NULL OR project_id IS NOT NULL", name=op.f("ck_funding_grant_target")
        ),
        sa.ForeignKeyConstraint(
            ["link_id"], ["link.id"], name=op.f("fk_funding_grant_link_id_link")
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_funding_grant_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_funding_grant_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["dev_project.id"], name=op.f("fk_funding_grant_project_id_dev_project")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_grant")),
    )
    op.create_table(
        "project_company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actor.id"], name=op.f("fk_project_company_actor_id_actor")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["dev_project.id"],
            name=op.f("fk_project_company_project_id_dev_project"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_company")),
        sa.UniqueConstraint(
            "project_id", "actor_id", name=op.f("uq_project_company_project_id_actor_id")
        ),
    )
    op.create_table(
        "search_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("search_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(length=16), server_default="open", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'accepted', 'declined', 'withdrawn')",
            name=op.f("ck_search_answer_status"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_search_answer_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["search_id"],
            ["partner_search.id"],
            name=op.f("fk_search_answer_search_id_partner_search"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_answer")),
        sa.UniqueConstraint(
            "search_id", "municipality_id", name=op.f("uq_search_answer_search_id_municipality_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("search_answer")
    op.drop_table("project_company")
    op.drop_table("funding_grant")
    with op.batch_alter_table("partner_search", schema=None) as batch_op:
        batch_op.drop_index("ix_partner_search_open")

    op.drop_table("partner_search")
    op.drop_table("link_terms")
    op.drop_table("link_actor")
    op.drop_table("dev_project")
    with op.batch_alter_table("confirmation", schema=None) as batch_op:
        batch_op.drop_index("ix_confirmation_link")

    op.drop_table("confirmation")
    op.drop_table("charter")
    op.drop_table("ambassador")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_link")

    op.drop_table("activity")
    with op.batch_alter_table("official", schema=None) as batch_op:
        batch_op.drop_index("ix_official_municipality")

    op.drop_table("official")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_place")
        batch_op.drop_index("ix_contact_municipality")

    op.drop_table("contact")
    op.drop_table("award")
    op.drop_table("api_token")
    op.drop_table("actor")
    op.drop_table("account_scope")
    op.drop_table("programme")
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempt_recent")

    op.drop_table("login_attempt")
    op.drop_table("dac_country")
    op.drop_table("account")
