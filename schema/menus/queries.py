from __future__ import annotations

import strawberry
from strawberry.types import Info

from publishing.menus import reading
from schema.context import Context
from schema.menus.types import Menu


@strawberry.type
class MenuQueries:
    @strawberry.field(
        description='A navigation menu by its name (e.g. "primary", "footer") in `language`; '
        "null when there is none."
    )
    async def menu(self, info: Info[Context, None], name: str, language: str) -> Menu | None:
        code = (await info.context.languages()).resolve(language)
        async with info.context.reads.session() as session:
            found = await reading.menu_by_name(session, name, code)
        return None if found is None else Menu.from_view(found)
