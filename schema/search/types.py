from __future__ import annotations

from collections.abc import Sequence

import strawberry

from schema.articles.types import Article
from schema.pagination import Connection, Edge


@strawberry.type(description="One search result.")
class SearchEdge(Edge[Article]):
    snippet: str = strawberry.field(
        description="A passage of the article as HTML: plain text, escaped, with the matched "
        "words in <mark>. Empty when the article has no text besides its title."
    )


@strawberry.type(description="Search results, best match first.")
class SearchConnection(Connection[Article]):
    edges: Sequence[SearchEdge]
