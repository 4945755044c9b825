"""The `search` query: ranked full-text search over one language's visible articles."""

from __future__ import annotations

import hashlib
from typing import Any

import strawberry
from strawberry.types import Info

from publishing.search import query as search_query
from publishing.search import searching
from publishing.search.query import ParsedQuery
from publishing.search.searching import Hit, SearchKey
from schema.articles.types import Article
from schema.context import Context
from schema.errors import UserInputError
from schema.pagination import Keyset, Page
from schema.search.types import SearchConnection, SearchEdge


def _keyset(query: ParsedQuery, language: str) -> Keyset[SearchKey]:
    """Cursors of one search: a cursor of another query is refused, not misread."""
    tag = hashlib.sha256(f"{language}\n{query.fingerprint}".encode()).hexdigest()[:12]

    def key(values: list[Any]) -> SearchKey:
        cursor_tag, score, article_id = values
        if cursor_tag != tag:
            raise UserInputError(
                "`after` is a cursor of another search; pass one from this query's results.",
                argument="after",
            )
        return SearchKey(float(score), int(article_id))

    return Keyset("search", lambda k: (tag, k.score, k.id), key)


@strawberry.type
class SearchQueries:
    @strawberry.field(
        description="Full-text search in one language, best match first: title, subtitle, "
        "excerpt, body and footnotes, the title weighing most. Words are matched in their "
        'inflected forms where the database can stem the language; "quoted phrases", -word '
        "to exclude and `or` between words work as in web search; anything else is searched "
        f"as text. Queries longer than {search_query.MAX_QUERY_LENGTH} characters are cut to "
        "that length; an empty query is an error. `first` from 1 to 100 (default 20)."
    )
    async def search(
        self,
        info: Info[Context, None],
        query: str,
        language: str,
        first: int | None = None,
        after: str | None = None,
    ) -> SearchConnection:
        context = info.context
        code = (await context.languages()).resolve(language)
        parsed = search_query.parse(query)
        page = Page.of(_keyset(parsed, code), first, after)
        visibility = context.visibility
        async with context.reads.session() as session:
            hits = await searching.search(
                session, parsed, code, visibility, limit=page.fetch, after=page.after
            )

        async def count() -> int:
            async with context.reads.session() as session:
                return await searching.count(session, parsed, code, visibility)

        def edge(cursor: str, hit: Hit) -> SearchEdge:
            return SearchEdge(
                cursor=cursor, node=Article.from_model(hit.article), snippet=hit.snippet
            )

        edges, page_info = page.edges(hits, lambda hit: hit.key, edge)
        return SearchConnection(edges=edges, page_info=page_info, _count=count)
