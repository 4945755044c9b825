"""The site: its public address and name (one row), titles per language, permalink patterns.

The row is inserted here so every deployment answers URLs at once; administrators change it
with ``updateSite``.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 18:40:00
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("ARTICLE", "PAGE", "SECTION", "AUTHOR", "TAG")


def upgrade() -> None:
    site = op.create_table(
        "site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_site_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site")),
    )
    op.create_table(
        "site_texts",
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["language"],
            ["languages.code"],
            name=op.f("fk_site_texts_language_languages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("language", name=op.f("pk_site_texts")),
    )
    op.create_table(
        "permalink_patterns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*KINDS, name="link_kind", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=35), nullable=True),
        sa.Column("pattern", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["language"],
            ["languages.code"],
            name=op.f("fk_permalink_patterns_language_languages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permalink_patterns")),
    )
    op.bulk_insert(
        site,
        [
            {
                "id": 1,
                "name": "Pressroom",
                "url": "http://localhost:3000",
                "version": 1,
                "updated_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            }
        ],
    )


def downgrade() -> None:
    op.drop_table("permalink_patterns")
    op.drop_table("site_texts")
    op.drop_table("site")
