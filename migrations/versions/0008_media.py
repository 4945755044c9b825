"""Media assets and their alt texts and captions per language.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_assets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "IMAGE",
                "DOCUMENT",
                "AUDIO",
                "VIDEO",
                name="media_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("byte_size", sa.BigInteger(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("focal_x", sa.Float(), nullable=True),
        sa.Column("focal_y", sa.Float(), nullable=True),
        sa.Column("credit", sa.String(length=300), nullable=True),
        sa.Column("placeholder", sa.String(length=100), nullable=True),
        sa.Column("dominant_color", sa.String(length=7), nullable=True),
        sa.Column("derived_with", sa.String(length=40), nullable=True),
        sa.Column("uploaded_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_media_assets_version_positive")),
        sa.CheckConstraint("byte_size >= 0", name=op.f("ck_media_assets_byte_size_not_negative")),
        sa.CheckConstraint(
            "(width IS NULL AND height IS NULL) OR (width > 0 AND height > 0)",
            name=op.f("ck_media_assets_dimensions_positive"),
        ),
        sa.CheckConstraint(
            "(focal_x IS NULL AND focal_y IS NULL) OR "
            "(focal_x >= 0 AND focal_x <= 1 AND focal_y >= 0 AND focal_y <= 1)",
            name=op.f("ck_media_assets_focal_point_in_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_assets")),
        sa.UniqueConstraint("key", name=op.f("uq_media_assets_key")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_media_assets_content_hash")),
    )
    op.create_index("ix_media_assets_library", "media_assets", ["kind", "id"], unique=False)
    op.create_table(
        "media_texts",
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("alt", sa.Text(), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "alt IS NOT NULL OR caption IS NOT NULL", name=op.f("ck_media_texts_alt_or_caption")
        ),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["media_assets.id"],
            name=op.f("fk_media_texts_asset_id_media_assets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["language"],
            ["languages.code"],
            name=op.f("fk_media_texts_language_languages"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("asset_id", "language", name=op.f("pk_media_texts")),
    )


def downgrade() -> None:
    op.drop_table("media_texts")
    op.drop_index("ix_media_assets_library", table_name="media_assets")
    op.drop_table("media_assets")
