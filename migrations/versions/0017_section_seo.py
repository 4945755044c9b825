"""Sections' SEO overrides, per language, of the same shape as authors' and tags' (0015): a
table of their own, a row only while something is overridden; a social image in use cannot
be deleted (RESTRICT), and a section's rows go with it (CASCADE).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "section_seo"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("canonical_url", sa.String(length=2000), nullable=True),
        sa.Column("noindex", sa.Boolean(), nullable=False),
        sa.Column("social_image_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f(f"fk_{TABLE}_section_id_sections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["language"],
            ["languages.code"],
            name=op.f(f"fk_{TABLE}_language_languages"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["social_image_id"],
            ["media_assets.id"],
            name=op.f(f"fk_{TABLE}_social_image_id_media_assets"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("section_id", "language", name=op.f(f"pk_{TABLE}")),
    )
    op.create_index(op.f(f"ix_{TABLE}_social_image_id"), TABLE, ["social_image_id"])


def downgrade() -> None:
    op.drop_index(op.f(f"ix_{TABLE}_social_image_id"), table_name=TABLE)
    op.drop_table(TABLE)
