"""Article mutations: one `input` each, results as unions of success and possible errors."""

from __future__ import annotations

import datetime as dt

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.articles import editing
from publishing.articles.editing import StatusChange
from publishing.articles.models import Article as ArticleModel
from publishing.articles.reading import articles_by_id
from publishing.tokens import previews
from schema.articles.inputs import (
    ArticleStatusInput,
    CreateArticleInput,
    CreatePreviewLinkInput,
    CreateTranslationInput,
    PublishArticleInput,
    RestoreRevisionInput,
    UpdateArticleInput,
)
from schema.articles.types import Article
from schema.context import Context
from schema.mutations import (
    Deleted,
    decode_ids,
    decode_one,
    mutation,
    result_union,
    run_mutation,
    success_type,
)
from schema.usererrors import (
    AnyUserError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
)


@strawberry.type
class ArticleSuccess:
    article: Article


CreateArticleSuccess = success_type(ArticleSuccess, "CreateArticleSuccess")
CreateTranslationSuccess = success_type(ArticleSuccess, "CreateTranslationSuccess")
UpdateArticleSuccess = success_type(ArticleSuccess, "UpdateArticleSuccess")
ArticleStatusSuccess = success_type(
    ArticleSuccess,
    "ArticleStatusSuccess",
    "The article after a status change (publish, unpublish, archive).",
)
RestoreRevisionSuccess = success_type(ArticleSuccess, "RestoreRevisionSuccess")
DeleteArticleSuccess = success_type(Deleted, "DeleteArticleSuccess")


@strawberry.type
class CreatePreviewLinkSuccess:
    token: str = strawberry.field(description="Pass to `articlePreview(token:)`.")
    expires_at: dt.datetime
    article: Article


# The errors every change of one article can meet.
_CHANGE_ERRORS = (ValidationError, ConflictError, NotFoundError, ForbiddenError)

CreateArticleResult = result_union(
    "CreateArticleResult", CreateArticleSuccess, ValidationError, ForbiddenError
)
CreateTranslationResult = result_union(
    "CreateTranslationResult",
    CreateTranslationSuccess,
    ValidationError,
    NotFoundError,
    ForbiddenError,
)
UpdateArticleResult = result_union("UpdateArticleResult", UpdateArticleSuccess, *_CHANGE_ERRORS)
ArticleStatusResult = result_union("ArticleStatusResult", ArticleStatusSuccess, *_CHANGE_ERRORS)
DeleteArticleResult = result_union("DeleteArticleResult", DeleteArticleSuccess, *_CHANGE_ERRORS)
RestoreRevisionResult = result_union(
    "RestoreRevisionResult", RestoreRevisionSuccess, *_CHANGE_ERRORS
)
CreatePreviewLinkResult = result_union(
    "CreatePreviewLinkResult",
    CreatePreviewLinkSuccess,
    ValidationError,
    NotFoundError,
    ForbiddenError,
)


async def article_success(
    info: Info[Context, None],
    session: AsyncSession,
    article: ArticleModel,
    success: type[ArticleSuccess],
) -> ArticleSuccess:
    """``success`` holding ``article``, read again as every read path loads it (with its
    story), so it renders like a query's."""
    found = await articles_by_id(session, [article.id], info.context.visibility)
    return success(article=Article.from_model(found[article.id]))


async def _change_status(
    info: Info[Context, None],
    input: PublishArticleInput | ArticleStatusInput,
    change: StatusChange,
    publish_at: dt.datetime | None = None,
) -> ArticleSuccess | AnyUserError:
    async def work(session: AsyncSession, actor: Actor) -> ArticleSuccess:
        article = await editing.change_status(
            session,
            actor,
            decode_one(input.id, "Article"),
            change,
            expected_version=input.expected_version,
            publish_at=publish_at,
        )
        return await article_success(info, session, article, ArticleStatusSuccess)

    return await run_mutation(info, work)


