"""Imported media: what each WordPress attachment (or upload a body shows) became, or why it
is still pending.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 20:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "imported_media",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=50), nullable=False),
        sa.Column("site", sa.String(length=500), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=True),
        sa.Column("failure", sa.String(length=500), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_imported_media_attempts_not_negative")),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["media_assets.id"],
            name=op.f("fk_imported_media_asset_id_media_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_media")),
        sa.UniqueConstraint(
            "system",
            "site",
            "external_id",
            name=op.f("uq_imported_media_system_site_external_id"),
        ),
    )
    op.create_index(
        op.f("ix_imported_media_asset_id"), "imported_media", ["asset_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_imported_media_asset_id"), table_name="imported_media")
    op.drop_table("imported_media")
