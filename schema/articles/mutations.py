"""Article mutations: one `input` each, results as unions of success and possible errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry import relay
from strawberry.types import Info

from publishing.access import Actor
from publishing.articles import editing
from publishing.articles.editing import StatusChange
from publishing.articles.models import Article as ArticleModel
from publishing.articles.models import StoryKind
from publishing.articles.reading import articles_by_id
from publishing.media.attaching import MissingMedia
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
    decode_one,
    mutation,
    result_union,
    run_deletion,
    run_mutation,
    success_type,
)
from schema.usererrors import (
    CHANGE_ERRORS,
    AnyUserError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
)

S = TypeVar("S")


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


@strawberry.type(description="Media a restored revision showed that has been deleted since.")
class MediaNotRestored:
    field: str = strawberry.field(
        description='Where it was shown: "featuredImage" or "attachments".'
    )
    id: strawberry.ID = strawberry.field(
        description="The global ID the asset had (an Image's or a Document's)."
    )

    @classmethod
    def from_domain(cls, missing: MissingMedia) -> MediaNotRestored:
        type_name = "Image" if missing.field == "featuredImage" else "Document"
        return cls(
            field=missing.field,
            id=strawberry.ID(str(relay.GlobalID(type_name, str(missing.asset_id)))),
        )


@strawberry.type(name="RestoreRevisionSuccess")
class RestoreRevisionSuccess(ArticleSuccess):
    media_not_restored: list[MediaNotRestored] = strawberry.field(
        description="Media the revision showed that was deleted since, so not restored: an "
        "attachment that is gone is left out, a featured image that is gone leaves the "
        "current one in place. Empty when everything came back."
    )


DeleteArticleSuccess = success_type(Deleted, "DeleteArticleSuccess")


@strawberry.type
class CreatePreviewLinkSuccess:
    token: str = strawberry.field(description="Pass to `articlePreview(token:)`.")
    expires_at: dt.datetime
    article: Article


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
UpdateArticleResult = result_union("UpdateArticleResult", UpdateArticleSuccess, *CHANGE_ERRORS)
ArticleStatusResult = result_union("ArticleStatusResult", ArticleStatusSuccess, *CHANGE_ERRORS)
DeleteArticleResult = result_union("DeleteArticleResult", DeleteArticleSuccess, *CHANGE_ERRORS)
RestoreRevisionResult = result_union(
    "RestoreRevisionResult", RestoreRevisionSuccess, *CHANGE_ERRORS
)
CreatePreviewLinkResult = result_union(
    "CreatePreviewLinkResult",
    CreatePreviewLinkSuccess,
    ValidationError,
    NotFoundError,
    ForbiddenError,
)


async def story_change(
    info: Info[Context, None],
    kind: StoryKind,
    success: Callable[[ArticleModel], S],
    change: Callable[[AsyncSession, Actor], Awaitable[ArticleModel]],
) -> S | AnyUserError:
    """Run ``change`` to a story of ``kind`` as a mutation; on success, what ``success``
    makes of the version, read again as every read path loads it (with its story), so it
    renders like a query's."""

    async def work(session: AsyncSession, actor: Actor) -> S:
        article = await change(session, actor)
        found = await articles_by_id(session, [article.id], info.context.visibility, kind)
        return success(found[article.id])

    return await run_mutation(info, work)


async def article_change(
    info: Info[Context, None],
    success: type[ArticleSuccess],
    change: Callable[[AsyncSession, Actor], Awaitable[ArticleModel]],
) -> ArticleSuccess | AnyUserError:
    """``story_change`` for an article: ``success`` holds it."""
    return await story_change(
        info, StoryKind.ARTICLE, lambda a: success(article=Article.from_model(a)), change
    )


class StatusInput(Protocol):
    @property
    def id(self) -> strawberry.ID: ...
    @property
    def expected_version(self) -> int | None: ...


