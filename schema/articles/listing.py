"""Article listings as Relay connections with keyset cursors."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from strawberry import relay
from strawberry.types import Info

from publishing.articles import reading
from publishing.articles.reading import ListingKey
from schema.context import Context
from schema.errors import UserInputError
from schema.pagination import decode_cursor, encode_cursor, page_size

if TYPE_CHECKING:
    from schema.articles.types import ArticleConnection, ArticleFilter

CURSOR_KIND = "articles"


def _listing_key(cursor: str) -> ListingKey:
    values = decode_cursor(CURSOR_KIND, cursor)
    try:
        at, article_id = values
        return ListingKey(dt.datetime.fromisoformat(at), int(article_id))
    except (TypeError, ValueError) as exc:
        raise UserInputError(
            "`after` is not a valid cursor of this list.", argument="after"
        ) from exc


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
) -> ArticleConnection:
    from schema.articles.types import Article, ArticleConnection, ArticleEdge

    context = info.context
    limit = page_size(first)
    key = _listing_key(after) if after else None
    code = (await context.languages()).resolve(language) if language else None
    article_filter = reading.ArticleFilter(
        language=code,
        author_slug=author_slug or (filter.author_slug if filter else None),
        tag_slug=tag_slug or (filter.tag_slug if filter else None),
        published_after=_aware(filter.published_after, "publishedAfter") if filter else None,
        published_before=_aware(filter.published_before, "publishedBefore") if filter else None,
        statuses=tuple(s.value for s in filter.status) if filter and filter.status else (),
    )
    visibility = context.visibility
    async with context.reads.session() as session:
        # One row past the page tells whether another page follows.
        rows = await reading.list_articles(
            session, article_filter, visibility, limit=limit + 1, after=key
        )
    edges = [
        ArticleEdge(
            cursor=encode_cursor(CURSOR_KIND, row_key.at.isoformat(), row_key.id),
            node=Article.from_model(article),
        )
        for article, row_key in rows[:limit]
    ]

    async def count() -> int:
        async with context.reads.session() as session:
            return await reading.count_articles(session, article_filter, visibility)

    return ArticleConnection(
        edges=edges,
        page_info=relay.PageInfo(
            has_next_page=len(rows) > limit,
            has_previous_page=key is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _count=count,
    )
