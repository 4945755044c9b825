from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from publishing.db import Base, UTCDateTime, portable_enum
from publishing.footnotes.references import NumberingStyle


class ArticleStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    # Published with a future published_at is "scheduled": visibility needs no background job.
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class StoryKind(enum.StrEnum):
    """What a story is: an article (dated, listed, tagged) or a page (About, Team, Privacy:
    undated, listed by title). Both share the versions, body, footnotes, media, revisions,
    credits and workflow; each read path names the kind it serves."""

    ARTICLE = "ARTICLE"
    PAGE = "PAGE"


class CreditRole(enum.StrEnum):
    AUTHOR = "AUTHOR"
    TRANSLATOR = "TRANSLATOR"
    EDITOR = "EDITOR"


story_tags = Table(
    "story_tags",
    Base.metadata,
    Column("story_id", ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
    Column("position", Integer, nullable=False, default=0),
)


class Story(Base):
    """The language-neutral identity of a piece; every language version belongs to one."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    original_language: Mapped[str] = mapped_column(
        ForeignKey("languages.code", ondelete="RESTRICT")
    )
    # Slugs stay unique per language across kinds: a page and an article never share one.
    kind: Mapped[StoryKind] = mapped_column(
        portable_enum(StoryKind, "story_kind"),
        default=StoryKind.ARTICLE,
        server_default=StoryKind.ARTICLE.value,
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Where the story is filed first (publishing.sections; others in story_sections). No ON
    # DELETE: the default (NO ACTION) refuses too, and SQLite adds it without a table rebuild.
    primary_section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), index=True)
    # Put forward by editors (WordPress's sticky posts come in so); frontends decide how.
    featured: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    articles: Mapped[list[Article]] = relationship(back_populates="story")


class Article(Base):
    """One language version of a story."""

    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("language", "slug"),
        UniqueConstraint("story_id", "language"),
        CheckConstraint("version >= 1", name="version_positive"),
        # "Newest published in a language", and across languages: the listings' keyset order.
        Index("ix_articles_language_listing", "language", "status", "published_at", "id"),
        Index("ix_articles_listing", "status", "published_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(ForeignKey("languages.code", ondelete="RESTRICT"))
    slug: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str | None] = mapped_column(String(500))
    excerpt: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    numbering_style: Mapped[NumberingStyle] = mapped_column(
        portable_enum(NumberingStyle, "numbering_style"), default=NumberingStyle.ARABIC
    )
    status: Mapped[ArticleStatus] = mapped_column(
        portable_enum(ArticleStatus, "article_status"), default=ArticleStatus.DRAFT
    )
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Bumped by every change; updates carry the version they read (optimistic locking).
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The version at which body or footnotes last changed, and when: what translations follow.
    content_version: Mapped[int] = mapped_column(Integer, default=1)
    content_updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # For a translation: the original's version it was translated from (None for an original).
    source_version: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    story: Mapped[Story] = relationship(back_populates="articles")

    # Every UPDATE checks and bumps the version, so a concurrent writer's flush fails.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ContributorCredit(Base):
    """An author credited on a story (all versions) or on one version (e.g. its translator)."""

    __tablename__ = "contributor_credits"
    __table_args__ = (
        CheckConstraint("(story_id IS NULL) <> (article_id IS NULL)", name="on_story_or_article"),
        UniqueConstraint("story_id", "role", "author_id"),
        UniqueConstraint("article_id", "role", "author_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    # Credited authors cannot be deleted out from under their work.
    author_id: Mapped[int] = mapped_column(
        ForeignKey("authors.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[CreditRole] = mapped_column(portable_enum(CreditRole, "credit_role"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ArticleRevision(Base):
    """A full snapshot of an article after each successful change; history is never rewritten."""

    __tablename__ = "article_revisions"
    __table_args__ = (UniqueConstraint("article_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # Who made the change: a token's name, or the process that wrote it (seed, import).
    created_by: Mapped[str] = mapped_column(String(200))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