def status_change(
    info: Info[Context, None],
    input: StatusInput,
    change: StatusChange,
    publish_at: dt.datetime | None = None,
    *,
    kind: StoryKind = StoryKind.ARTICLE,
) -> Callable[[AsyncSession, Actor], Awaitable[ArticleModel]]:
    """The service call making ``change`` to the version of ``kind`` that ``input`` names."""
    type_name = "Page" if kind is StoryKind.PAGE else "Article"
    return lambda session, actor: editing.change_status(
        session,
        actor,
        decode_one(input.id, type_name),
        change,
        expected_version=input.expected_version,
        publish_at=publish_at,
        now=info.context.now,
        kind=kind,
    )


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
        return await article_change(
            info,
            CreateArticleSuccess,
            lambda session, actor: editing.create_article(
                session, actor, input.to_data(), now=info.context.now
            ),
        )

    @mutation(
        CreateTranslationResult,
        needs=editing.CREATE_TRANSLATION,
        description="A new language version of a story, as a draft.",
    )
    async def create_translation(
        self, info: Info[Context, None], input: CreateTranslationInput
    ) -> ArticleSuccess | AnyUserError:
        return await article_change(
            info,
            CreateTranslationSuccess,
            lambda session, actor: editing.create_translation(
                session, actor, input.to_data(), now=info.context.now
            ),
        )

    @mutation(
        UpdateArticleResult,
        needs=editing.EDIT_ARTICLE,
        description="A partial update, guarded by `expectedVersion`.",
    )
    async def update_article(
        self, info: Info[Context, None], input: UpdateArticleInput
    ) -> ArticleSuccess | AnyUserError:
        return await article_change(
            info,
            UpdateArticleSuccess,
            lambda session, actor: editing.update_article(
                session,
                actor,
                decode_one(input.id, "Article"),
                input.expected_version,
                input.to_changes(),
                now=info.context.now,
            ),
        )

    @mutation(
        ArticleStatusResult,
        needs=editing.PUBLISH.permission,
        description="Publish now, or schedule with a future `publishAt`.",
    )
    async def publish_article(
        self, info: Info[Context, None], input: PublishArticleInput
    ) -> ArticleSuccess | AnyUserError:
        change = status_change(info, input, editing.PUBLISH, input.publish_at)
        return await article_change(info, ArticleStatusSuccess, change)

    @mutation(
        ArticleStatusResult,
        needs=editing.UNPUBLISH.permission,
        description="Back to draft: hidden from readers.",
    )
    async def unpublish_article(
        self, info: Info[Context, None], input: ArticleStatusInput
    ) -> ArticleSuccess | AnyUserError:
        change = status_change(info, input, editing.UNPUBLISH)
        return await article_change(info, ArticleStatusSuccess, change)

    @mutation(
        ArticleStatusResult,
        needs=editing.ARCHIVE.permission,
        description="Withdrawn from readers, kept for the record.",
    )
    async def archive_article(
        self, info: Info[Context, None], input: ArticleStatusInput
    ) -> ArticleSuccess | AnyUserError:
        change = status_change(info, input, editing.ARCHIVE)
        return await article_change(info, ArticleStatusSuccess, change)

    @mutation(
        DeleteArticleResult,
        needs=editing.DELETE_ARTICLE,
        description="Delete one language version (an original only when alone).",
    )
    async def delete_article(
        self, info: Info[Context, None], input: ArticleStatusInput
    ) -> Deleted | AnyUserError:
        return await run_deletion(
            info,
            DeleteArticleSuccess,
            (input.id, "Article"),
            lambda session, actor, article_id, *, now: editing.delete_article(
                session, actor, article_id, now=now, expected_version=input.expected_version
            ),
        )

    @mutation(
        RestoreRevisionResult,
        needs=editing.EDIT_ARTICLE,
        description="Bring back a revision's text, footnotes, featured image and attachments "
        "as a new revision (status and publication date stay as they are).",
    )
    async def restore_revision(
        self, info: Info[Context, None], input: RestoreRevisionInput
    ) -> ArticleSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> RestoreRevisionSuccess:
            article_id, revision_id = input.ids()
            restored = await editing.restore_revision(
                session,
                actor,
                article_id,
                revision_id,
                now=info.context.now,
                expected_version=input.expected_version,
            )
            found = await articles_by_id(session, [article_id], info.context.visibility)
            return RestoreRevisionSuccess(
                article=Article.from_model(found[restored.article.id]),
                media_not_restored=[
                    MediaNotRestored.from_domain(m) for m in restored.missing_media
                ],
            )

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
