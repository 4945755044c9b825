"""What follows a change: every writer calls these inside its transaction, after the change
is flushed and before it commits, so no writer can forget a follow-up (search index, similar
posts, cache invalidation, webhook outbox) and a rolled-back change leaves no trace of one.

Each follow-up is one awaited call below, owned by its package."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article
from publishing.changes import log as changes
from publishing.search import indexing as search_index
from publishing.similar import computing as similar_posts
from publishing.surrogate import media_key
from publishing.webhooks import outbox as webhooks


class ArticleEvent(enum.StrEnum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    PUBLISHED = "PUBLISHED"
    UNPUBLISHED = "UNPUBLISHED"
    ARCHIVED = "ARCHIVED"
    DELETED = "DELETED"  # called before the row goes, so followers can still read it


async def article_changed(
    session: AsyncSession, article: Article, event: ArticleEvent, *, now: dt.datetime
) -> None:
    """An article was created, changed, moved between statuses, or is about to be deleted
    (at ``now``: what readers can see then decides what subscribers hear)."""
    await webhooks.article_changed(session, article, event, now=now)
    await changes.article_written(session, article, event, now=now)
    # Search first: similar posts find their text candidates through the index.
    await search_index.article_changed(session, article.id, deleted=event is ArticleEvent.DELETED)
    await similar_posts.article_changed(
        session,
        article.id,
        deleted=event is ArticleEvent.DELETED,
        edited=event is ArticleEvent.UPDATED,
    )


async def author_changed(
    session: AsyncSession, author_id: int, *, now: dt.datetime, deleted: bool = False
) -> None:
    """An author (name, slug, avatar, bios) was created, changed or is about to be deleted."""
    await webhooks.author_changed(session, author_id, now=now, deleted=deleted)
    await changes.author_written(session, author_id, now=now)


async def tag_changed(
    session: AsyncSession, tag_id: int, *, now: dt.datetime, deleted: bool = False
) -> None:
    """A tag or its names was created, changed or is about to be deleted."""
    await changes.tag_written(session, tag_id, now=now)


async def media_changed(
    session: AsyncSession,
    asset_id: int,
    *,
    now: dt.datetime,
    created: bool = False,
    deleted: bool = False,
) -> None:
    """A media asset was taken in, described anew (alt text, caption, credit, focal point) or
    is about to be deleted: every cached answer showing it (an article's card, body or
    attachments, an author's portrait) carries its key and is dropped."""
    await webhooks.media_changed(session, asset_id, now=now, created=created, deleted=deleted)
    await changes.record(session, [media_key(asset_id)], now=now)
