from __future__ import annotations

import strawberry
from strawberry.types import Info

from publishing.articles import reading
from publishing.articles.visibility import Visibility
from publishing.tokens import previews
from schema.articles.listing import article_connection
from schema.articles.types import Article, ArticleConnection, ArticleFilter
from schema.context import Context


@strawberry.type
class ArticleQueries:
    @strawberry.field(description="One language version by its slug; null when none is visible.")
    async def article(self, info: Info[Context, None], language: str, slug: str) -> Article | None:
        context = info.context
        code = (await context.languages()).resolve(language)
        async with context.reads.session() as session:
            found = await reading.article_by_slug(session, code, slug, context.visibility)
        return None if found is None else Article.from_model(found)

    @strawberry.field(
        description="The one article a preview token names, draft or not; null when the token "
        "is invalid or expired."
    )
    async def article_preview(self, info: Info[Context, None], token: str) -> Article | None:
        context = info.context
        async with context.reads.session() as session:
            key = await previews.signing_key(session, now=context.now)
            article_id = previews.read_preview_token(key, token, context.now)
            if article_id is None:
                return None
            found = await reading.articles_by_id(
                session, [article_id], Visibility(context.now, include_unpublished=True)
            )
        article = found.get(article_id)
        return None if article is None else Article.from_model(article)

    @strawberry.field(
        description="Articles newest first; `first` from 1 to 100 (default 20); "
        "all languages unless `language` is given."
    )
    async def articles(
        self,
        info: Info[Context, None],
        language: str | None = None,
        first: int | None = None,
        after: str | None = None,
        filter: ArticleFilter | None = None,
    ) -> ArticleConnection:
        return await article_connection(
            info, language=language, first=first, after=after, filter=filter
        )
