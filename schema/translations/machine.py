"""`prefillTranslation`: a machine translation provider fills a draft's untranslated segments.

The provider is asked between two short database visits, never inside a transaction: a
slow provider holds no lock, and a change made meanwhile is a ConflictError.
"""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.articles.models import StoryKind
from publishing.errors import PublishingError
from publishing.translations import prefill
from publishing.translations.machine import (
    FailureKind,
    MachineTranslationFailed,
    Translated,
    translate_segments,
)
from schema.articles.content import Content
from schema.context import Context
from schema.mutations import mutation, result_union, run_mutation
from schema.translations.versions import content_id, content_node
from schema.usererrors import (
    AnyUserError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    UserError,
    ValidationError,
    as_user_error,
)

MachineTranslationFailure = strawberry.enum(
    FailureKind,
    name="MachineTranslationFailure",
    description="NOT_CONFIGURED: no provider is set up; UNAVAILABLE: it did not answer in "
    "time or could not be reached; REFUSED: it answered with an error (key, quota, "
    "language); BAD_RESPONSE: its answer was not what its API promises.",
)


@strawberry.type(
    description="The machine translation provider could not translate; nothing was saved."
)
class MachineTranslationError(UserError):
    code: MachineTranslationFailure  # type: ignore[valid-type]

    @classmethod
    def from_domain(cls, error: MachineTranslationFailed) -> MachineTranslationError:
        return cls(message=error.message, code=error.kind)


@strawberry.input
class PrefillTranslationInput:
    id: strawberry.ID = strawberry.field(description="A draft translation: an Article or a Page.")
    expected_version: int = strawberry.field(
        description="The `version` you read; a newer one in the store gives ConflictError."
    )


@strawberry.type
class PrefillTranslationSuccess:
    translation: Content
    filled_segments: list[str] = strawberry.field(
        description="The original's segment ids now holding machine text (see "
        "`machineTranslatedSegments`); empty when nothing was left to translate."
    )
    unfilled_segments: list[str] = strawberry.field(
        description="Segments left as they were: the provider's answer broke their inline "
        "codes (footnote references, links, emphasis)."
    )


PrefillTranslationResult = result_union(
    "PrefillTranslationResult",
    PrefillTranslationSuccess,
    ValidationError,
    ConflictError,
    NotFoundError,
    ForbiddenError,
    MachineTranslationError,
)


@strawberry.type
class MachineTranslationMutations:
    @mutation(
        PrefillTranslationResult,
        needs=prefill.PREFILL_TRANSLATION,
        description="Fill a draft translation's untranslated segments by machine translation "
        "(missing subtitle, excerpt, body or footnotes are taken from the original first); "
        "what a person translated stays. The machine's segments are marked until edited.",
    )
    async def prefill_translation(
        self, info: Info[Context, None], input: PrefillTranslationInput
    ) -> PrefillTranslationSuccess | AnyUserError | MachineTranslationError:
        context = info.context
        provider = context.machine_translation
        if provider is None:
            return MachineTranslationError(
                message="Machine translation is not configured on this server "
                "(PRESSROOM_MACHINE_TRANSLATION).",
                code=FailureKind.NOT_CONFIGURED,
            )
        actor = context.actor
        assert actor is not None  # `mutation` refused a request without a token
        try:
            article_id, kind = content_id(input.id, "id")
            async with context.reads.session() as session:
                plan = await prefill.plan(
                    session, actor, article_id, kind=kind, expected_version=input.expected_version
                )
            segments = list(plan.untranslated.values())
            translated = (
                await translate_segments(
                    provider, segments, plan.source_language, plan.target_language
                )
                if segments
                else Translated({}, ())
            )
        except MachineTranslationFailed as failed:
            return MachineTranslationError.from_domain(failed)
        except PublishingError as error:
            return as_user_error(error)

        if not translated.content:
            # Nothing to write (all translated, or every answer broke its codes): no new
            # revision for an unchanged text.
            loader = (
                context.loaders.page_by_id
                if plan.kind is StoryKind.PAGE
                else context.loaders.article_by_id
            )
            unchanged = await loader.load(plan.article_id)
            assert unchanged is not None  # a token holder sees every status
            unfilled = [
                source_id
                for source_id, segment in plan.untranslated.items()
                if segment.id in translated.broken
            ]
            return PrefillTranslationSuccess(
                translation=content_node(unchanged), filled_segments=[], unfilled_segments=unfilled
            )

        async def work(session: AsyncSession, actor: Actor) -> PrefillTranslationSuccess:
            done = await prefill.apply(
                session, actor, plan, translated, provider=provider.name, now=context.now
            )
            return PrefillTranslationSuccess(
                translation=content_node(done.article),
                filled_segments=list(done.filled),
                unfilled_segments=list(done.broken),
            )

        return await run_mutation(info, work)
