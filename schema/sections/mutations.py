"""Section mutations (administrators): one `input` each, results as unions of success and the
errors each can produce."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.languages.service import load_enabled_languages
from publishing.sections import editing, reading
from publishing.sections.editing import NewSection, SectionChanges, SectionTextData
from schema.context import Context
from schema.maybe import given
from schema.mutations import (
    Deleted,
    decode_ids,
    decode_media_ids,
    decode_one,
    mutation,
    result_union,
    run_mutation,
    success_type,
)
from schema.sections.types import Section
from schema.seo.inputs import LocalizedSeoChangeInput, LocalizedSeoInput, localized_seo
from schema.usererrors import (
    AnyUserError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
)


@strawberry.input(description="A section's texts in one enabled language.")
class SectionTranslationInput:
    language: str = strawberry.field(description='An enabled language, e.g. "en".')
    name: str = strawberry.field(description="At most 200 characters.")
    slug: str = strawberry.field(
        description="Unique among sections in this language; lower-case letters, digits, hyphens."
    )
    description: str | None = strawberry.field(default=None, description="Plain text.")


@strawberry.input
class CreateSectionInput:
    translations: list[SectionTranslationInput] = strawberry.field(
        description="At least one, at most one per language."
    )
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="The Section it sits in; none for a top-level section."
    )
    image_id: strawberry.ID | None = strawberry.field(default=None, description="An Image.")
    position: int = strawberry.field(default=0, description="Order among its siblings.")
    seo: list[LocalizedSeoInput] = strawberry.field(
        default_factory=list, description="The section's page's SEO overrides; one per language."
    )


@strawberry.input(description="Fields left out stay as they are.")
class UpdateSectionInput:
    id: strawberry.ID
    expected_version: int = strawberry.field(
        description="The `version` you read; a newer one in the store gives ConflictError."
    )
    translations: strawberry.Maybe[list[SectionTranslationInput]] = strawberry.field(
        description="Every language's texts: the list replaces the stored one."
    )
    parent_id: strawberry.Maybe[strawberry.ID | None] = strawberry.field(
        description="Null makes it a top-level section; never itself or a section below it."
    )
    image_id: strawberry.Maybe[strawberry.ID | None] = strawberry.field(
        description="An Image; null removes it."
    )
    position: strawberry.Maybe[int]
    seo: strawberry.Maybe[list[LocalizedSeoChangeInput]] = strawberry.field(
        description="SEO overrides of the languages named only; at most one per language."
    )


@strawberry.input
class DeleteSectionInput:
    id: strawberry.ID
    expected_version: int | None = None


@strawberry.type
class SectionSuccess:
    section: Section


CreateSectionSuccess = success_type(SectionSuccess, "CreateSectionSuccess")
UpdateSectionSuccess = success_type(SectionSuccess, "UpdateSectionSuccess")
DeleteSectionSuccess = success_type(Deleted, "DeleteSectionSuccess")

CreateSectionResult = result_union(
    "CreateSectionResult", CreateSectionSuccess, ValidationError, ForbiddenError
)
UpdateSectionResult = result_union(
    "UpdateSectionResult",
    UpdateSectionSuccess,
    ValidationError,
    ConflictError,
    NotFoundError,
    ForbiddenError,
)
DeleteSectionResult = result_union(
    "DeleteSectionResult",
    DeleteSectionSuccess,
    ValidationError,
    ConflictError,
    NotFoundError,
    ForbiddenError,
)


def _texts(items: list[SectionTranslationInput]) -> list[SectionTextData]:
    return [SectionTextData(t.language, t.name, t.slug, t.description) for t in items]


def _parent(value: strawberry.ID | None) -> int | None:
    return None if value is None else decode_ids({("parentId",): (value, "Section")})[("parentId",)]


def _image(value: strawberry.ID | None) -> int | None:
    return None if value is None else decode_media_ids({("imageId",): value})[("imageId",)]


async def _section(session: AsyncSession, section_id: int) -> Section:
    views = await reading.sections_by_id(session, [section_id])
    return Section.from_view(views[section_id], await load_enabled_languages(session))


@strawberry.type
class SectionMutations:
    @mutation(
        CreateSectionResult,
        needs=editing.CREATE_SECTION,
        description="A new section, top-level or inside another, named in enabled languages.",
    )
    async def create_section(
        self, info: Info[Context, None], input: CreateSectionInput
    ) -> SectionSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> SectionSuccess:
            data = NewSection(
                translations=_texts(input.translations),
                parent_id=_parent(input.parent_id),
                image_id=_image(input.image_id),
                position=input.position,
                seo=localized_seo(input.seo),
            )
            section = await editing.create_section(session, actor, data, now=info.context.now)
            return CreateSectionSuccess(section=await _section(session, section.id))

        return await run_mutation(info, work)

    @mutation(
        UpdateSectionResult,
        needs=editing.CHANGE_SECTION,
        description="Change a section's texts, parent, image, position or SEO overrides.",
    )
    async def update_section(
        self, info: Info[Context, None], input: UpdateSectionInput
    ) -> SectionSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> SectionSuccess:
            changes = SectionChanges(
                translations=given(input.translations, _texts),
                parent_id=given(input.parent_id, _parent),
                image_id=given(input.image_id, _image),
                position=given(input.position),
                seo=given(input.seo, localized_seo),
            )
            section = await editing.update_section(
                session,
                actor,
                decode_one(input.id, "Section"),
                input.expected_version,
                changes,
                now=info.context.now,
            )
            return UpdateSectionSuccess(section=await _section(session, section.id))

        return await run_mutation(info, work)

    @mutation(
        DeleteSectionResult,
        needs=editing.DELETE_SECTION,
        description="Delete a section nothing is filed under: one with sub-sections, stories "
        "or menu links is kept (ValidationError HAS_CHILDREN, HAS_STORIES or IN_MENU).",
    )
    async def delete_section(
        self, info: Info[Context, None], input: DeleteSectionInput
    ) -> Deleted | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> Deleted:
            await editing.delete_section(
                session,
                actor,
                decode_one(input.id, "Section"),
                now=info.context.now,
                expected_version=input.expected_version,
            )
            return DeleteSectionSuccess(deleted_id=input.id)

        return await run_mutation(info, work)
