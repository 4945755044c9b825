"""The news sitemap: articles (never pages) published in the last 48 hours, at most 1,000
(Google's limits), each only when it is its own canonical URL and not ``noindex``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.models import Article, StoryKind
from publishing.articles.visibility import Visibility
from publishing.site.links import LinkKind, Links
from publishing.sitemaps.reading import aware, dialect_of, listed_version, versions_of

__all__ = ["NEWS_MAX", "NEWS_WINDOW", "NewsEntry", "latest_news", "news_entries"]

NEWS_WINDOW = dt.timedelta(hours=48)
NEWS_MAX = 1_000


@dataclass(frozen=True, slots=True)
class NewsEntry:
    loc: str
    language: str
    title: str
    published_at: dt.datetime


def _news(session: AsyncSession, links: Links, now: dt.datetime) -> ColumnElement[bool]:
    return and_(
        Visibility(now).clause(),
        Article.published_at > now - NEWS_WINDOW,
        listed_version(
            links, StoryKind.ARTICLE, language=Article.language, dialect=dialect_of(session)
        ),
    )


async def latest_news(
    session: AsyncSession, *, links: Links, now: dt.datetime
) -> dt.datetime | None:
    """When the newest article of the news sitemap was published; None when it lists none."""
    newest = await session.scalar(
        versions_of(select(func.max(Article.published_at))).where(_news(session, links, now))
    )
    return aware(newest)


async def news_entries(session: AsyncSession, *, links: Links, now: dt.datetime) -> list[NewsEntry]:
    """The news sitemap's articles, newest first."""
    rows = await session.execute(
        versions_of(select(Article.language, Article.slug, Article.title, Article.published_at))
        .where(_news(session, links, now))
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(NEWS_MAX)
    )
    entries = []
    for language, slug, title, published_at in rows:
        when = aware(published_at)
        assert when is not None  # visible articles have a publication time
        loc = links.url(LinkKind.ARTICLE, language=language, slug=slug, published_at=when)
        entries.append(NewsEntry(loc, language, title, when))
    return entries
