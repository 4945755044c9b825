"""Article mutations: one `input` each, results as unions of success and possible errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor, Role
from publishing.articles import editing
from publishing.articles.editing import ArticleChanges, NewArticle, NewTranslation
from publishing.articles.models import Article as ArticleModel
from publishing.articles.reading import articles_by_id
from publishing.articles.visibility import Visibility
from publishing.errors import NotFoundError as NotFound
from publishing.errors import invalid
from publishing.tokens import previews
from publishing.unset import UNSET
from schema.articles.inputs import (
    ArticleStatusInput,
    CreateArticleInput,
    CreatePreviewLinkInput,
    CreateTranslationInput,
    PublishArticleInput,
    RestoreRevisionInput,
    UpdateArticleInput,
    credits_data,
    footnotes_data,
    numbering,
    tag_ids_data,
)
from schema.articles.types import Article
from schema.context import Context
from schema.mutations import decode_ids, run_mutation
from schema.usererrors import ConflictError, ForbiddenError, NotFoundError, ValidationError

T = TypeVar("T")


def _given(value: strawberry.Maybe[T]) -> T | object:
    """Maybe -> the services' UNSET for "left out", else the value (None included)."""
    return UNSET if value is None else value.value


async def _article(session: AsyncSession, article_id: int, now: dt.datetime) -> Article:
    # Re-read with the story, as every read path does, so the result renders like a query.
    found = await articles_by_id(session, [article_id], Visibility(now, True))
    return Article.from_model(found[article_id])


@strawberry.type
class CreateArticleSuccess:
    article: Article


@strawberry.type
class CreateTranslationSuccess:
    article: Article


@strawberry.type
class UpdateArticleSuccess:
    article: Article


@strawberry.type(description="The article after a status change (publish, unpublish, archive).")
class ArticleStatusSuccess:
    article: Article


@strawberry.type
class DeleteArticleSuccess:
    deleted_id: strawberry.ID


@strawberry.type
class RestoreRevisionSuccess:
    article: Article


@strawberry.type
class CreatePreviewLinkSuccess:
    token: str = strawberry.field(description="Pass to `articlePreview(token:)`.")
    expires_at: dt.datetime
    article: Article


CreateArticleResult = Annotated[
    CreateArticleSuccess | ValidationError | ForbiddenError,
    strawberry.union("CreateArticleResult"),
]
CreateTranslationResult = Annotated[
    CreateTranslationSuccess | ValidationError | NotFoundError | ForbiddenError,
    strawberry.union("CreateTranslationResult"),
]
UpdateArticleResult = Annotated[
    UpdateArticleSuccess | ValidationError | ConflictError | NotFoundError | ForbiddenError,
    strawberry.union("UpdateArticleResult"),
]
ArticleStatusResult = Annotated[
    ArticleStatusSuccess | ValidationError | ConflictError | NotFoundError | ForbiddenError,
    strawberry.union("ArticleStatusResult"),
]
DeleteArticleResult = Annotated[
    DeleteArticleSuccess | ValidationError | ConflictError | NotFoundError | ForbiddenError,
    strawberry.union("DeleteArticleResult"),
]
RestoreRevisionResult = Annotated[
    RestoreRevisionSuccess | ValidationError | ConflictError | NotFoundError | ForbiddenError,
    strawberry.union("RestoreRevisionResult"),
]
CreatePreviewLinkResult = Annotated[
    CreatePreviewLinkSuccess | ValidationError | NotFoundError | ForbiddenError,
    strawberry.union("CreatePreviewLinkResult"),
]


def _article_id(value: strawberry.ID, field: str = "id") -> int:
    return decode_ids({(field,): (value, "Article")})[(field,)]


async def _status_change(
    info: Info[Context, None],
    change: Callable[[AsyncSession, Actor], Awaitable[ArticleModel]],
) -> ArticleStatusResult:
    async def work(session: AsyncSession, actor: Actor) -> ArticleStatusSuccess:
        article = await change(session, actor)
        return ArticleStatusSuccess(article=await _article(session, article.id, info.context.now))

    return await run_mutation(info, work)  # type: ignore[return-value]


