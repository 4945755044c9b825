"""Writing articles through the editorial services, for tests that need their own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import SYSTEM
from publishing.articles.editing import (
    FootnoteData,
    NewArticle,
    archive_article,
    create_article,
    publish_article,
)
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.tags.models import Tag


async def write(url: str, work: Callable[[AsyncSession], Awaitable[object]]) -> None:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await work(session)
    finally:
        await engine.dispose()


async def add(
    session: AsyncSession,
    language: str,
    slug: str,
    title: str,
    body: str,
    *,
    status: str = "published",
    footnotes: tuple[FootnoteData, ...] = (),
    excerpt: str | None = None,
    days_ago: float = 1,
    tag_ids: Sequence[int] = (),
) -> int:
    """Written and published at the real time (``days_ago`` before it, or 30 days after it
    when scheduled)."""
    now = SYSTEM_CLOCK.now()
    article = await create_article(
        session,
        SYSTEM,
        NewArticle(
            language=language,
            slug=slug,
            title=title,
            body=body,
            excerpt=excerpt,
            footnotes=footnotes,
            tag_ids=tag_ids,
        ),
        now=now,
    )
    if status == "draft":
        return article.id
    when = now - dt.timedelta(days=days_ago)
    if status == "scheduled":
        when = now + dt.timedelta(days=30)
    await publish_article(session, SYSTEM, article.id, now=now, publish_at=when)
    if status == "archived":
        await archive_article(session, SYSTEM, article.id, now=now)
    return article.id


async def tag_ids(session: AsyncSession, *slugs: str) -> list[int]:
    found = dict((await session.execute(select(Tag.slug, Tag.id))).all())
    return [found[slug] for slug in slugs]
