"""Media shown by content: an article version's featured image, an author's portrait, and
documents attached to an article version in order.

Tables of their own rather than columns on ``articles`` and ``authors``: SQLite cannot add a
foreign key to an existing table without rebuilding it, and rebuilding a table that others
reference, with foreign keys on, cascades its deletion to them. Tables also make the
question "what uses this asset?" one kind of query, and are dropped whole to undo.

Assets in use cannot be deleted (RESTRICT); deleting an article or author takes its rows.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _uses(table: str, owner: str, owners: str, *extra: sa.SchemaItem) -> None:
    op.create_table(
        table,
        sa.Column(owner, sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        *extra,
        sa.ForeignKeyConstraint(
            [owner], [f"{owners}.id"], name=op.f(f"fk_{table}_{owner}_{owners}"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["media_assets.id"],
            name=op.f(f"fk_{table}_asset_id_media_assets"),
            ondelete="RESTRICT",
        ),
    )
    op.create_index(op.f(f"ix_{table}_asset_id"), table, ["asset_id"])


def upgrade() -> None:
    _uses(
        "article_featured_images",
        "article_id",
        "articles",
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_featured_images")),
    )
    _uses(
        "author_avatars",
        "author_id",
        "authors",
        sa.PrimaryKeyConstraint("author_id", name=op.f("pk_author_avatars")),
    )
    _uses(
        "article_attachments",
        "article_id",
        "articles",
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "position >= 0", name=op.f("ck_article_attachments_position_not_negative")
        ),
        sa.PrimaryKeyConstraint("article_id", "asset_id", name=op.f("pk_article_attachments")),
        sa.UniqueConstraint(
            "article_id", "position", name=op.f("uq_article_attachments_article_id_position")
        ),
    )


def downgrade() -> None:
    for table in ("article_attachments", "author_avatars", "article_featured_images"):
        op.drop_index(op.f(f"ix_{table}_asset_id"), table_name=table)
        op.drop_table(table)
