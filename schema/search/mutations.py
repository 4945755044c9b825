"""Editors pin related articles; they come before the computed similar posts."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor, Role
from publishing.articles.reading import articles_by_id
from publishing.articles.visibility import Visibility
from publishing.similar.pins import MAX_PINNED, set_related_articles
from schema.articles.types import Article
from schema.context import Context
from schema.mutations import decode_ids, run_mutation
from schema.usererrors import ForbiddenError, NotFoundError, ValidationError


@strawberry.input
class SetRelatedArticlesInput:
    article_id: strawberry.ID
    related_article_ids: list[strawberry.ID] = strawberry.field(
        description=f"In the order to show them; at most {MAX_PINNED}. An empty list removes "
        "every pin. Same language, other stories; drafts show once published."
    )


@strawberry.type
class SetRelatedArticlesSuccess:
    article: Article


SetRelatedArticlesResult = Annotated[
    SetRelatedArticlesSuccess | ValidationError | NotFoundError | ForbiddenError,
    strawberry.union("SetRelatedArticlesResult"),
]


@strawberry.type
class SearchMutations:
    @strawberry.mutation(
        description="Pin related articles, shown first in `similar`. Needs the editor role."
    )
    async def set_related_articles(
        self, info: Info[Context, None], input: SetRelatedArticlesInput
    ) -> SetRelatedArticlesResult:
        async def work(session: AsyncSession, actor: Actor) -> SetRelatedArticlesSuccess:
            actor.require(Role.EDITOR, "Pinning related articles")
            paths: dict[tuple[str | int, ...], tuple[strawberry.ID, str]] = {
                ("articleId",): (input.article_id, "Article")
            }
            for index, value in enumerate(input.related_article_ids):
                paths[("relatedArticleIds", index)] = (value, "Article")
            ids = decode_ids(paths)
            related = [ids[("relatedArticleIds", i)] for i in range(len(input.related_article_ids))]
            now = info.context.now
            article = await set_related_articles(
                session, actor, ids[("articleId",)], related, now=now
            )
            # Re-read with the story, as every read path does, so it renders like a query.
            found = await articles_by_id(session, [article.id], Visibility(now, True))
            return SetRelatedArticlesSuccess(article=Article.from_model(found[article.id]))

        return await run_mutation(info, work)  # type: ignore[return-value]