@strawberry.type
class ArticleMutations:
    @mutation(
        CreateArticleResult,
        needs=editing.CREATE_ARTICLE,
        description="A new story with its first language version, as a draft.",
    )
    async def create_article(
        self, info: Info[Context, None], input: CreateArticleInput
    ) -> ArticleSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> ArticleSuccess:
            article = await editing.create_article(session, actor, input.to_data())
            return await article_success(info, session, article, CreateArticleSuccess)

        return await run_mutation(info, work)

    @mutation(
        CreateTranslationResult,
        needs=editing.CREATE_TRANSLATION,
        description="A new language version of a story, as a draft.",
    )
    async def create_translation(
        self, info: Info[Context, None], input: CreateTranslationInput
    ) -> ArticleSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> ArticleSuccess:
            article = await editing.create_translation(session, actor, input.to_data())
            return await article_success(info, session, article, CreateTranslationSuccess)

        return await run_mutation(info, work)

    @mutation(
        UpdateArticleResult,
        needs=editing.EDIT_ARTICLE,
        description="A partial update, guarded by `expectedVersion`.",
    )
    async def update_article(
        self, info: Info[Context, None], input: UpdateArticleInput
    ) -> ArticleSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> ArticleSuccess:
            changes = input.to_changes()
            article_id = decode_one(input.id, "Article")
            article = await editing.update_article(
                session, actor, article_id, input.expected_version, changes
            )
            return await article_success(info, session, article, UpdateArticleSuccess)

        return await run_mutation(info, work)

    @mutation(
        ArticleStatusResult,
        needs=editing.PUBLISH.permission,
        description="Publish now, or schedule with a future `publishAt`.",
    )
    async def publish_article(
        self, info: Info[Context, None], input: PublishArticleInput
    ) -> ArticleSuccess | AnyUserError:
        return await _change_status(info, input, editing.PUBLISH, input.publish_at)

    @mutation(
        ArticleStatusResult,
        needs=editing.UNPUBLISH.permission,
        description="Back to draft: hidden from readers.",
    )
    async def unpublish_article(
        self, info: Info[Context, None], input: ArticleStatusInput
    ) -> ArticleSuccess | AnyUserError:
        return await _change_status(info, input, editing.UNPUBLISH)

    @mutation(
        ArticleStatusResult,
        needs=editing.ARCHIVE.permission,
        description="Withdrawn from readers, kept for the record.",
    )
    async def archive_article(
        self, info: Info[Context, None], input: ArticleStatusInput
    ) -> ArticleSuccess | AnyUserError:
        return await _change_status(info, input, editing.ARCHIVE)

    @mutation(
        DeleteArticleResult,
        needs=editing.DELETE_ARTICLE,
        description="Delete one language version (an original only when alone).",
    )
    async def delete_article(
        self, info: Info[Context, None], input: ArticleStatusInput
    ) -> Deleted | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> Deleted:
            await editing.delete_article(
                session,
                actor,
                decode_one(input.id, "Article"),
                expected_version=input.expected_version,
            )
            return DeleteArticleSuccess(deleted_id=input.id)

        return await run_mutation(info, work)

    @mutation(
        RestoreRevisionResult,
        needs=editing.EDIT_ARTICLE,
        description="Bring back a revision's text as a new revision.",
    )
    async def restore_revision(
        self, info: Info[Context, None], input: RestoreRevisionInput
    ) -> ArticleSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> ArticleSuccess:
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
                expected_version=input.expected_version,
            )
            return await article_success(info, session, article, RestoreRevisionSuccess)

        return await run_mutation(info, work)

    @mutation(
        CreatePreviewLinkResult,
        needs=previews.CREATE_PREVIEW_LINK,
        description="A signed, expiring link to one article, draft or not.",
    )
    async def create_preview_link(
        self, info: Info[Context, None], input: CreatePreviewLinkInput
    ) -> CreatePreviewLinkSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> CreatePreviewLinkSuccess:
            link = await previews.create_preview_link(
                session,
                actor,
                decode_one(input.article_id, "Article", "articleId"),
                hours=input.expires_in_hours,
                now=info.context.now,
            )
            return CreatePreviewLinkSuccess(
                token=link.token,
                expires_at=link.expires_at,
                article=Article.from_model(link.article),
            )

        return await run_mutation(info, work)
