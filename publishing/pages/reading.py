"""Page listings: by title (pages are undated), keyset-paged, one statement per page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from publishing.articles.models import Article, Story, StoryKind
from publishing.articles.visibility import Visibility


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page of the listing ends: the title and id of its last page."""

    title: str
    id: int


def _pages(statement: Select, language: str | None, visibility: Visibility) -> Select:
    statement = statement.where(Story.kind == StoryKind.PAGE, visibility.clause())
    if language is not None:
        statement = statement.where(Article.language == language)
    return statement


async def list_pages(
    session: AsyncSession,
    language: str | None,
    visibility: Visibility,
    *,
    limit: int,
    after: PageKey | None = None,
) -> list[tuple[Article, PageKey]]:
    """Up to ``limit`` pages the reader may see, by title then id, after ``after``; all
    languages unless ``language`` is given."""
    statement = _pages(
        select(Article).join(Article.story).options(contains_eager(Article.story)),
        language,
        visibility,
    )
    if after is not None:
        statement = statement.where(
            tuple_(Article.title, Article.id) > tuple_(after.title, after.id)
        )
    statement = statement.order_by(Article.title, Article.id).limit(limit)
    return [(page, PageKey(page.title, page.id)) for page in await session.scalars(statement)]


async def count_pages(session: AsyncSession, language: str | None, visibility: Visibility) -> int:
    statement = _pages(
        select(func.count(Article.id)).select_from(Article).join(Article.story),
        language,
        visibility,
    )
    return int(await session.scalar(statement) or 0)
