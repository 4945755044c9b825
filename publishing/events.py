"""What follows a change: every writer calls these inside its transaction, after the change
is flushed and before it commits, so no writer can forget a follow-up (search index, similar
posts, cache invalidation, webhook outbox) and a rolled-back change leaves no trace of one.

Each follow-up is one awaited call below, owned by its package."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection

from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.kinds import kind_of
from publishing.articles.models import Article, Story, StoryKind
from publishing.changes import log as changes
from publishing.search import indexing as search_index
from publishing.similar import computing as similar_posts
from publishing.surrogate import media_key, menu_key, section_surrogate_keys
from publishing.translations import machine_marks
from publishing.translations.tasks import editing as translation_tasks
from publishing.webhooks import outbox as webhooks


class ArticleEvent(enum.StrEnum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    PUBLISHED = "PUBLISHED"
    UNPUBLISHED = "UNPUBLISHED"
    ARCHIVED = "ARCHIVED"
    DELETED = "DELETED"  # called before the row goes, so followers can still read it


# A bulk writer (an import) may defer the search index and similar-post lists of the articles
# it writes and bring them up to date once, at its end (``catch_up``), rather than after each
# of its thousands of writes. The set of deferred article ids rides on each of its sessions.
_DEFERRED = "pressroom.deferred_articles"
_CATCH_UP_BATCH = 500


def defer_derived(session: AsyncSession, deferred: set[int]) -> None:
    """Article writes in ``session`` add their ids to ``deferred`` instead of re-indexing."""
    session.info[_DEFERRED] = deferred


async def catch_up(session: AsyncSession, article_ids: Collection[int]) -> None:
    """The search index, then the similar-post lists, of these articles and of the other
    versions of their stories (tags are the story's), brought up to date."""
    ids = sorted(article_ids)
    for start in range(0, len(ids), _CATCH_UP_BATCH):
        batch = ids[start : start + _CATCH_UP_BATCH]
        await session.run_sync(lambda s, batch=batch: search_index.index_articles(s, batch))
    versions = list(
        await session.scalars(
            select(Article.id)
            .where(Article.story_id.in_(select(Article.story_id).where(Article.id.in_(ids))))
            .order_by(Article.id)
        )
    )
    await session.run_sync(lambda s: similar_posts.refresh_many(s, versions))


async def article_changed(
    session: AsyncSession, article: Article, event: ArticleEvent, *, now: dt.datetime
) -> None:
    """An article (or a page) was created, changed, moved between statuses, or is about to be
    deleted (at ``now``: what readers can see then decides what subscribers hear)."""
    kind = await kind_of(session, article)
    heard = await webhooks.article_changed(session, article, event, now=now, kind=kind)
    # An edit that announced a scheduled publication is its publication for subscribers.
    logged = ArticleEvent.PUBLISHED if heard.announced else event
    await changes.article_written(
        session, article, logged, now=now, kind=kind, was_public=heard.was_public
    )
    if event is not ArticleEvent.DELETED and not await _is_original(session, article):
        if event is ArticleEvent.UPDATED:
            # Machine-made segments a person has since edited are machine-made no more.
            await machine_marks.translation_written(session, article)
        # A translation's own life moves its assignments: written, then published.
        await translation_tasks.translation_followed(
            session,
            article,
            written=event in (ArticleEvent.CREATED, ArticleEvent.UPDATED),
            published=event is ArticleEvent.PUBLISHED,
            now=now,
        )
    if kind is StoryKind.PAGE:
        # Pages are searched (searchPages) but are never anyone's similar post.
        await search_index.article_changed(
            session, article.id, deleted=event is ArticleEvent.DELETED
        )
        return
    deferred: set[int] | None = session.info.get(_DEFERRED)
    if deferred is not None and event is not ArticleEvent.DELETED:
        deferred.add(article.id)
        return
    # Search first: similar posts find their text candidates through the index.
    await search_index.article_changed(session, article.id, deleted=event is ArticleEvent.DELETED)
    await similar_posts.article_changed(
        session,
        article.id,
        deleted=event is ArticleEvent.DELETED,
        edited=event is ArticleEvent.UPDATED,
    )


async def shown_data_changed(session: AsyncSession, article: Article, *, now: dt.datetime) -> None:
    """What ``article`` shows changed through another version of its story: the story's
    tags, credits, sections or featured flag, or (for a translation) its original's text,
    which its translation status follows. Caches and subscribers hear of it as an update of
    this version, if readers can see it. Search has nothing to do (its documents hold none of
    that), nor similar posts (the writing version's follow-up refreshed the whole story's)."""
    kind = await kind_of(session, article)
    await webhooks.article_changed(session, article, ArticleEvent.UPDATED, now=now, kind=kind)
    await changes.article_written(session, article, ArticleEvent.UPDATED, now=now, kind=kind)


async def _is_original(session: AsyncSession, article: Article) -> bool:
    if "story" not in inspect(article).unloaded:
        return article.language == article.story.original_language
    original_language = await session.scalar(
        select(Story.original_language).where(Story.id == article.story_id)
    )
    return article.language == original_language


async def original_content_changed(
    session: AsyncSession, original: Article, *, previous_content_version: int, now: dt.datetime
) -> None:
    """An original's body or footnotes changed (its content version was
    ``previous_content_version`` before): each translation that followed the text until now
    is outdated from this change on, and subscribers hear it once (those already behind
    heard it when they fell behind)."""
    translations = await session.scalars(
        select(Article)
        .where(
            Article.story_id == original.story_id,
            Article.id != original.id,
            func.coalesce(Article.source_version, 0) >= previous_content_version,
        )
        .order_by(Article.language)
    )
    kind = await kind_of(session, original)
    for translation in translations:
        await webhooks.translation_outdated(session, translation, now=now, kind=kind)


async def translation_submitted(
    session: AsyncSession, translation: Article, *, now: dt.datetime
) -> None:
    """A translator handed ``translation`` in for review (its tasks already moved)."""
    kind = await kind_of(session, translation)
    await webhooks.translation_submitted(session, translation, now=now, kind=kind)


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


async def section_changed(
    session: AsyncSession,
    section_id: int,
    *,
    now: dt.datetime,
    created: bool = False,
    deleted: bool = False,
) -> None:
    """A section (texts, parent, position, image) was created, changed or is about to be
    deleted: its page, every breadcrumb and menu showing it carry its key; the sitemaps list
    every section by slug."""
    await webhooks.section_changed(session, section_id, now=now, created=created, deleted=deleted)
    await changes.record(session, section_surrogate_keys(section_id), now=now)


async def menu_changed(session: AsyncSession, menu_id: int, *, now: dt.datetime) -> None:
    """A menu was created or its items replaced."""
    await webhooks.menu_changed(session, menu_id, now=now)
    await changes.record(session, [menu_key(menu_id)], now=now)


async def site_changed(session: AsyncSession, *, now: dt.datetime) -> None:
    """The site's address, name, titles or permalink patterns changed: every public URL may
    have, so every cached answer goes."""
    await webhooks.site_changed(session, now=now)
    await changes.record_everything(session, now=now)
