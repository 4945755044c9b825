"""The content change log that caches in every process read to drop what a write changed.

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-28 03:25:23.657762
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "content_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("keys", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_changes")),
    )


def downgrade() -> None:
    op.drop_table("content_changes")
