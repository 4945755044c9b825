from __future__ import annotations

import strawberry
from strawberry.types import Info

from publishing.tags import reading
from schema.context import Context
from schema.tags.types import Tag


@strawberry.type
class TagQueries:
    @strawberry.field
    async def tag(self, info: Info[Context, None], slug: str) -> Tag | None:
        languages = await info.context.languages()
        async with info.context.reads.session() as session:
            found = await reading.tag_by_slug(session, slug)
        return None if found is None else Tag.from_view(found, languages)

    @strawberry.field(description="Every tag, by slug.")
    async def tags(self, info: Info[Context, None]) -> list[Tag]:
        languages = await info.context.languages()
        async with info.context.reads.session() as session:
            found = await reading.all_tags(session)
        return [Tag.from_view(view, languages) for view in found]
