"""lookup indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.create_index("ix_link_a_id", ["a_id"], unique=False)

    with op.batch_alter_table("network_membership", schema=None) as batch_op:
        batch_op.create_index(
            "ix_network_membership_municipality", ["municipality_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("network_membership", schema=None) as batch_op:
        batch_op.drop_index("ix_network_membership_municipality")

    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.drop_index("ix_link_a_id")
