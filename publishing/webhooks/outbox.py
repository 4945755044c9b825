"""The transactional outbox: events written in the same transaction as the change behind them.

A change that rolls back leaves no event; a committed one leaves an event and one delivery row
per subscribed webhook, which a dispatcher sends later, whatever happens to the writer.
Nothing is written when no active webhook subscribes to the event's type.

Which editorial change is which event (subscribers hear only of what readers can see):

- published and visible now -> ARTICLE_PUBLISHED; scheduled for later -> nothing yet: the
  dispatcher announces it when its time comes (``announce_due_publications``);
- changed while visible -> ARTICLE_UPDATED;
- unpublished or archived after subscribers were told of it (or after its time came) ->
  ARTICLE_UNPUBLISHED; rescheduling a visible article into the future withdraws it too;
- deleted -> ARTICLE_DELETED; a page's versions, the same as PAGE_PUBLISHED, PAGE_UPDATED,
  PAGE_UNPUBLISHED and PAGE_DELETED; an author created, changed or deleted -> AUTHOR_UPDATED or
  AUTHOR_DELETED; a media asset taken in, described anew or deleted -> MEDIA_CREATED,
  MEDIA_UPDATED or MEDIA_DELETED; a section created, changed or deleted -> SECTION_CREATED,
  SECTION_UPDATED or SECTION_DELETED; a menu created or its items replaced -> MENU_UPDATED;
  the site changed (updateSite) -> SITE_UPDATED;
- translations (drafts included: a translation agency follows its own work) -> an original's
  body or footnotes changed and a translation that followed its text no longer does ->
  TRANSLATION_OUTDATED, once per translation (a further edit of the original says nothing
  new until the translation is brought up to date); a translation handed in for review
  (submitTranslation, an XLIFF import) -> TRANSLATION_SUBMITTED.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.kinds import kind_of
from publishing.articles.models import Article, ArticleRevision, ArticleStatus, StoryKind
from publishing.articles.visibility import Visibility
from publishing.changes import log
from publishing.webhooks.models import (
    DeliveryStatus,
    EventType,
    PublicationMarker,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
)
from publishing.webhooks.payload import (
    Subject,
    article_subject,
    author_subject,
    event_body,
    media_subject,
    menu_subject,
    new_event_id,
    section_subject,
    site_subject,
    translation_subject,
)

if TYPE_CHECKING:
    # Only for annotations: publishing.events imports this module, so its names are compared
    # by value below (ArticleEvent is a StrEnum) rather than imported at run time.
    from publishing.events import ArticleEvent

WITHDRAWN = frozenset({"UNPUBLISHED", "ARCHIVED"})


async def subscribers(session: AsyncSession, event_type: EventType) -> list[int]:
    """Active webhooks that receive ``event_type`` (a handful of rows: filtered here, since
    the event list is JSON)."""
    rows = await session.execute(
        select(Webhook.id, Webhook.events).where(Webhook.active.is_(True)).order_by(Webhook.id)
    )
    return [webhook_id for webhook_id, events in rows if event_type.value in events]


async def record_event(
    session: AsyncSession,
    event_type: EventType,
    subject: Callable[[], Awaitable[Subject | None]],
    *,
    now: dt.datetime,
    webhook_ids: list[int] | None = None,
) -> WebhookEvent | None:
    """The event and a pending delivery to each subscriber; ``subject`` is built only when
    someone subscribes."""
    if webhook_ids is None:
        webhook_ids = await subscribers(session, event_type)
    if not webhook_ids:
        return None
    built = await subject()
    if built is None:
        return None
    event_id = new_event_id()
    event = WebhookEvent(
        public_id=event_id,
        type=event_type,
        occurred_at=now,
        body=event_body(event_id, event_type, now, built),
    )
    session.add(event)
    await session.flush()
    await session.execute(
        insert(WebhookDelivery),
        [
            {
                "webhook_id": webhook_id,
                "event_id": event.id,
                "status": DeliveryStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for webhook_id in webhook_ids
        ],
    )
    return event


async def _emit(
    session: AsyncSession, what: str, article: Article, now: dt.datetime, kind: StoryKind
) -> None:
    """Record ``what`` ("PUBLISHED", ...) happening to ``article``, under its kind's name:
    ARTICLE_PUBLISHED for an article, PAGE_PUBLISHED for a page."""
    await record_event(
        session,
        EventType(f"{kind.value}_{what}"),
        lambda: article_subject(session, article, now, kind),
        now=now,
    )


# -- publication markers ---------------------------------------------------------------------


async def _marker(
    session: AsyncSession, article_id: int
) -> tuple[dt.datetime, dt.datetime | None] | None:
    """(published_at, announced_at) of the article's marker, if it has one."""
    row = (
        await session.execute(
            select(PublicationMarker.published_at, PublicationMarker.announced_at).where(
                PublicationMarker.article_id == article_id
            )
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


async def _set_marker(
    session: AsyncSession,
    article_id: int,
    published_at: dt.datetime,
    announced_at: dt.datetime | None,
    *,
    exists: bool,
) -> None:
    # Writers of one article are serialised by its row lock, so update-or-insert cannot race.
    values = {"published_at": published_at, "announced_at": announced_at}
    if exists:
        await session.execute(
            update(PublicationMarker)
            .where(PublicationMarker.article_id == article_id)
            .values(**values)
        )
    else:
        await session.execute(insert(PublicationMarker).values(article_id=article_id, **values))


async def _was_visible(session: AsyncSession, article_id: int, now: dt.datetime) -> bool:
    """For an article without a marker (written by a bulk load, say): whether its previous
    revision was visible. Revisions are recorded after these follow-ups, so the newest one
    is the state before this change."""
    snapshot = await session.scalar(
        select(ArticleRevision.snapshot)
        .where(ArticleRevision.article_id == article_id)
        .order_by(ArticleRevision.version.desc())
        .limit(1)
    )
    if not snapshot or snapshot.get("status") != ArticleStatus.PUBLISHED.value:
        return False
    published_at = snapshot.get("publishedAt")
    return published_at is not None and dt.datetime.fromisoformat(published_at) <= now


async def _claim_announcement(
    session: AsyncSession, article_id: int, published_at: dt.datetime, now: dt.datetime
) -> bool:
    """Mark the publication announced; True for exactly one caller, however many dispatchers
    and writers try at once (a conditional UPDATE: the loser matches no row)."""
    result = await session.execute(
        update(PublicationMarker)
        .where(
            PublicationMarker.article_id == article_id,
            PublicationMarker.published_at == published_at,
            PublicationMarker.announced_at.is_(None),
        )
        .values(announced_at=now)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


# -- what follows each change ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heard:
    """What readers could see around an article's change, for the change log: whether they
    could see it before, and whether this change announced its scheduled publication."""

    was_public: bool = False
    announced: bool = False


async def article_changed(
    session: AsyncSession,
    article: Article,
    change: ArticleEvent,
    *,
    now: dt.datetime,
    kind: StoryKind = StoryKind.ARTICLE,
) -> Heard:
    if change == "CREATED":
        return Heard()  # a new article is a draft: nothing readers can see
    if change == "DELETED":
        # Its publication marker goes with the row (ON DELETE CASCADE).
        await _emit(session, "DELETED", article, now, kind)
        return Heard()
    visible = Visibility(now).allows(article)
    if change == "UPDATED" and not visible:
        return Heard()
    marker = await _marker(session, article.id)
    # Readers could see it before this change: subscribers were told, or its time had come.
    if marker is not None:
        was_public = marker[1] is not None or marker[0] <= now
    else:
        was_public = change != "UPDATED" and await _was_visible(session, article.id, now)

    if change in WITHDRAWN:
        if marker is not None:
            await session.execute(
                delete(PublicationMarker).where(PublicationMarker.article_id == article.id)
            )
        if was_public:
            await _emit(session, "UNPUBLISHED", article, now, kind)
    elif change == "PUBLISHED":
        assert article.published_at is not None
        exists = marker is not None
        if visible:
            await _set_marker(session, article.id, article.published_at, now, exists=exists)
            await _emit(session, "PUBLISHED", article, now, kind)
        else:
            # Scheduled: announced by the dispatcher when its time comes.
            await _set_marker(session, article.id, article.published_at, None, exists=exists)
            if was_public:
                await _emit(session, "UNPUBLISHED", article, now, kind)
    elif marker is not None and marker[1] is None:
        # Its time came before any dispatcher noticed: this change announces it.
        if await _claim_announcement(session, article.id, marker[0], now):
            await _emit(session, "PUBLISHED", article, now, kind)
            return Heard(was_public, announced=True)
        await _emit(session, "UPDATED", article, now, kind)
    else:
        if marker is None and article.published_at is not None:
            # Visible with no marker (published outside these services): remember it, so
            # its withdrawal is announced.
            await _set_marker(session, article.id, article.published_at, now, exists=False)
        await _emit(session, "UPDATED", article, now, kind)
    return Heard(was_public)


async def author_changed(
    session: AsyncSession, author_id: int, *, now: dt.datetime, deleted: bool
) -> None:
    event_type = EventType.AUTHOR_DELETED if deleted else EventType.AUTHOR_UPDATED
    await record_event(session, event_type, lambda: author_subject(session, author_id), now=now)


async def media_changed(
    session: AsyncSession, asset_id: int, *, now: dt.datetime, created: bool, deleted: bool
) -> None:
    event_type = (
        EventType.MEDIA_CREATED
        if created
        else EventType.MEDIA_DELETED
        if deleted
        else EventType.MEDIA_UPDATED
    )
    await record_event(session, event_type, lambda: media_subject(session, asset_id), now=now)


async def section_changed(
    session: AsyncSession, section_id: int, *, now: dt.datetime, created: bool, deleted: bool
) -> None:
    event_type = (
        EventType.SECTION_CREATED
        if created
        else EventType.SECTION_DELETED
        if deleted
        else EventType.SECTION_UPDATED
    )
    await record_event(session, event_type, lambda: section_subject(session, section_id), now=now)


async def menu_changed(session: AsyncSession, menu_id: int, *, now: dt.datetime) -> None:
    await record_event(
        session, EventType.MENU_UPDATED, lambda: menu_subject(session, menu_id), now=now
    )


async def site_changed(session: AsyncSession, *, now: dt.datetime) -> None:
    await record_event(session, EventType.SITE_UPDATED, lambda: site_subject(session), now=now)


async def translation_outdated(
    session: AsyncSession, translation: Article, *, now: dt.datetime, kind: StoryKind
) -> None:
    await record_event(
        session,
        EventType.TRANSLATION_OUTDATED,
        lambda: translation_subject(session, translation, kind),
        now=now,
    )


async def translation_submitted(
    session: AsyncSession, translation: Article, *, now: dt.datetime, kind: StoryKind
) -> None:
    await record_event(
        session,
        EventType.TRANSLATION_SUBMITTED,
        lambda: translation_subject(session, translation, kind),
        now=now,
    )


async def announce_due_publications(
    session: AsyncSession, now: dt.datetime, *, limit: int = 100
) -> int:
    """ARTICLE_PUBLISHED (PAGE_PUBLISHED for a page) for each scheduled article whose time has
    come and that nobody has announced yet, and its PUBLISHED row in the change log (at its
    publication time) for live subscribers; returns how many were announced.

    Run by the webhook dispatcher and by every process's live-updates follower: the claim
    makes exactly one of them announce each publication, in the claim's transaction."""
    due = await due_publications(session, now, limit=limit)
    announced: list[tuple[Article, StoryKind, dt.datetime]] = []
    for article_id, published_at in due:
        if not await _claim_announcement(session, article_id, published_at, now):
            continue  # another dispatcher, or an editor's change, announced it meanwhile
        article = await session.get(Article, article_id)
        if article is not None:
            kind = await kind_of(session, article)
            await _emit(session, "PUBLISHED", article, now, kind)
            announced.append((article, kind, published_at))
    # Appended after every claim: an edit claims its article's marker before the log's lock,
    # so taking that lock between two claims could deadlock with it on PostgreSQL.
    for article, kind, published_at in announced:
        await log.article_written(session, article, "PUBLISHED", now=published_at, kind=kind)
    return len(announced)


async def next_announcement(session: AsyncSession) -> dt.datetime | None:
    """When the earliest publication nobody has announced yet is (or was) due."""
    return await session.scalar(
        select(func.min(PublicationMarker.published_at)).where(
            PublicationMarker.announced_at.is_(None)
        )
    )


def due_publications_query(now: dt.datetime) -> Select[tuple[int, dt.datetime]]:
    """Publications whose time has come and that nobody has announced yet."""
    return (
        select(PublicationMarker.article_id, PublicationMarker.published_at)
        .join(Article, Article.id == PublicationMarker.article_id)
        .where(
            PublicationMarker.announced_at.is_(None),
            PublicationMarker.published_at <= now,
            Article.status == ArticleStatus.PUBLISHED,
            Article.published_at == PublicationMarker.published_at,
        )
    )


async def due_publications(
    session: AsyncSession, now: dt.datetime, *, limit: int = 100
) -> list[tuple[int, dt.datetime]]:
    rows = await session.execute(
        due_publications_query(now).order_by(PublicationMarker.published_at).limit(limit)
    )
    return [(article_id, published_at) for article_id, published_at in rows]