@strawberry.type
class ArticleMutations:
    @strawberry.mutation(description="A new story with its first language version, as a draft.")
    async def create_article(
        self, info: Info[Context, None], input: CreateArticleInput
    ) -> CreateArticleResult:
        async def work(session: AsyncSession, actor: Actor) -> CreateArticleSuccess:
            data = NewArticle(
                language=input.language,
                slug=input.slug,
                title=input.title,
                subtitle=input.subtitle,
                excerpt=input.excerpt,
                body=input.body,
                numbering_style=numbering(input.numbering_style),
                footnotes=footnotes_data(input.footnotes),
                credits=credits_data(input.credits),
                tag_ids=tag_ids_data(input.tag_ids),
            )
            article = await editing.create_article(session, actor, data, now=info.context.now)
            return CreateArticleSuccess(
                article=await _article(session, article.id, info.context.now)
            )

        return await run_mutation(info, work)  # type: ignore[return-value]

    @strawberry.mutation(description="A new language version of a story, as a draft.")
    async def create_translation(
        self, info: Info[Context, None], input: CreateTranslationInput
    ) -> CreateTranslationResult:
        async def work(session: AsyncSession, actor: Actor) -> CreateTranslationSuccess:
            data = NewTranslation(
                original_id=_article_id(input.original_id, "originalId"),
                language=input.language,
                slug=input.slug,
                title=input.title,
                subtitle=input.subtitle,
                excerpt=input.excerpt,
                body=input.body,
                numbering_style=numbering(input.numbering_style) if input.numbering_style else None,
                footnotes=footnotes_data(input.footnotes),
                credits=credits_data(input.credits),
            )
            article = await editing.create_translation(session, actor, data, now=info.context.now)
            return CreateTranslationSuccess(
                article=await _article(session, article.id, info.context.now)
            )

        return await run_mutation(info, work)  # type: ignore[return-value]

    @strawberry.mutation(description="A partial update, guarded by `expectedVersion`.")
    async def update_article(
        self, info: Info[Context, None], input: UpdateArticleInput
    ) -> UpdateArticleResult:
        async def work(session: AsyncSession, actor: Actor) -> UpdateArticleSuccess:
            style = _given(input.numbering_style)
            footnotes = _given(input.footnotes)
            credits = _given(input.credits)
            tag_ids = _given(input.tag_ids)
            changes = ArticleChanges(
                slug=_given(input.slug),  # type: ignore[arg-type]
                title=_given(input.title),  # type: ignore[arg-type]
                subtitle=_given(input.subtitle),  # type: ignore[arg-type]
                excerpt=_given(input.excerpt),  # type: ignore[arg-type]
                body=_given(input.body),  # type: ignore[arg-type]
                numbering_style=UNSET if style is UNSET else numbering(style),  # type: ignore[arg-type]
                footnotes=UNSET if footnotes is UNSET else footnotes_data(footnotes),  # type: ignore[arg-type]
                credits=UNSET if credits is UNSET else credits_data(credits),  # type: ignore[arg-type]
                tag_ids=UNSET if tag_ids is UNSET else tag_ids_data(tag_ids),  # type: ignore[arg-type]
                mark_up_to_date=input.mark_up_to_date,
            )
            article = await editing.update_article(
                session,
                actor,
                _article_id(input.id),
                input.expected_version,
                changes,
                now=info.context.now,
            )
            return UpdateArticleSuccess(
                article=await _article(session, article.id, info.context.now)
            )

        return await run_mutation(info, work)  # type: ignore[return-value]

    @strawberry.mutation(description="Publish now, or schedule with a future `publishAt`.")
    async def publish_article(
        self, info: Info[Context, None], input: PublishArticleInput
    ) -> ArticleStatusResult:
        return await _status_change(
            info,
            lambda session, actor: editing.publish_article(
                session,
                actor,
                _article_id(input.id),
                now=info.context.now,
                publish_at=input.publish_at,
                expected_version=input.expected_version,
            ),
        )

    @strawberry.mutation(description="Back to draft: hidden from readers.")
    async def unpublish_article(
        self, info: Info[Context, None], input: ArticleStatusInput
    ) -> ArticleStatusResult:
        return await _status_change(
            info,
            lambda session, actor: editing.unpublish_article(
                session,
                actor,
                _article_id(input.id),
                now=info.context.now,
                expected_version=input.expected_version,
            ),
        )

    @strawberry.mutation(description="Withdrawn from readers, kept for the record.")
    async def archive_article(
        self, info: Info[Context, None], input: ArticleStatusInput
    ) -> ArticleStatusResult:
        return await _status_change(
            info,
            lambda session, actor: editing.archive_article(
                session,
                actor,
                _article_id(input.id),
                now=info.context.now,
                expected_version=input.expected_version,
            ),
        )

    @strawberry.mutation(description="Delete one language version (an original only when alone).")
    async def delete_article(
        self, info: Info[Context, None], input: ArticleStatusInput
    ) -> DeleteArticleResult:
        async def work(session: AsyncSession, actor: Actor) -> DeleteArticleSuccess:
            await editing.delete_article(
                session,
                actor,
                _article_id(input.id),
                now=info.context.now,
                expected_version=input.expected_version,
            )
            return DeleteArticleSuccess(deleted_id=input.id)

        return await run_mutation(info, work)  # type: ignore[return-value]

    @strawberry.mutation(description="Bring back a revision's text as a new revision.")
    async def restore_revision(
        self, info: Info[Context, None], input: RestoreRevisionInput
    ) -> RestoreRevisionResult:
        async def work(session: AsyncSession, actor: Actor) -> RestoreRevisionSuccess:
            ids = decode_ids(
                {
                    ("articleId",): (input.article_id, "Article"),
                    ("revisionId",): (input.revision_id, "Revision"),
                }
            )
            article = await editing.restore_revision(
                session,
                actor,
                ids[("articleId",)],
                ids[("revisionId",)],
                now=info.context.now,
                expected_version=input.expected_version,
            )
            return RestoreRevisionSuccess(
                article=await _article(session, article.id, info.context.now)
            )

        return await run_mutation(info, work)  # type: ignore[return-value]

    @strawberry.mutation(description="A signed, expiring link to one article, draft or not.")
    async def create_preview_link(
        self, info: Info[Context, None], input: CreatePreviewLinkInput
    ) -> CreatePreviewLinkResult:
        async def work(session: AsyncSession, actor: Actor) -> CreatePreviewLinkSuccess:
            actor.require(Role.CONTRIBUTOR, "Creating a preview link")
            article_id = _article_id(input.article_id, "articleId")
            if not 1 <= input.expires_in_hours <= 720:
                invalid(["expiresInHours"], "OUT_OF_RANGE", "expiresInHours runs from 1 to 720.")
            now = info.context.now
            found = await articles_by_id(session, [article_id], Visibility(now, True))
            if article_id not in found:
                raise NotFound("article", input.article_id)
            expires_at = now + dt.timedelta(hours=input.expires_in_hours)
            key = await previews.signing_key(session, now=now)
            return CreatePreviewLinkSuccess(
                token=previews.make_preview_token(key, article_id, expires_at),
                expires_at=expires_at.replace(microsecond=0),
                article=Article.from_model(found[article_id]),
            )

        return await run_mutation(info, work)  # type: ignore[return-value]
