"""Editors pin related articles; they come before the computed similar posts."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.articles.models import Article as ArticleModel
from publishing.similar.pins import MAX_PINNED, PIN_RELATED, set_related_articles
from schema.articles.mutations import ArticleSuccess, article_change
from schema.context import Context
from schema.mutations import decode_ids, mutation, result_union, success_type
from schema.usererrors import AnyUserError, ForbiddenError, NotFoundError, ValidationError


@strawberry.input
class SetRelatedArticlesInput:
    article_id: strawberry.ID
    related_article_ids: list[strawberry.ID] = strawberry.field(
        description=f"In the order to show them; at most {MAX_PINNED}. An empty list removes "
        "every pin. Same language, other stories; drafts show once published."
    )


SetRelatedArticlesSuccess = success_type(ArticleSuccess, "SetRelatedArticlesSuccess")
SetRelatedArticlesResult = result_union(
    "SetRelatedArticlesResult",
    SetRelatedArticlesSuccess,
    ValidationError,
    NotFoundError,
    ForbiddenError,
)


@strawberry.type
class SearchMutations:
    @mutation(
        SetRelatedArticlesResult,
        needs=PIN_RELATED,
        description="Pin related articles, shown first in `similar`. Needs the editor role.",
    )
    async def set_related_articles(
        self, info: Info[Context, None], input: SetRelatedArticlesInput
    ) -> ArticleSuccess | AnyUserError:
        async def pin(session: AsyncSession, actor: Actor) -> ArticleModel:
            paths: dict[tuple[str | int, ...], tuple[strawberry.ID, str]] = {
                ("articleId",): (input.article_id, "Article")
            }
            for index, value in enumerate(input.related_article_ids):
                paths[("relatedArticleIds", index)] = (value, "Article")
            ids = decode_ids(paths)
            related = [ids[("relatedArticleIds", i)] for i in range(len(input.related_article_ids))]
            return await set_related_articles(
                session, actor, ids[("articleId",)], related, now=info.context.now
            )

        return await article_change(info, SetRelatedArticlesSuccess, pin)
