"""Full-text search index and similar posts: filled for the articles that exist already.

PostgreSQL searches a weighted tsvector column of article_search; SQLite searches two FTS5
tables (English stemmed with Porter, every other language unstemmed) that read their text
from article_search. The backfill calls the same indexing and similar-posts code the
application runs on every write; should that code ever stop fitting this revision's tables,
freeze a copy of it here.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 03:31:57.617537
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from publishing.search import fts
from publishing.search.indexing import rebuild_index
from publishing.similar.computing import rebuild as rebuild_similar

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_search",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("config", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("lead", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "document", postgresql.TSVECTOR().with_variant(sa.Text(), "sqlite"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_search_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_search")),
    )
    op.create_index(
        "ix_article_search_document",
        "article_search",
        ["document"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_table(
        "related_articles",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("related_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_related_articles_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["related_id"],
            ["articles.id"],
            name=op.f("fk_related_articles_related_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "related_id", name=op.f("pk_related_articles")),
    )
    op.create_index(
        op.f("ix_related_articles_related_id"), "related_articles", ["related_id"], unique=False
    )
    op.create_table(
        "similar_articles",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("similar_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "similar_id", name=op.f("pk_similar_articles")),
    )
    op.create_index(
        op.f("ix_similar_articles_similar_id"), "similar_articles", ["similar_id"], unique=False
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in fts.create_statements():
            op.execute(statement)
    # Articles written before this revision: index them and compute their similar posts.
    rebuild_index(bind)
    rebuild_similar(bind)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in fts.drop_statements():
            op.execute(statement)
    op.drop_index(op.f("ix_similar_articles_similar_id"), table_name="similar_articles")
    op.drop_table("similar_articles")
    op.drop_index(op.f("ix_related_articles_related_id"), table_name="related_articles")
    op.drop_table("related_articles")
    op.drop_index("ix_article_search_document", table_name="article_search", postgresql_using="gin")
    op.drop_table("article_search")
