"""Import records: what each imported post, author and term became, with a fingerprint.

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-28 03:28:21.111640
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=50), nullable=False),
        sa.Column("site", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("tag_id", sa.Integer(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("target_version", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN article_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN author_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN tag_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_import_records_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_import_records_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["authors.id"],
            name=op.f("fk_import_records_author_id_authors"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_import_records_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_records")),
        sa.UniqueConstraint(
            "system",
            "site",
            "kind",
            "external_id",
            name=op.f("uq_import_records_system_site_kind_external_id"),
        ),
    )
    op.create_index(
        op.f("ix_import_records_article_id"), "import_records", ["article_id"], unique=False
    )
    op.create_index(
        op.f("ix_import_records_author_id"), "import_records", ["author_id"], unique=False
    )
    op.create_index(op.f("ix_import_records_tag_id"), "import_records", ["tag_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_import_records_tag_id"), table_name="import_records")
    op.drop_index(op.f("ix_import_records_author_id"), table_name="import_records")
    op.drop_index(op.f("ix_import_records_article_id"), table_name="import_records")
    op.drop_table("import_records")
