"""Tag mutations (administrators): one `input` each, results as unions of success and the
errors each can produce."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.languages.service import load_enabled_languages
from publishing.tags import editing
from publishing.tags.editing import TagNameData
from publishing.unset import UNSET
from schema.context import Context
from schema.mutations import decode_ids, run_mutation
from schema.tags.types import Tag
from schema.usererrors import ForbiddenError, NotFoundError, ValidationError


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


@strawberry.input(description="Fields left out stay as they are.")
class UpdateTagInput:
    id: strawberry.ID
    slug: strawberry.Maybe[str]
    names: strawberry.Maybe[list[TagNameChangeInput]] = strawberry.field(
        description="Changes the languages named only; a tag keeps at least one name."
    )


@strawberry.input
class DeleteTagInput:
    id: strawberry.ID


@strawberry.type
class CreateTagSuccess:
    tag: Tag


@strawberry.type
class UpdateTagSuccess:
    tag: Tag


@strawberry.type
class DeleteTagSuccess:
    deleted_id: strawberry.ID


CreateTagResult = Annotated[
    CreateTagSuccess | ValidationError | ForbiddenError,
    strawberry.union("CreateTagResult"),
]
UpdateTagResult = Annotated[
    UpdateTagSuccess | ValidationError | NotFoundError | ForbiddenError,
    strawberry.union("UpdateTagResult"),
]
DeleteTagResult = Annotated[
    DeleteTagSuccess | ValidationError | NotFoundError | ForbiddenError,
    strawberry.union("DeleteTagResult"),
]


def _tag_id(value: strawberry.ID) -> int:
    return decode_ids({("id",): (value, "Tag")})[("id",)]


async def _tag(session: AsyncSession, tag_id: int) -> Tag:
    view = await editing.tag_view(session, tag_id)
    return Tag.from_view(view, await load_enabled_languages(session))


@strawberry.type
class TagMutations:
    @strawberry.mutation(description="A new tag, named in one or more enabled languages.")
    async def create_tag(self, info: Info[Context, None], input: CreateTagInput) -> CreateTagResult:
        async def work(session: AsyncSession, actor: Actor) -> CreateTagSuccess:
            names = [TagNameData(n.language, n.name) for n in input.names]
            tag = await editing.create_tag(session, actor, input.slug, names, now=info.context.now)
            return CreateTagSuccess(tag=await _tag(session, tag.id))

        return await run_mutation(info, work)  # type: ignore[return-value]

    @strawberry.mutation(description="Change a tag's slug, or its names language by language.")
    async def update_tag(self, info: Info[Context, None], input: UpdateTagInput) -> UpdateTagResult:
        async def work(session: AsyncSession, actor: Actor) -> UpdateTagSuccess:
            tag = await editing.update_tag(
                session,
                actor,
                _tag_id(input.id),
                slug=UNSET if input.slug is None else input.slug.value,
                names=UNSET
                if input.names is None
                else [
                    TagNameData(n.language, UNSET if n.name is None else n.name.value)
                    for n in input.names.value
                ],
                now=info.context.now,
            )
            return UpdateTagSuccess(tag=await _tag(session, tag.id))

        return await run_mutation(info, work)  # type: ignore[return-value]

    @strawberry.mutation(description="Delete a tag; the articles that had it lose it.")
    async def delete_tag(self, info: Info[Context, None], input: DeleteTagInput) -> DeleteTagResult:
        async def work(session: AsyncSession, actor: Actor) -> DeleteTagSuccess:
            await editing.delete_tag(session, actor, _tag_id(input.id), now=info.context.now)
            return DeleteTagSuccess(deleted_id=input.id)

        return await run_mutation(info, work)  # type: ignore[return-value]
