"""The change log: written by every content write, read by every process that caches.

A write appends one row in its own transaction (so a rolled-back write leaves none). A reader
asks for the newest id, and the keys of rows past the newest it has seen, to drop what it
cached from the content that changed. Live subscriptions read the same rows: a row about an
article also names it and what happened to it, drafts' changes included (with no keys, so no
cache drops anything for them).

A committed append is announced, so readers need not poll: PostgreSQL notifies
``CHANNEL`` (delivered at commit, to every process), and in-process listeners registered
with ``on_commit`` are called after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, event, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Session

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
# The PostgreSQL notification channel a committed append is announced on (no payload: readers
# read the log from where they are).
CHANNEL = "pressroom_changes"
# Marks a session whose transaction appended a row, for the commit hook.
_APPENDED = "pressroom.change_appended"
_commit_listeners: list[Callable[[], None]] = []


@dataclass(frozen=True, slots=True)
class Subject:
    """The article (or page) a change was about, and what happened to it."""

    article_id: int
    event: str
    language: str
    kind: str
    # Whether public readers could see the change.
    public: bool


@dataclass(frozen=True, slots=True)
class ArticleChange:
    """One row of the log about an article, as subscribers read it."""

    id: int
    created_at: dt.datetime
    subject: Subject


@dataclass(frozen=True, slots=True)
class Watermark:
    """What a cache must know to trust what it holds: the newest change, and the next moment
    a scheduled article becomes visible (no write marks that moment)."""

    newest: int
    next_publication: dt.datetime | None
    # Enabled language codes: listings are keyed per language, and enabling or disabling
    # one is no content write, so a cache notices it here.
    languages: frozenset[str]


async def _append(
    session: AsyncSession, keys: str, now: dt.datetime, subject: Subject | None = None
) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Ids come from a sequence when inserted, not when committed: without this lock a
        # reader could see id 11 committed while id 10 is still to come, and never read 10.
        # Held to commit, it makes ids follow commit order. SQLite writers are serial anyway.
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        # Sent at commit, once per transaction however many rows it appends.
        await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
    session.info[_APPENDED] = True
    change = ContentChange(keys=keys, created_at=now)
    if subject is not None:
        change.article_id = subject.article_id
        change.event = subject.event
        change.language = subject.language
        change.story_kind = subject.kind
        change.public = subject.public
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


def on_commit(listener: Callable[[], None]) -> Callable[[], None]:
    """Call ``listener`` after each commit in this process that appended to the log; returns
    the function that stops it."""
    _commit_listeners.append(listener)
    return lambda: _commit_listeners.remove(listener)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(_APPENDED, False):
        for listener in tuple(_commit_listeners):
            listener()


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_APPENDED, None)


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


async def article_changes_since(
    executor: Executor, after: int, *, limit: int
) -> list[ArticleChange]:
    """Up to ``limit`` changes about articles (and pages) with ids above ``after``, oldest
    first."""
    rows = await executor.execute(
        select(
            ContentChange.id,
            ContentChange.created_at,
            ContentChange.article_id,
            ContentChange.event,
            ContentChange.language,
            ContentChange.story_kind,
            ContentChange.public,
        )
        .where(ContentChange.id > after, ContentChange.article_id.is_not(None))
        .order_by(ContentChange.id)
        .limit(limit)
    )
    return [
        ArticleChange(
            change_id,
            _aware(created_at) or created_at,
            Subject(article_id, event, language, kind, bool(public)),
        )
        for change_id, created_at, article_id, event, language, kind, public in rows
    ]


async def bounds(executor: Executor) -> tuple[int, int]:
    """The oldest and newest change ids still in the log ((0, 0) when it is empty): a reader
    resuming after an id below ``oldest - 1`` has missed pruned changes."""
    row = (
        await executor.execute(
            select(
                func.coalesce(func.min(ContentChange.id), 0),
                func.coalesce(func.max(ContentChange.id), 0),
            )
        )
    ).one()
    return int(row[0]), int(row[1])


async def pending(executor: Executor, after: int) -> int:
    """How many changes about articles came after ``after``."""
    count = await executor.scalar(
        select(func.count())
        .select_from(ContentChange)
        .where(ContentChange.id > after, ContentChange.article_id.is_not(None))
    )
    return int(count or 0)


# -- what each kind of write touched ---------------------------------------------------------


async def article_written(
    session: AsyncSession,
    article: Article,
    event: str,
    *,
    now: dt.datetime,
    kind: StoryKind = StoryKind.ARTICLE,
    was_public: bool = False,
) -> None:
    """An article (or a page: ``kind``) changed: its pages, its story's other versions (their
    "also available in"), and listings of its kind in its language. Changes readers could
    not see name no keys (a new draft, or an edit of an article that is hidden now; status
    changes always count): their row is for editorial subscribers only. ``was_public``:
    whether readers could see the article before this change."""
    visible = Visibility(now).allows(article)
    hidden = event == "CREATED" or (event == "UPDATED" and not visible)
    keys = (
        ()
        if hidden
        else (
            article_key(article.id),
            story_key(article.story_id),
            listing_key_of(kind, article.language),
        )
    )
    # Public subscribers hear of a change if readers could see the article before it or after
    # it: a withdrawal of what they saw, not of a scheduled article that never showed.
    public = visible or was_public
    subject = Subject(article.id, str(event), article.language, str(kind), public)
    await _append(session, " ".join(keys), now, subject)


async def author_written(session: AsyncSession, author_id: int, *, now: dt.datetime) -> None:
    # The sitemaps list every author by slug.
    await record(session, (author_key(author_id), sitemaps_key()), now=now)


async def tag_written(session: AsyncSession, tag_id: int, *, now: dt.datetime) -> None:
    await record(session, (tag_key(tag_id), sitemaps_key()), now=now)
