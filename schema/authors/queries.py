from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from publishing.authors import reading
from schema.authors.types import Author, AuthorConnection, AuthorEdge
from schema.context import Context
from schema.errors import UserInputError
from schema.pagination import decode_cursor, encode_cursor, page_size

CURSOR_KIND = "authors"


@strawberry.type
class AuthorQueries:
    @strawberry.field
    async def author(self, info: Info[Context, None], slug: str) -> Author | None:
        async with info.context.sessionmaker() as session:
            found = await reading.author_by_slug(session, slug)
        return None if found is None else Author.from_model(found)

    @strawberry.field(description="Authors by name; `first` from 1 to 100 (default 20).")
    async def authors(
        self, info: Info[Context, None], first: int | None = None, after: str | None = None
    ) -> AuthorConnection:
        limit = page_size(first)
        key: tuple[str, int] | None = None
        if after:
            values = decode_cursor(CURSOR_KIND, after)
            if len(values) != 2 or not isinstance(values[0], str) or not isinstance(values[1], int):
                raise UserInputError(
                    "`after` is not a valid cursor of this list.", argument="after"
                )
            key = (values[0], values[1])
        sessionmaker = info.context.sessionmaker
        async with sessionmaker() as session:
            rows = await reading.list_authors(session, limit=limit + 1, after=key)
        edges = [
            AuthorEdge(cursor=encode_cursor(CURSOR_KIND, a.name, a.id), node=Author.from_model(a))
            for a in rows[:limit]
        ]

        async def count() -> int:
            async with sessionmaker() as session:
                return await reading.count_authors(session)

        return AuthorConnection(
            edges=edges,
            page_info=relay.PageInfo(
                has_next_page=len(rows) > limit,
                has_previous_page=key is not None,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            _count=count,
        )
