"""What follows a change: every writer calls these inside its transaction, after the change
is flushed and before it commits, so no writer can forget a follow-up (search index, similar
posts, cache invalidation, webhook outbox) and a rolled-back change leaves no trace of one.

Each follow-up is one awaited call below, owned by its package."""

from __future__ import annotations

import enum

from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article


class ArticleEvent(enum.StrEnum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    PUBLISHED = "PUBLISHED"
    UNPUBLISHED = "UNPUBLISHED"
    ARCHIVED = "ARCHIVED"
    DELETED = "DELETED"  # called before the row goes, so followers can still read it


async def article_changed(session: AsyncSession, article: Article, event: ArticleEvent) -> None:
    """An article was created, changed, moved between statuses, or is about to be deleted."""


async def author_changed(session: AsyncSession, author_id: int, *, deleted: bool = False) -> None:
    """An author (name, slug, avatar, bios) was created, changed or is about to be deleted."""


async def tag_changed(session: AsyncSession, tag_id: int, *, deleted: bool = False) -> None:
    """A tag or its names was created, changed or is about to be deleted."""
