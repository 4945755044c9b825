"""Tag mutations (administrators): one `input` each, results as unions of success and the
errors each can produce."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.languages.service import load_enabled_languages
from publishing.tags import editing
from publishing.tags.editing import TagNameData
from schema.context import Context
from schema.maybe import given
from schema.mutations import (
    Deleted,
    decode_one,
    mutation,
    result_union,
    run_deletion,
    run_mutation,
    success_type,
)
from schema.seo.inputs import LocalizedSeoChangeInput, LocalizedSeoInput, localized_seo
from schema.tags.types import Tag
from schema.usererrors import AnyUserError, ForbiddenError, NotFoundError, ValidationError


@strawberry.input(description="A tag's name in one enabled language.")
class TagNameInput:
    language: str = strawberry.field(description='An enabled language, e.g. "en".')
    name: str = strawberry.field(description="At most 200 characters.")


@strawberry.input(description="Sets or deletes the name in one language; other languages stay.")
class TagNameChangeInput:
    language: str = strawberry.field(description='An enabled language, e.g. "en".')
    name: strawberry.Maybe[str | None] = strawberry.field(
        description="The new name (required); null deletes it."
    )


@strawberry.input
class CreateTagInput:
    slug: str = strawberry.field(description="Unique; lower-case letters, digits and hyphens.")
    names: list[TagNameInput] = strawberry.field(
        description="At least one, at most one per language."
    )
    seo: list[LocalizedSeoInput] = strawberry.field(
        default_factory=list, description="The tag's page's SEO overrides; one per language."
    )


@strawberry.input(description="Fields left out stay as they are.")
class UpdateTagInput:
    id: strawberry.ID
    slug: strawberry.Maybe[str]
    names: strawberry.Maybe[list[TagNameChangeInput]] = strawberry.field(
        description="Changes the languages named only; a tag keeps at least one name."
    )
    seo: strawberry.Maybe[list[LocalizedSeoChangeInput]] = strawberry.field(
        description="SEO overrides of the languages named only; at most one per language."
    )


@strawberry.input
class DeleteTagInput:
    id: strawberry.ID


@strawberry.type
class TagSuccess:
    tag: Tag


CreateTagSuccess = success_type(TagSuccess, "CreateTagSuccess")
UpdateTagSuccess = success_type(TagSuccess, "UpdateTagSuccess")
DeleteTagSuccess = success_type(Deleted, "DeleteTagSuccess")

CreateTagResult = result_union("CreateTagResult", CreateTagSuccess, ValidationError, ForbiddenError)
UpdateTagResult = result_union(
    "UpdateTagResult", UpdateTagSuccess, ValidationError, NotFoundError, ForbiddenError
)
DeleteTagResult = result_union(
    "DeleteTagResult", DeleteTagSuccess, ValidationError, NotFoundError, ForbiddenError
)


async def _tag(session: AsyncSession, tag_id: int) -> Tag:
    view = await editing.tag_view(session, tag_id)
    return Tag.from_view(view, await load_enabled_languages(session))


def _name_changes(changes: list[TagNameChangeInput]) -> list[TagNameData]:
    return [TagNameData(n.language, given(n.name)) for n in changes]


@strawberry.type
class TagMutations:
    @mutation(
        CreateTagResult,
        needs=editing.CREATE_TAG,
        description="A new tag, named in one or more enabled languages.",
    )
    async def create_tag(
        self, info: Info[Context, None], input: CreateTagInput
    ) -> TagSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> TagSuccess:
            names = [TagNameData(n.language, n.name) for n in input.names]
            tag = await editing.create_tag(
                session,
                actor,
                input.slug,
                names,
                now=info.context.now,
                seo=localized_seo(input.seo),
            )
            return CreateTagSuccess(tag=await _tag(session, tag.id))

        return await run_mutation(info, work)

    @mutation(
        UpdateTagResult,
        needs=editing.CHANGE_TAG,
        description="Change a tag's slug, or its names language by language.",
    )
    async def update_tag(
        self, info: Info[Context, None], input: UpdateTagInput
    ) -> TagSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> TagSuccess:
            tag = await editing.update_tag(
                session,
                actor,
                decode_one(input.id, "Tag"),
                slug=given(input.slug),
                names=given(input.names, _name_changes),
                seo=given(input.seo, localized_seo),
                now=info.context.now,
            )
            return UpdateTagSuccess(tag=await _tag(session, tag.id))

        return await run_mutation(info, work)

    @mutation(
        DeleteTagResult,
        needs=editing.DELETE_TAG,
        description="Delete a tag; the articles that had it lose it.",
    )
    async def delete_tag(
        self, info: Info[Context, None], input: DeleteTagInput
    ) -> Deleted | AnyUserError:
        return await run_deletion(info, DeleteTagSuccess, (input.id, "Tag"), editing.delete_tag)
