"""The search index's own table: one row of plain text per article (both backends), plus the
weighted ``tsvector`` PostgreSQL searches (on SQLite the FTS5 tables read this row instead)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from publishing.db import Base


class ArticleSearch(Base):
    __tablename__ = "article_search"
    __table_args__ = (Index("ix_article_search_document", "document", postgresql_using="gin"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    # PostgreSQL: the text search configuration ("english", "simple"); SQLite: which FTS5
    # table holds the row ("porter" or "plain"). Stored, so a removal needs no lookup.
    config: Mapped[str] = mapped_column(String(20))
    # Plain text (Markdown rendered, footnote markers gone): what is searched and quoted.
    title: Mapped[str] = mapped_column(Text)
    lead: Mapped[str] = mapped_column(Text, default="")  # subtitle and excerpt
    body: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")  # footnotes and their sources
    # Weighted lexemes, PostgreSQL only (NULL on SQLite): A title, B lead, C body, D notes.
    document: Mapped[str | None] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))
