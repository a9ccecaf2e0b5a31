"""registry core

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_object", ["object_type", "object_id"], unique=False)

    op.create_table(
        "municipality",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("qid", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_folded", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), server_default="municipality", nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("admin_area", sa.String(length=200), nullable=True),
        sa.Column("admin_code", sa.String(length=16), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("population", sa.BigInteger(), nullable=True),
        sa.Column("population_year", sa.Integer(), nullable=True),
        sa.Column("population_source", sa.String(length=40), nullable=True),
        sa.Column("geonames_id", sa.Integer(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("merged_on", sa.String(length=10), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('municipality', 'city', 'district', 'region')",
            name=op.f("ck_municipality_kind"),
        ),
        sa.CheckConstraint("qid IS NULL OR qid LIKE 'Q%'", name=op.f("ck_municipality_qid")),
        sa.CheckConstraint(
            "lat IS NULL OR (lat >= -90 AND lat <= 90)", name=op.f("ck_municipality_lat")
        ),
        sa.CheckConstraint(
            "lon IS NULL OR (lon >= -180 AND lon <= 180)", name=op.f("ck_municipality_lon")
        ),
        sa.CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id <> id",
            name=op.f("ck_municipality_not_merged_into_self"),
        ),
        sa.CheckConstraint(
            "population IS NULL OR population >= 0", name=op.f("ck_municipality_population")
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["municipality.id"],
            name=op.f("fk_municipality_merged_into_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipality")),
        sa.UniqueConstraint("qid", name=op.f("uq_municipality_qid")),
    )
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_municipality__name_folded"), ["name_folded"], unique=False
        )
        batch_op.create_index(
            "ix_municipality_country_name", ["country", "name_folded"], unique=False
        )

    op.create_table(
        "network",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("founded", sa.String(length=10), nullable=True),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("source", sa.Text(), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network")),
        sa.UniqueConstraint("key", name=op.f("uq_network_key")),
    )
    op.create_table(
        "registry_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("bundled_dataset", sa.String(length=80), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_registry_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_state")),
    )
    op.create_table(
        "sovereignty_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_key", sa.String(length=8), nullable=False),
        sa.Column("state_name", sa.String(length=120), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("admin_code", sa.String(length=16), nullable=True),
        sa.Column("valid_from", sa.String(length=10), nullable=True),
        sa.Column("valid_to", sa.String(length=10), nullable=True),
        sa.Column("note", sa.String(length=200), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sovereignty_period")),
    )
    with op.batch_alter_table("sovereignty_period", schema=None) as batch_op:
        batch_op.create_index("ix_sovereignty_period_country", ["country"], unique=False)

    op.create_table(
        "link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("a_id", sa.Integer(), nullable=False),
        sa.Column("b_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_a", sa.String(length=16), nullable=False),
        sa.Column("status_b", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "level IN ('partnership', 'friendship', 'contact', 'project')",
            name=op.f("ck_link_level"),
        ),
        sa.CheckConstraint(
            "status IN ('proposed', 'exploring', 'resolved', 'signed', 'active', 'suspended', 'ended')",
            name=op.f("ck_link_status"),
        ),
        sa.CheckConstraint(
            "status_a IN ('proposed', 'exploring', 'resolved', 'signed', 'active', 'suspended', 'ended')",
            name=op.f("ck_link_status_a"),
        ),
        sa.CheckConstraint(
            "status_b IN ('proposed', 'exploring', 'resolved', 'signed', 'active', 'suspended', 'ended')",
            name=op.f("ck_link_status_b"),
        ),
        sa.CheckConstraint("a_id < b_id", name=op.f("ck_link_ordered_pair")),
        sa.CheckConstraint("a_id <> b_id", name=op.f("ck_link_not_self")),
        sa.CheckConstraint(
            "end_date IS NULL OR length(end_date) IN (4, 7, 10)", name=op.f("ck_link_end_date")
        ),
        sa.CheckConstraint(
            "start_date IS NULL OR length(start_date) IN (4, 7, 10)",
            name=op.f("ck_link_start_date"),
        ),
        sa.ForeignKeyConstraint(
            ["a_id"], ["municipality.id"], name=op.f("fk_link_a_id_municipality")
        ),
        sa.ForeignKeyConstraint(
            ["b_id"], ["municipality.id"], name=op.f("fk_link_b_id_municipality")
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"], ["municipality.id"], name=op.f("fk_link_ended_by_id_municipality")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link")),
    )
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.create_index("ix_link_b_id", ["b_id"], unique=False)
        batch_op.create_index(
            "uq_link_pair_level_live",
            ["a_id", "b_id", "level"],
            unique=True,
            sqlite_where=sa.text("status != 'ended'"),
            postgresql_where=sa.text("status != 'ended'"),
        )

    op.create_table(
        "municipality_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("folded", sa.String(length=200), nullable=False),
        sa.Column("folded_alt", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_municipality_name_municipality_id_municipality"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_municipality_name")),
        sa.UniqueConstraint(
            "municipality_id",
            "lang",
            "name",
            name=op.f("uq_municipality_name_municipality_id_lang_name"),
        ),
    )
    with op.batch_alter_table("municipality_name", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_municipality_name__folded"), ["folded"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_municipality_name__folded_alt"), ["folded_alt"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_municipality_name__municipality_id"), ["municipality_id"], unique=False
        )

    op.create_table(
        "network_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("joined_on", sa.String(length=10), nullable=True),
        sa.Column("left_on", sa.String(length=10), nullable=True),
        sa.Column("source", sa.Text(), server_default="", nullable=False),
        sa.Column("verified", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "left_on IS NULL OR joined_on IS NULL OR joined_on <= left_on",
            name=op.f("ck_network_membership_period"),
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_network_membership_municipality_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["network.id"], name=op.f("fk_network_membership_network_id_network")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_membership")),
        sa.UniqueConstraint(
            "network_id",
            "municipality_id",
            "joined_on",
            name=op.f("uq_network_membership_network_id_municipality_id_joined_on"),
        ),
    )
    op.create_table(
        "succession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("source", sa.Text(), server_default="", nullable=False),
        sa.CheckConstraint("predecessor_id <> successor_id", name=op.f("ck_succession_not_self")),
        sa.ForeignKeyConstraint(
            ["predecessor_id"],
            ["municipality.id"],
            name=op.f("fk_succession_predecessor_id_municipality"),
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"],
            ["municipality.id"],
            name=op.f("fk_succession_successor_id_municipality"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_succession")),
        sa.UniqueConstraint("predecessor_id", name=op.f("uq_succession_predecessor_id")),
    )
    op.create_table(
        "link_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("side_id", sa.Integer(), nullable=True),
        sa.Column("from_value", sa.String(length=200), nullable=True),
        sa.Column("to_value", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["link_id"], ["link.id"], name=op.f("fk_link_event_link_id_link"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["side_id"], ["municipality.id"], name=op.f("fk_link_event_side_id_municipality")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_event")),
    )
    with op.batch_alter_table("link_event", schema=None) as batch_op:
        batch_op.create_index("ix_link_event_link_id", ["link_id", "id"], unique=False)

    op.create_table(
        "link_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("reference", sa.Text(), server_default="", nullable=False),
        sa.Column("name_a", sa.String(length=200), nullable=True),
        sa.Column("name_b", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["link_id"], ["link.id"], name=op.f("fk_link_source_link_id_link"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_source")),
        sa.UniqueConstraint(
            "link_id",
            "source",
            "reference",
            "name_a",
            "name_b",
            name=op.f("uq_link_source_link_id_source_reference_name_a_name_b"),
        ),
    )
    registry_state_table = sa.table(
        "registry_state", sa.column("id", sa.Integer), sa.column("data_version", sa.Integer)
    )
    op.bulk_insert(registry_state_table, [{"id": 1, "data_version": 0}])


def downgrade() -> None:
    op.drop_table("link_source")
    with op.batch_alter_table("link_event", schema=None) as batch_op:
        batch_op.drop_index("ix_link_event_link_id")

    op.drop_table("link_event")
    op.drop_table("succession")
    op.drop_table("network_membership")
    with op.batch_alter_table("municipality_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipality_name__municipality_id"))
        batch_op.drop_index(batch_op.f("ix_municipality_name__folded_alt"))
        batch_op.drop_index(batch_op.f("ix_municipality_name__folded"))

    op.drop_table("municipality_name")
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_link_pair_level_live",
            sqlite_where=sa.text("status != 'ended'"),
            postgresql_where=sa.text("status != 'ended'"),
        )
        batch_op.drop_index("ix_link_b_id")

    op.drop_table("link")
    with op.batch_alter_table("sovereignty_period", schema=None) as batch_op:
        batch_op.drop_index("ix_sovereignty_period_country")

    op.drop_table("sovereignty_period")
    op.drop_table("registry_state")
    op.drop_table("network")
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.drop_index("ix_municipality_country_name")
        batch_op.drop_index(batch_op.f("ix_municipality__name_folded"))

    op.drop_table("municipality")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_object")

    op.drop_table("audit_log")
