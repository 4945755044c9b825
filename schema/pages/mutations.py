"""Page mutations: the article mutations' twins, run by the same services given the PAGE
kind, with the same permissions and the same union results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.articles import editing
from publishing.articles.models import Article as ArticleModel
from publishing.articles.models import StoryKind
from publishing.tokens import previews
from schema.articles.mutations import status_change, story_change
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
from schema.pages.inputs import (
    CreatePageInput,
    CreatePagePreviewLinkInput,
    CreatePageTranslationInput,
    PageStatusInput,
    PublishPageInput,
    RestorePageRevisionInput,
    UpdatePageInput,
)
from schema.pages.types import Page
from schema.usererrors import (
    CHANGE_ERRORS,
    AnyUserError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
)

PAGE = StoryKind.PAGE


@strawberry.type
class PageSuccess:
    page: Page


CreatePageSuccess = success_type(PageSuccess, "CreatePageSuccess")
CreatePageTranslationSuccess = success_type(PageSuccess, "CreatePageTranslationSuccess")
UpdatePageSuccess = success_type(PageSuccess, "UpdatePageSuccess")
PageStatusSuccess = success_type(
    PageSuccess,
    "PageStatusSuccess",
    "The page after a status change (publish, unpublish, archive).",
)
RestorePageRevisionSuccess = success_type(PageSuccess, "RestorePageRevisionSuccess")
DeletePageSuccess = success_type(Deleted, "DeletePageSuccess")


@strawberry.type
class CreatePagePreviewLinkSuccess:
    token: str = strawberry.field(description="Pass to `pagePreview(token:)`.")
    expires_at: dt.datetime
    page: Page


CreatePageResult = result_union(
    "CreatePageResult", CreatePageSuccess, ValidationError, ForbiddenError
)
CreatePageTranslationResult = result_union(
    "CreatePageTranslationResult",
    CreatePageTranslationSuccess,
    ValidationError,
    NotFoundError,
    ForbiddenError,
)
UpdatePageResult = result_union("UpdatePageResult", UpdatePageSuccess, *CHANGE_ERRORS)
PageStatusResult = result_union("PageStatusResult", PageStatusSuccess, *CHANGE_ERRORS)
DeletePageResult = result_union("DeletePageResult", DeletePageSuccess, *CHANGE_ERRORS)
RestorePageRevisionResult = result_union(
    "RestorePageRevisionResult", RestorePageRevisionSuccess, *CHANGE_ERRORS
)
CreatePagePreviewLinkResult = result_union(
    "CreatePagePreviewLinkResult",
    CreatePagePreviewLinkSuccess,
    ValidationError,
    NotFoundError,
    ForbiddenError,
)


async def page_change(
    info: Info[Context, None],
    success: type[PageSuccess],
    change: Callable[[AsyncSession, Actor], Awaitable[ArticleModel]],
) -> PageSuccess | AnyUserError:
    return await story_change(info, PAGE, lambda p: success(page=Page.from_model(p)), change)


@strawberry.type
class PageMutations:
    @mutation(
        CreatePageResult,
        needs=editing.CREATE_PAGE,
        description="A new page with its first language version, as a draft.",
    )
    async def create_page(
        self, info: Info[Context, None], input: CreatePageInput
    ) -> PageSuccess | AnyUserError:
        return await page_change(
            info,
            CreatePageSuccess,
            lambda session, actor: editing.create_article(
                session, actor, input.to_data(), now=info.context.now, kind=PAGE
            ),
        )

    @mutation(
        CreatePageTranslationResult,
        needs=editing.CREATE_TRANSLATION,
        description="A new language version of a page, as a draft.",
    )
    async def create_page_translation(
        self, info: Info[Context, None], input: CreatePageTranslationInput
    ) -> PageSuccess | AnyUserError:
        return await page_change(
            info,
            CreatePageTranslationSuccess,
            lambda session, actor: editing.create_translation(
                session, actor, input.to_data(), now=info.context.now, kind=PAGE
            ),
        )

    @mutation(
        UpdatePageResult,
        needs=editing.EDIT_PAGE,
        description="A partial update of a page, guarded by `expectedVersion`.",
    )
    async def update_page(
        self, info: Info[Context, None], input: UpdatePageInput
    ) -> PageSuccess | AnyUserError:
        return await page_change(
            info,
            UpdatePageSuccess,
            lambda session, actor: editing.update_article(
                session,
                actor,
                decode_one(input.id, "Page"),
                input.expected_version,
                input.to_changes(),
                now=info.context.now,
                kind=PAGE,
            ),
        )

    @mutation(
        PageStatusResult,
        needs=editing.PUBLISH.permission,
        description="Publish a page now, or schedule it with a future `publishAt`.",
    )
    async def publish_page(
        self, info: Info[Context, None], input: PublishPageInput
    ) -> PageSuccess | AnyUserError:
        change = status_change(info, input, editing.PUBLISH, input.publish_at, kind=PAGE)
        return await page_change(info, PageStatusSuccess, change)

    @mutation(
        PageStatusResult,
        needs=editing.UNPUBLISH.permission,
        description="Back to draft: hidden from readers.",
    )
    async def unpublish_page(
        self, info: Info[Context, None], input: PageStatusInput
    ) -> PageSuccess | AnyUserError:
        change = status_change(info, input, editing.UNPUBLISH, kind=PAGE)
        return await page_change(info, PageStatusSuccess, change)

    @mutation(
        PageStatusResult,
        needs=editing.ARCHIVE.permission,
        description="Withdrawn from readers, kept for the record.",
    )
    async def archive_page(
        self, info: Info[Context, None], input: PageStatusInput
    ) -> PageSuccess | AnyUserError:
        change = status_change(info, input, editing.ARCHIVE, kind=PAGE)
        return await page_change(info, PageStatusSuccess, change)

    @mutation(
        DeletePageResult,
        needs=editing.DELETE_PAGE,
        description="Delete one language version of a page (an original only when alone).",
    )
    async def delete_page(
        self, info: Info[Context, None], input: PageStatusInput
    ) -> Deleted | AnyUserError:
        return await run_deletion(
            info,
            DeletePageSuccess,
            (input.id, "Page"),
            lambda session, actor, page_id, *, now: editing.delete_article(
                session, actor, page_id, now=now, expected_version=input.expected_version, kind=PAGE
            ),
        )

    @mutation(
        RestorePageRevisionResult,
        needs=editing.EDIT_PAGE,
        description="Bring back a page revision's text, footnotes, featured image and "
        "attachments as a new revision (media deleted since stays out).",
    )
    async def restore_page_revision(
        self, info: Info[Context, None], input: RestorePageRevisionInput
    ) -> PageSuccess | AnyUserError:
        async def restore(session: AsyncSession, actor: Actor) -> ArticleModel:
            page_id, revision_id = input.ids()
            restored = await editing.restore_revision(
                session,
                actor,
                page_id,
                revision_id,
                now=info.context.now,
                expected_version=input.expected_version,
                kind=PAGE,
            )
            return restored.article

        return await page_change(info, RestorePageRevisionSuccess, restore)

    @mutation(
        CreatePagePreviewLinkResult,
        needs=previews.CREATE_PREVIEW_LINK,
        description="A signed, expiring link to one page, draft or not.",
    )
    async def create_page_preview_link(
        self, info: Info[Context, None], input: CreatePagePreviewLinkInput
    ) -> CreatePagePreviewLinkSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> CreatePagePreviewLinkSuccess:
            link = await previews.create_preview_link(
                session,
                actor,
                decode_one(input.page_id, "Page", "pageId"),
                hours=input.expires_in_hours,
                now=info.context.now,
                kind=PAGE,
            )
            return CreatePagePreviewLinkSuccess(
                token=link.token, expires_at=link.expires_at, page=Page.from_model(link.article)
            )

        return await run_mutation(info, work)
