"""The `search` query: ranked full-text search over one language's visible articles."""

from __future__ import annotations

import hashlib

import strawberry
from strawberry import relay
from strawberry.types import Info

from publishing.search import query as search_query
from publishing.search import searching
from publishing.search.query import ParsedQuery
from publishing.search.searching import SearchKey
from schema.articles.types import Article
from schema.context import Context
from schema.errors import UserInputError
from schema.pagination import decode_cursor, encode_cursor, page_size
from schema.search.types import SearchConnection, SearchEdge

CURSOR_KIND = "search"


def _query_tag(query: ParsedQuery, language: str) -> str:
    # Ties a cursor to its search: one from another query is refused, not misread.
    return hashlib.sha256(f"{language}\n{query.fingerprint}".encode()).hexdigest()[:12]


def _key(cursor: str, tag: str) -> SearchKey:
    values = decode_cursor(CURSOR_KIND, cursor)
    try:
        cursor_tag, score, article_id = values
        key = SearchKey(float(score), int(article_id))
    except (TypeError, ValueError) as exc:
        raise UserInputError(
            "`after` is not a valid cursor of a search.", argument="after"
        ) from exc
    if cursor_tag != tag:
        raise UserInputError(
            "`after` is a cursor of another search; pass one from this query's results.",
            argument="after",
        )
    return key


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
        limit = page_size(first)
        code = (await context.languages()).resolve(language)
        parsed = search_query.parse(query)
        tag = _query_tag(parsed, code)
        key = _key(after, tag) if after else None
        visibility = context.visibility
        async with context.sessionmaker() as session:
            # One result past the page tells whether another page follows.
            hits = await searching.search(
                session, parsed, code, visibility, limit=limit + 1, after=key
            )
        edges = [
            SearchEdge(
                cursor=encode_cursor(CURSOR_KIND, tag, hit.key.score, hit.key.id),
                node=Article.from_model(hit.article),
                snippet=hit.snippet,
            )
            for hit in hits[:limit]
        ]

        async def count() -> int:
            async with context.sessionmaker() as session:
                return await searching.count(session, parsed, code, visibility)

        return SearchConnection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=len(hits) > limit,
                has_previous_page=key is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            _count=count,
        )
