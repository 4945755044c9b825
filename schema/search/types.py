from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from strawberry import relay

from schema.articles.types import Article


@strawberry.type(description="One search result.")
class SearchEdge:
    cursor: str
    node: Article
    snippet: str = strawberry.field(
        description="A passage of the article as HTML: plain text, escaped, with the matched "
        "words in <mark>. Empty when the article has no text besides its title."
    )


@strawberry.type(description="Search results, best match first.")
class SearchConnection:
    edges: list[SearchEdge]
    page_info: relay.PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many visible articles match (all pages).")
    async def total_count(self) -> int:
        return await self._count()
