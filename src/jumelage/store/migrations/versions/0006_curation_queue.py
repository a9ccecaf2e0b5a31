"""curation queue and the Wikidata refresh

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "curation_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("places", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=8), server_default="open", nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("decision_data", sa.JSON(), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('duplicate', 'uncertain_merge', 'suspicious_point', 'unlabelled', "
            "'refresh_contradiction')",
            name=op.f("ck_curation_item_kind"),
        ),
        sa.CheckConstraint("status IN ('open', 'decided')", name=op.f("ck_curation_item_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_curation_item")),
        sa.UniqueConstraint("key", name=op.f("uq_curation_item_key")),
    )
    with op.batch_alter_table("curation_item", schema=None) as batch_op:
        batch_op.create_index("ix_curation_item_status_kind", ["status", "kind"], unique=False)
    op.create_table(
        "wikidata_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("a_qid", sa.String(length=16), nullable=False),
        sa.Column("b_qid", sa.String(length=16), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wikidata_statement")),
        sa.UniqueConstraint("a_qid", "b_qid", name=op.f("uq_wikidata_statement_a_qid_b_qid")),
    )
    op.create_table(
        "wikidata_refresh",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("file", sa.String(length=300), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wikidata_refresh")),
    )


def downgrade() -> None:
    op.drop_table("wikidata_refresh")
    op.drop_table("wikidata_statement")
    with op.batch_alter_table("curation_item", schema=None) as batch_op:
        batch_op.drop_index("ix_curation_item_status_kind")
    op.drop_table("curation_item")
