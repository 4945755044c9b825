from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from publishing.db import Base


class SimilarArticle(Base):
    """One entry of an article's computed list: a published article of the same language
    from another story, with its score (shared tags, then shared words).

    No foreign keys, on purpose: a refresh writes entries naming other articles, and on
    PostgreSQL a foreign key check waits for any writer holding that article's row, who may
    be waiting for this one (a deadlock). Reads join articles, and deleting an article
    removes its entries (publishing.similar.computing)."""

    __tablename__ = "similar_articles"

    article_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Indexed: taking an unpublished article out of every list finds its entries at once.
    similar_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    score: Mapped[float] = mapped_column(Float)


class RelatedArticle(Base):
    """An article an editor pinned as related to another; pins come before computed ones."""

    __tablename__ = "related_articles"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    related_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
