"""The `search` query: ranked full-text search over one language's visible articles (and the
search every such query shares: `searchPages` runs it over pages)."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from strawberry import relay
from strawberry.types import Info

from publishing.articles.models import StoryKind
from publishing.search import query as search_query
from publishing.search import searching
from publishing.search.query import ParsedQuery
from publishing.search.searching import Hit, SearchKey
from schema.articles.types import Article
from schema.context import Context
from schema.errors import UserInputError
from schema.pagination import Keyset, Page
from schema.search.types import SearchConnection, SearchEdge


def _keyset(query: ParsedQuery, language: str, name: str = "search") -> Keyset[SearchKey]:
    """Cursors of one search: a cursor of another query (or list) is refused, not misread."""
    tag = hashlib.sha256(f"{language}\n{query.fingerprint}".encode()).hexdigest()[:12]

    def key(values: list[Any]) -> SearchKey:
        cursor_tag, score, article_id = values
        if cursor_tag != tag:
            raise UserInputError(
                "`after` is a cursor of another search; pass one from this query's results.",
                argument="after",
            )
        return SearchKey(float(score), int(article_id))

    return Keyset(name, lambda k: (tag, k.score, k.id), key)


E = TypeVar("E")


async def ranked_search(
    info: Info[Context, None],
    *,
    query: str,
    language: str,
    first: int | None,
    after: str | None,
    kind: StoryKind,
    edge: Callable[[str, Hit], E],
) -> tuple[list[E], relay.PageInfo, Callable[[], Awaitable[int]]]:
    """One page of a search over ``kind`` (articles for `search`, pages for `searchPages`):
    its edges, page info and a count to run when asked."""
    context = info.context
    code = (await context.languages()).resolve(language)
    parsed = search_query.parse(query)
    name = "search" if kind is StoryKind.ARTICLE else f"search:{kind.value.lower()}"
    page = Page.of(_keyset(parsed, code, name), first, after)
    visibility = context.visibility
    async with context.reads.session() as session:
        hits = await searching.search(
            session, parsed, code, visibility, limit=page.fetch, after=page.after, kind=kind
        )

    async def count() -> int:
        async with context.reads.session() as session:
            return await searching.count(session, parsed, code, visibility, kind)

    edges, page_info = page.edges(hits, lambda hit: hit.key, edge)
    return edges, page_info, count


# What a query may hold and how it is matched; `searchPages` says the same.
SEARCH_SYNTAX = (
    "Words are matched in their "
    'inflected forms where the database can stem the language; "quoted phrases", -word '
    "to exclude and `or` between words work as in web search; anything else is searched "
    f"as text. Queries longer than {search_query.MAX_QUERY_LENGTH} characters are cut to "
    "that length; an empty query is an error. `first` from 1 to 100 (default 20)."
)


@strawberry.type
class SearchQueries:
    @strawberry.field(
        description="Full-text search in one language, best match first: title, subtitle, "
        "excerpt, body and footnotes, the title weighing most. " + SEARCH_SYNTAX
    )
    async def search(
        self,
        info: Info[Context, None],
        query: str,
        language: str,
        first: int | None = None,
        after: str | None = None,
    ) -> SearchConnection:
        def edge(cursor: str, hit: Hit) -> SearchEdge:
            return SearchEdge(
                cursor=cursor, node=Article.from_model(hit.article), snippet=hit.snippet
            )

        edges, page_info, count = await ranked_search(
            info,
            query=query,
            language=language,
            first=first,
            after=after,
            kind=StoryKind.ARTICLE,
            edge=edge,
        )
        return SearchConnection(edges=edges, page_info=page_info, _count=count)
