"""Editors' SEO overrides: one table of the same shape per owner.

An article's language versions are rows of ``articles``, so one row per article is already
per language (pages, whose versions are article rows too, share it). Authors and tags are
language-neutral: their overrides are kept per (owner, language), and so are a section's
(whose names are per language, but whose page is one section): the same shape, the same code.

A row exists only while something is overridden; every field left empty falls back.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from publishing.db import Base

__all__ = [
    "MAX_DESCRIPTION",
    "MAX_TITLE",
    "ArticleSeo",
    "AuthorSeo",
    "SectionSeo",
    "SeoColumns",
    "TagSeo",
]

MAX_TITLE = 300
MAX_DESCRIPTION = 1000


class SeoColumns:
    """The overrides every owner has; None (or False) falls back."""

    title: Mapped[str | None] = mapped_column(String(MAX_TITLE))
    description: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(String(2000))
    noindex: Mapped[bool] = mapped_column(Boolean, default=False)
    # The image shared on social networks; an asset in use cannot be deleted.
    social_image_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_assets.id", ondelete="RESTRICT"), index=True
    )


class ArticleSeo(SeoColumns, Base):
    """The overrides of one language version (an article or a page): part of its version,
    changed through the article's mutations and kept in its revisions."""

    __tablename__ = "article_seo"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )


class AuthorSeo(SeoColumns, Base):
    """An author's page's overrides in one language."""

    __tablename__ = "author_seo"

    author_id: Mapped[int] = mapped_column(
        ForeignKey("authors.id", ondelete="CASCADE"), primary_key=True
    )
    # A language stays enabled while content uses it.
    language: Mapped[str] = mapped_column(
        ForeignKey("languages.code", ondelete="RESTRICT"), primary_key=True
    )


class TagSeo(SeoColumns, Base):
    """A tag's page's overrides in one language."""

    __tablename__ = "tag_seo"

    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(
        ForeignKey("languages.code", ondelete="RESTRICT"), primary_key=True
    )


class SectionSeo(SeoColumns, Base):
    """A section's page's overrides in one language."""

    __tablename__ = "section_seo"

    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(
        ForeignKey("languages.code", ondelete="RESTRICT"), primary_key=True
    )
