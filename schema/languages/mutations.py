"""Language mutations (administrators): one `input` each, results as unions of success and the
errors each can produce."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.languages import service
from schema.context import Context
from schema.languages.types import Language
from schema.mutations import mutation, result_union, run_mutation
from schema.usererrors import AnyUserError, ForbiddenError, ValidationError


@strawberry.input
class EnableLanguageInput:
    code: str = strawberry.field(
        description='A BCP 47 tag CLDR knows, e.g. "de" or "pt-BR"; any casing.'
    )


@strawberry.type
class EnableLanguageSuccess:
    language: Language


EnableLanguageResult = result_union(
    "EnableLanguageResult", EnableLanguageSuccess, ValidationError, ForbiddenError
)


@strawberry.type
class LanguageMutations:
    @mutation(
        EnableLanguageResult,
        needs=service.ENABLE_LANGUAGE,
        description="Enable a language for content; it is offered after those already enabled.",
    )
    async def enable_language(
        self, info: Info[Context, None], input: EnableLanguageInput
    ) -> EnableLanguageSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> EnableLanguageSuccess:
            enabled = await service.enable_language(session, actor, input.code)
            return EnableLanguageSuccess(language=Language.from_info(enabled))

        return await run_mutation(info, work)
