"""Author mutations (administrators): one `input` each, results as unions of success and the
errors each can produce."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.authors import editing
from publishing.authors.editing import AuthorChanges, BioData, NewAuthor
from publishing.unset import UNSET, Unset
from schema.authors.types import Author
from schema.context import Context
from schema.mutations import decode_ids, run_mutation
from schema.usererrors import ForbiddenError, NotFoundError, ValidationError


@strawberry.input(description="An author's bio in one enabled language.")
class BioInput:
    language: str = strawberry.field(description='An enabled language, e.g. "en".')
    markdown: str = strawberry.field(description="Markdown, at most 50,000 characters.")


@strawberry.input(description="Sets or deletes the bio in one language; other languages stay.")
class BioChangeInput:
    language: str = strawberry.field(description='An enabled language, e.g. "en".')
    markdown: strawberry.Maybe[str | None] = strawberry.field(
        description="The new bio (required); null deletes it."
    )


@strawberry.input
class CreateAuthorInput:
    slug: str = strawberry.field(description="Unique; lower-case letters, digits and hyphens.")
    name: str
    avatar_url: str | None = strawberry.field(default=None, description="Absolute http(s) URL.")
    bios: list[BioInput] = strawberry.field(
        default_factory=list, description="At most one per language."
    )


@strawberry.input(description="Fields left out stay as they are.")
class UpdateAuthorInput:
    id: strawberry.ID
    slug: strawberry.Maybe[str]
    name: strawberry.Maybe[str]
    avatar_url: strawberry.Maybe[str | None] = strawberry.field(description="Null removes it.")
    bios: strawberry.Maybe[list[BioChangeInput]] = strawberry.field(
        description="Changes the languages named only; at most one change per language."
    )


@strawberry.input
class DeleteAuthorInput:
    id: strawberry.ID


@strawberry.type
class CreateAuthorSuccess:
    author: Author


@strawberry.type
class UpdateAuthorSuccess:
    author: Author


@strawberry.type
class DeleteAuthorSuccess:
    deleted_id: strawberry.ID


CreateAuthorResult = Annotated[
    CreateAuthorSuccess | ValidationError | ForbiddenError,
    strawberry.union("CreateAuthorResult"),
]
UpdateAuthorResult = Annotated[
    UpdateAuthorSuccess | ValidationError | NotFoundError | ForbiddenError,
    strawberry.union("UpdateAuthorResult"),
]
DeleteAuthorResult = Annotated[
    DeleteAuthorSuccess | ValidationError | NotFoundError | ForbiddenError,
    strawberry.union("DeleteAuthorResult"),
]


def _given(value: strawberry.Maybe[str | None]) -> str | Unset | None:
    return UNSET if value is None else value.value


def _author_id(value: strawberry.ID) -> int:
    return decode_ids({("id",): (value, "Author")})[("id",)]


@strawberry.type
class AuthorMutations:
    @strawberry.mutation(description="A new author, with bios in any enabled languages.")
    async def create_author(
        self, info: Info[Context, None], input: CreateAuthorInput
    ) -> CreateAuthorResult:
        async def work(session: AsyncSession, actor: Actor) -> CreateAuthorSuccess:
            data = NewAuthor(
                slug=input.slug,
                name=input.name,
                avatar_url=input.avatar_url,
                bios=[BioData(b.language, b.markdown) for b in input.bios],
            )
            author = await editing.create_author(session, actor, data, now=info.context.now)
            return CreateAuthorSuccess(author=Author.from_model(author))

        return await run_mutation(info, work)  # type: ignore[return-value]

    @strawberry.mutation(description="A partial update of an author and their bios.")
    async def update_author(
        self, info: Info[Context, None], input: UpdateAuthorInput
    ) -> UpdateAuthorResult:
        async def work(session: AsyncSession, actor: Actor) -> UpdateAuthorSuccess:
            changes = AuthorChanges(
                slug=UNSET if input.slug is None else input.slug.value,
                name=UNSET if input.name is None else input.name.value,
                avatar_url=UNSET if input.avatar_url is None else input.avatar_url.value,
                bios=UNSET
                if input.bios is None
                else [BioData(b.language, _given(b.markdown)) for b in input.bios.value],
            )
            author = await editing.update_author(
                session, actor, _author_id(input.id), changes, now=info.context.now
            )
            return UpdateAuthorSuccess(author=Author.from_model(author))

        return await run_mutation(info, work)  # type: ignore[return-value]

    @strawberry.mutation(description="Delete an uncredited author with their bios.")
    async def delete_author(
        self, info: Info[Context, None], input: DeleteAuthorInput
    ) -> DeleteAuthorResult:
        async def work(session: AsyncSession, actor: Actor) -> DeleteAuthorSuccess:
            await editing.delete_author(session, actor, _author_id(input.id), now=info.context.now)
            return DeleteAuthorSuccess(deleted_id=input.id)

        return await run_mutation(info, work)  # type: ignore[return-value]
