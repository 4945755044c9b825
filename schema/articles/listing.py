"""Article listings: the one keyset connection over articles, wherever a list of them shows
(the `articles` query, an author's, a tag's)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from strawberry.types import Info

from publishing.articles import reading
from publishing.articles.reading import ListingKey
from schema.context import Context
from schema.errors import UserInputError
from schema.pagination import Keyset, Page
from schema.sections.ids import section_id

if TYPE_CHECKING:
    from schema.articles.types import ArticleConnection, ArticleFilter


def _listing_key(values: list[Any]) -> ListingKey:
    at, article_id = values
    return ListingKey(dt.datetime.fromisoformat(at), int(article_id))


ARTICLES: Keyset[ListingKey] = Keyset(
    "articles", lambda key: (key.at.isoformat(), key.id), _listing_key
)


def _aware(value: dt.datetime | None, argument: str) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        raise UserInputError(
            f"`filter.{argument}` needs a time zone offset, e.g. 2026-01-31T00:00:00Z.",
            argument=argument,
        )
    return value


async def article_connection(
    info: Info[Context, None],
    *,
    language: str | None,
    first: int | None,
    after: str | None,
    filter: ArticleFilter | None,
    author_slug: str | None = None,
    tag_slug: str | None = None,
    section: tuple[int, bool] | None = None,
) -> ArticleConnection:
    from schema.articles.types import Article, ArticleConnection

    context = info.context
    page = Page.of(ARTICLES, first, after)
    code = (await context.languages()).resolve(language) if language else None
    if section is None and filter is not None and filter.section is not None:
        section = (section_id(filter.section, "section"), filter.include_subsections)
    article_filter = reading.ArticleFilter(
        language=code,
        author_slug=author_slug or (filter.author_slug if filter else None),
        tag_slug=tag_slug or (filter.tag_slug if filter else None),
        published_after=_aware(filter.published_after, "publishedAfter") if filter else None,
        published_before=_aware(filter.published_before, "publishedBefore") if filter else None,
        statuses=tuple(s.value for s in filter.status) if filter and filter.status else (),
        section_id=section[0] if section else None,
        include_subsections=section[1] if section else False,
        featured=filter.featured if filter else None,
    )
    visibility = context.visibility
    async with context.reads.session() as session:
        rows = await reading.list_articles(
            session, article_filter, visibility, limit=page.fetch, after=page.after
        )

    async def count() -> int:
        async with context.reads.session() as session:
            return await reading.count_articles(session, article_filter, visibility)

    return page.connection(
        ArticleConnection,
        rows,
        key=lambda row: row[1],
        node=lambda row: Article.from_model(row[0]),
        count=count,
    )
