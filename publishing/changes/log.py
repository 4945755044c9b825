"""The change log: written by every content write, read by every process that caches.

A write appends one row in its own transaction (so a rolled-back write leaves none). A reader
asks for the newest id, and the keys of rows past the newest it has seen, to drop what it
cached from the content that changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from publishing.articles.models import Article, ArticleStatus, StoryKind
from publishing.articles.visibility import Visibility
from publishing.changes.models import ContentChange
from publishing.languages.models import Language
from publishing.surrogate import (
    article_key,
    author_key,
    listing_key_of,
    sitemaps_key,
    story_key,
    tag_key,
)

# Readers run on a bare connection (the cache's check) or a session.
Executor = AsyncConnection | AsyncSession

EVERYTHING = "*"
# Rows older than this go (every PRUNE_EVERY writes); readers' caches live far shorter.
RETENTION = dt.timedelta(days=1)
PRUNE_EVERY = 100
# Any constant shared by all writers: the transaction-level lock that orders appends.
_LOCK_KEY = 7_460_001


@dataclass(frozen=True, slots=True)
class Watermark:
    """What a cache must know to trust what it holds: the newest change, and the next moment
    a scheduled article becomes visible (no write marks that moment)."""

    newest: int
    next_publication: dt.datetime | None
    # Enabled language codes: listings are keyed per language, and enabling or disabling
    # one is no content write, so a cache notices it here.
    languages: frozenset[str]


async def _append(session: AsyncSession, keys: str, now: dt.datetime) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Ids come from a sequence when inserted, not when committed: without this lock a
        # reader could see id 11 committed while id 10 is still to come, and never read 10.
        # Held to commit, it makes ids follow commit order. SQLite writers are serial anyway.
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    change = ContentChange(keys=keys, created_at=now)
    session.add(change)
    await session.flush()
    if change.id % PRUNE_EVERY == 0:
        await session.execute(
            delete(ContentChange).where(ContentChange.created_at < now - RETENTION)
        )


async def record(session: AsyncSession, keys: Iterable[str], *, now: dt.datetime) -> None:
    """Note, in the writer's transaction, that the content named by ``keys`` changed."""
    joined = " ".join(dict.fromkeys(keys))
    if joined:
        await _append(session, joined, now)


async def record_everything(session: AsyncSession, *, now: dt.datetime) -> None:
    """Note a change no key describes (a bulk load): readers drop everything."""
    await _append(session, EVERYTHING, now)


# Built once: the check runs before every cached read, and building a statement costs more
# than running this one.
_WATERMARK = select(
    select(func.coalesce(func.max(ContentChange.id), 0)).scalar_subquery(),
    select(func.min(Article.published_at))
    .where(Article.status == ArticleStatus.PUBLISHED, Article.published_at > bindparam("now"))
    .scalar_subquery(),
    select(func.aggregate_strings(Language.code, " ")).scalar_subquery(),
)


async def watermark(executor: Executor, now: dt.datetime) -> Watermark:
    """One statement: the newest change id (0 for none), the next scheduled publication and
    the enabled languages."""
    row = (await executor.execute(_WATERMARK, {"now": now})).one()
    return Watermark(int(row[0]), _aware(row[1]), frozenset((row[2] or "").split()))


async def last_publication(session: Executor, now: dt.datetime) -> dt.datetime | None:
    """The latest moment an article became visible, up to ``now``: an answer computed
    before it may miss that article (asked once, by a process that has no history yet)."""
    latest = await session.scalar(
        select(func.max(Article.published_at)).where(
            Article.status == ArticleStatus.PUBLISHED, Article.published_at <= now
        )
    )
    return _aware(latest)


def _aware(value: dt.datetime | str | None) -> dt.datetime | None:
    if isinstance(value, str):  # SQLite returns min() and max() of a column as text
        value = dt.datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


async def changes_since(
    session: Executor, after: int, *, limit: int
) -> list[tuple[int, frozenset[str]]]:
    """Up to ``limit`` changes with ids above ``after``, oldest first."""
    rows = await session.execute(
        select(ContentChange.id, ContentChange.keys)
        .where(ContentChange.id > after)
        .order_by(ContentChange.id)
        .limit(limit)
    )
    return [(change_id, frozenset(keys.split())) for change_id, keys in rows]


# -- what each kind of write touched ---------------------------------------------------------


async def article_written(
    session: AsyncSession,
    article: Article,
    event: str,
    *,
    now: dt.datetime,
    kind: StoryKind = StoryKind.ARTICLE,
) -> None:
    """An article (or a page: ``kind``) changed: its pages, its story's other versions (their
    "also available in"), and listings of its kind in its language. Changes readers could
    not see leave no row: a new draft, or an edit of an article that is hidden now (status
    changes always count)."""
    if event == "CREATED" or (event == "UPDATED" and not Visibility(now).allows(article)):
        return
    await record(
        session,
        (
            article_key(article.id),
            story_key(article.story_id),
            listing_key_of(kind, article.language),
        ),
        now=now,
    )


async def author_written(session: AsyncSession, author_id: int, *, now: dt.datetime) -> None:
    # The sitemaps list every author by slug.
    await record(session, (author_key(author_id), sitemaps_key()), now=now)


async def tag_written(session: AsyncSession, tag_id: int, *, now: dt.datetime) -> None:
    await record(session, (tag_key(tag_id), sitemaps_key()), now=now)
