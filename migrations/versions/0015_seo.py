"""SEO: editors' overrides of title, description, canonical URL, noindex and social image, for
article versions (pages too: their versions are article rows), and per language for authors
and tags; and the schema.org type of articles' structured data, a site setting.

Tables of their own rather than columns on ``articles``, ``authors`` and ``tags``: SQLite
cannot add a foreign key (the social image) to an existing table without rebuilding it, and
rebuilding a table others reference cascades its deletion to them (see 0009). One table per
owner, all of one shape, so a section's is the same few lines; a row exists only while
something is overridden. Social images in use cannot be deleted (RESTRICT).

The site's new column is added in place on both backends (no foreign key), its CHECK
constraint with it: SQLite accepts a column constraint in ADD COLUMN.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA_TYPES = (
    "NewsArticle",
    "AnalysisNewsArticle",
    "Article",
    "Report",
    "ScholarlyArticle",
    "BlogPosting",
)
CONSTRAINT = "ck_site_article_schema_type"
CHECK = "article_schema_type IN (" + ", ".join(f"'{t}'" for t in SCHEMA_TYPES) + ")"


def _overrides(table: str, *owner: sa.SchemaItem) -> None:
    op.create_table(
        table,
        *owner,
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("canonical_url", sa.String(length=2000), nullable=True),
        sa.Column("noindex", sa.Boolean(), nullable=False),
        sa.Column("social_image_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["social_image_id"],
            ["media_assets.id"],
            name=op.f(f"fk_{table}_social_image_id_media_assets"),
            ondelete="RESTRICT",
        ),
    )
    op.create_index(op.f(f"ix_{table}_social_image_id"), table, ["social_image_id"])


def _per_language(table: str, owner: str, owners: str) -> None:
    _overrides(
        table,
        sa.Column(owner, sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.ForeignKeyConstraint(
            [owner], [f"{owners}.id"], name=op.f(f"fk_{table}_{owner}_{owners}"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["language"],
            ["languages.code"],
            name=op.f(f"fk_{table}_language_languages"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(owner, "language", name=op.f(f"pk_{table}")),
    )


def upgrade() -> None:
    _overrides(
        "article_seo",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_seo_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_seo")),
    )
    _per_language("author_seo", "author_id", "authors")
    _per_language("tag_seo", "tag_id", "tags")
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE site ADD COLUMN article_schema_type VARCHAR(40) "
            f"DEFAULT 'NewsArticle' NOT NULL CONSTRAINT {CONSTRAINT} CHECK ({CHECK})"
        )
    else:
        op.add_column(
            "site",
            sa.Column(
                "article_schema_type",
                sa.String(length=40),
                server_default="NewsArticle",
                nullable=False,
            ),
        )
        op.create_check_constraint(op.f(CONSTRAINT), "site", CHECK)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f(CONSTRAINT), "site", type_="check")
    op.drop_column("site", "article_schema_type")
    for table in ("tag_seo", "author_seo", "article_seo"):
        op.drop_index(op.f(f"ix_{table}_social_image_id"), table_name=table)
        op.drop_table(table)
