from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from publishing.authors import reading
from schema.authors.types import Author, AuthorConnection
from schema.context import Context
from schema.pagination import Keyset, Page


def _author_key(values: list[Any]) -> tuple[str, int]:
    name, author_id = values
    if not isinstance(name, str) or not isinstance(author_id, int):
        raise TypeError("an authors cursor holds a name and an id")
    return name, author_id


AUTHORS: Keyset[tuple[str, int]] = Keyset("authors", lambda key: key, _author_key)


@strawberry.type
class AuthorQueries:
    @strawberry.field
    async def author(self, info: Info[Context, None], slug: str) -> Author | None:
        async with info.context.reads.session() as session:
            found = await reading.author_by_slug(session, slug)
        return None if found is None else Author.from_model(found)

    @strawberry.field(description="Authors by name; `first` from 1 to 100 (default 20).")
    async def authors(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> AuthorConnection:
        reads = info.context.reads
        page = Page.of(AUTHORS, first, after)
        async with reads.session() as session:
            rows = await reading.list_authors(session, limit=page.fetch, after=page.after)

        async def count() -> int:
            async with reads.session() as session:
                return await reading.count_authors(session)

        return page.connection(
            AuthorConnection,
            rows,
            key=lambda a: (a.name, a.id),
            node=Author.from_model,
            count=count,
        )
