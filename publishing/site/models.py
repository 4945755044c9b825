"""The publication itself: its public address, its name and titles, its permalink patterns."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from publishing.db import Base, UTCDateTime, portable_enum


class LinkKind(enum.StrEnum):
    """What a permalink pattern addresses."""

    ARTICLE = "ARTICLE"
    PAGE = "PAGE"
    SECTION = "SECTION"
    AUTHOR = "AUTHOR"
    TAG = "TAG"


class ArticleSchemaType(enum.StrEnum):
    """The schema.org type an article's structured data declares: a kind of Article that
    says what the publication writes (news, analysis, reports, papers, posts)."""

    NEWS_ARTICLE = "NewsArticle"
    ANALYSIS_NEWS_ARTICLE = "AnalysisNewsArticle"
    ARTICLE = "Article"
    REPORT = "Report"
    SCHOLARLY_ARTICLE = "ScholarlyArticle"
    BLOG_POSTING = "BlogPosting"


class Site(Base):
    """The one row describing the publication (``id`` is always 1)."""

    __tablename__ = "site"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The public site readers visit (the frontend), not this API: every URL answered is on it.
    url: Mapped[str] = mapped_column(String(2000))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Checked and bumped by every change (updateSite's expectedVersion).
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # What articles' JSON-LD says they are (publishing.seo.structured).
    article_schema_type: Mapped[ArticleSchemaType] = mapped_column(
        portable_enum(ArticleSchemaType, "article_schema_type", length=40),
        default=ArticleSchemaType.NEWS_ARTICLE,
    )


class SiteText(Base):
    """The site's title and description in one language (feeds, the home page's head)."""

    __tablename__ = "site_texts"

    language: Mapped[str] = mapped_column(
        ForeignKey("languages.code", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)


class PermalinkPattern(Base):
    """A pattern replacing the default for one kind, in one language or (language NULL) all."""

    __tablename__ = "permalink_patterns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[LinkKind] = mapped_column(portable_enum(LinkKind, "link_kind"))
    language: Mapped[str | None] = mapped_column(ForeignKey("languages.code", ondelete="CASCADE"))
    pattern: Mapped[str] = mapped_column(String(500))
