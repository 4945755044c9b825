from __future__ import annotations

import strawberry
from strawberry.types import Info

from publishing.languages.service import language_info
from schema.context import Context
from schema.languages.types import Language


@strawberry.type
class LanguageQueries:
    @strawberry.field(description="The enabled languages; the first is the default.")
    async def languages(self, info: Info[Context, None]) -> list[Language]:
        enabled = await info.context.languages()
        return [Language.from_info(language_info(code)) for code in enabled.codes]
