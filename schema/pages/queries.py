"""Reading pages: by slug, listed by title, previewed by token, searched."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from publishing.articles import reading
from publishing.articles.models import StoryKind
from publishing.articles.visibility import Visibility
from publishing.pages import reading as pages
from publishing.pages.reading import PageKey
from publishing.search.searching import Hit
from publishing.tokens import previews
from schema.context import Context
from schema.pages.types import Page, PageConnection, PageSearchConnection, PageSearchEdge
from schema.pagination import Keyset
from schema.pagination import Page as ListPage
from schema.search.queries import SEARCH_SYNTAX, ranked_search


def _page_key(values: list[Any]) -> PageKey:
    title, page_id = values
    if not isinstance(title, str):
        raise TypeError("a page cursor holds a title")
    return PageKey(title, int(page_id))


PAGES: Keyset[PageKey] = Keyset("pages", lambda key: (key.title, key.id), _page_key)


@strawberry.type
class PageQueries:
    @strawberry.field(
        description="One language version of a page by its slug; null when none is visible."
    )
    async def page(self, info: Info[Context, None], language: str, slug: str) -> Page | None:
        context = info.context
        code = (await context.languages()).resolve(language)
        async with context.reads.session() as session:
            found = await reading.article_by_slug(
                session, code, slug, context.visibility, StoryKind.PAGE
            )
        return None if found is None else Page.from_model(found)

    @strawberry.field(
        description="Pages by title (then id); `first` from 1 to 100 (default 20); all "
        "languages unless `language` is given. Readers without a token see published pages."
    )
    async def pages(
        self,
        info: Info[Context, None],
        language: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> PageConnection:
        context = info.context
        page = ListPage.of(PAGES, first, after)
        code = (await context.languages()).resolve(language) if language else None
        visibility = context.visibility
        async with context.reads.session() as session:
            rows = await pages.list_pages(
                session, code, visibility, limit=page.fetch, after=page.after
            )

        async def count() -> int:
            async with context.reads.session() as session:
                return await pages.count_pages(session, code, visibility)

        return page.connection(
            PageConnection,
            rows,
            key=lambda row: row[1],
            node=lambda row: Page.from_model(row[0]),
            count=count,
        )

    @strawberry.field(
        description="The one page a preview token names, draft or not; null when the token "
        "is invalid or expired, or names no page."
    )
    async def page_preview(self, info: Info[Context, None], token: str) -> Page | None:
        context = info.context
        async with context.reads.session() as session:
            key = await previews.signing_key(session, now=context.now)
            page_id = previews.read_preview_token(key, token, context.now)
            if page_id is None:
                return None
            found = await reading.articles_by_id(
                session,
                [page_id],
                Visibility(context.now, include_unpublished=True),
                StoryKind.PAGE,
            )
        page = found.get(page_id)
        return None if page is None else Page.from_model(page)

    @strawberry.field(
        description="Full-text search over one language's pages, best match first, as "
        "`search` does over articles. " + SEARCH_SYNTAX
    )
    async def search_pages(
        self,
        info: Info[Context, None],
        query: str,
        language: str,
        first: int | None = None,
        after: str | None = None,
    ) -> PageSearchConnection:
        def edge(cursor: str, hit: Hit) -> PageSearchEdge:
            return PageSearchEdge(
                cursor=cursor, node=Page.from_model(hit.article), snippet=hit.snippet
            )

        edges, page_info, count = await ranked_search(
            info,
            query=query,
            language=language,
            first=first,
            after=after,
            kind=StoryKind.PAGE,
            edge=edge,
        )
        return PageSearchConnection(edges=edges, page_info=page_info, _count=count)
