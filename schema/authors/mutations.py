"""Author mutations (administrators): one `input` each, results as unions of success and the
errors each can produce."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.authors import editing
from publishing.authors.editing import AuthorChanges, BioData, NewAuthor
from schema.authors.types import Author
from schema.context import Context
from schema.maybe import given
from schema.mutations import (
    Deleted,
    decode_media_ids,
    decode_one,
    mutation,
    result_union,
    run_deletion,
    run_mutation,
    success_type,
)
from schema.seo.inputs import LocalizedSeoChangeInput, LocalizedSeoInput, localized_seo
from schema.usererrors import AnyUserError, ForbiddenError, NotFoundError, ValidationError


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
    avatar_id: strawberry.ID | None = strawberry.field(
        default=None, description="An Image from the media library: the author's portrait."
    )
    seo: list[LocalizedSeoInput] = strawberry.field(
        default_factory=list,
        description="The author's page's SEO overrides; at most one per language.",
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
    avatar_id: strawberry.Maybe[strawberry.ID | None] = strawberry.field(
        description="An Image from the media library; null removes it."
    )
    seo: strawberry.Maybe[list[LocalizedSeoChangeInput]] = strawberry.field(
        description="SEO overrides of the languages named only; at most one change per language."
    )


@strawberry.input
class DeleteAuthorInput:
    id: strawberry.ID


@strawberry.type
class AuthorSuccess:
    author: Author


CreateAuthorSuccess = success_type(AuthorSuccess, "CreateAuthorSuccess")
UpdateAuthorSuccess = success_type(AuthorSuccess, "UpdateAuthorSuccess")
DeleteAuthorSuccess = success_type(Deleted, "DeleteAuthorSuccess")

CreateAuthorResult = result_union(
    "CreateAuthorResult", CreateAuthorSuccess, ValidationError, ForbiddenError
)
UpdateAuthorResult = result_union(
    "UpdateAuthorResult", UpdateAuthorSuccess, ValidationError, NotFoundError, ForbiddenError
)
DeleteAuthorResult = result_union(
    "DeleteAuthorResult", DeleteAuthorSuccess, ValidationError, NotFoundError, ForbiddenError
)


def _avatar_id(avatar_id: strawberry.ID | None) -> int | None:
    if avatar_id is None:
        return None
    return decode_media_ids({("avatarId",): avatar_id})[("avatarId",)]


def _bio_change(change: BioChangeInput) -> BioData:
    return BioData(change.language, given(change.markdown))


@strawberry.type
class AuthorMutations:
    @mutation(
        CreateAuthorResult,
        needs=editing.CREATE_AUTHOR,
        description="A new author, with bios in any enabled languages.",
    )
    async def create_author(
        self, info: Info[Context, None], input: CreateAuthorInput
    ) -> AuthorSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> AuthorSuccess:
            data = NewAuthor(
                slug=input.slug,
                name=input.name,
                avatar_url=input.avatar_url,
                bios=[BioData(b.language, b.markdown) for b in input.bios],
                avatar_id=_avatar_id(input.avatar_id),
                seo=localized_seo(input.seo),
            )
            author = await editing.create_author(session, actor, data, now=info.context.now)
            return CreateAuthorSuccess(author=Author.from_model(author))

        return await run_mutation(info, work)

    @mutation(
        UpdateAuthorResult,
        needs=editing.CHANGE_AUTHOR,
        description="A partial update of an author and their bios.",
    )
    async def update_author(
        self, info: Info[Context, None], input: UpdateAuthorInput
    ) -> AuthorSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> AuthorSuccess:
            changes = AuthorChanges(
                slug=given(input.slug),
                name=given(input.name),
                avatar_url=given(input.avatar_url),
                bios=given(input.bios, lambda bios: [_bio_change(b) for b in bios]),
                avatar_id=given(input.avatar_id, _avatar_id),
                seo=given(input.seo, localized_seo),
            )
            author_id = decode_one(input.id, "Author")
            author = await editing.update_author(
                session, actor, author_id, changes, now=info.context.now
            )
            return UpdateAuthorSuccess(author=Author.from_model(author))

        return await run_mutation(info, work)

    @mutation(
        DeleteAuthorResult,
        needs=editing.DELETE_AUTHOR,
        description="Delete an uncredited author with their bios.",
    )
    async def delete_author(
        self, info: Info[Context, None], input: DeleteAuthorInput
    ) -> Deleted | AnyUserError:
        target = (input.id, "Author")
        return await run_deletion(info, DeleteAuthorSuccess, target, editing.delete_author)
