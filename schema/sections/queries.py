from __future__ import annotations

import strawberry
from strawberry.types import Info

from publishing.sections import reading
from schema.context import Context
from schema.sections.ids import section_id
from schema.sections.types import Section


@strawberry.type
class SectionQueries:
    @strawberry.field(description="A section by its slug in `language`; null when none has it.")
    async def section(self, info: Info[Context, None], language: str, slug: str) -> Section | None:
        languages = await info.context.languages()
        code = languages.resolve(language)
        async with info.context.reads.session() as session:
            found = await reading.section_by_slug(session, code, slug)
        return None if found is None else Section.from_view(found, languages, code)

    @strawberry.field(
        description="The sections translated into `language` directly inside `parent` (the "
        "top-level ones when it is left out), in order."
    )
    async def sections(
        self, info: Info[Context, None], language: str, parent: strawberry.ID | None = None
    ) -> list[Section]:
        languages = await info.context.languages()
        code = languages.resolve(language)
        parent_id = None if parent is None else section_id(parent, "parent")
        async with info.context.reads.session() as session:
            found = await reading.sections_under(session, parent_id, code)
        return [Section.from_view(view, languages, code) for view in found]
