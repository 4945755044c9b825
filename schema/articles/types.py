from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from publishing.articles.models import Article as ArticleModel
from publishing.site.links import LinkKind
from schema.articles.content import (
    ArticleStatus,
    Content,
    Credit,
    CreditRole,
    NumberingStyle,
    Revision,
    TranslationStatus,
    content_fields,
)
from schema.context import Context
from schema.pagination import Connection, page_size
from schema.sections.types import Section
from schema.seo.resolving import article_seo, article_structured_data
from schema.seo.types import Seo
from schema.site.types import Alternate
from schema.tags.types import Tag

# The shared types live with `Content`; importers keep finding them here.
__all__ = [
    "Article",
    "ArticleConnection",
    "ArticleFilter",
    "ArticleStatus",
    "Credit",
    "CreditRole",
    "NumberingStyle",
    "Revision",
    "TranslationStatus",
]


@strawberry.input(description="Narrows an article listing; all conditions must hold.")
class ArticleFilter:
    author_slug: str | None = None
    tag_slug: str | None = None
    published_after: dt.datetime | None = strawberry.field(
        default=None, description="Published at or after this time."
    )
    published_before: dt.datetime | None = strawberry.field(
        default=None, description="Published before this time."
    )
    status: list[ArticleStatus] | None = strawberry.field(
        default=None,
        description="Any of these statuses. Readers without a token see PUBLISHED only.",
    )
    section: strawberry.ID | None = strawberry.field(
        default=None,
        description="Filed under this Section, as the story's primary section or another.",
    )
    include_subsections: bool = strawberry.field(
        default=False, description="With `section`: the sections below it count too."
    )
    featured: bool | None = strawberry.field(
        default=None,
        description="True: only featured stories; false: only the others.",
    )


@strawberry.type(description="One language version of a story.")
class Article(relay.Node, Content):
    id: relay.NodeID[int]

    @classmethod
    def from_model(cls, article: ArticleModel) -> Article:
        return cls(id=article.id, **content_fields(article))

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, None], node_ids: list[str], required: bool = False
    ) -> list[Article | None]:
        found = await info.context.loaders.article_by_id.load_many([int(i) for i in node_ids])
        return [None if a is None else cls.from_model(a) for a in found]

    @strawberry.field(
        description="The story is featured (put forward by editors; WordPress's sticky posts "
        "come in so). The same in every language version."
    )
    def featured(self) -> bool:
        return self._model.story.featured

    @strawberry.field
    async def tags(self, info: Info[Context, None]) -> list[Tag]:
        views = await info.context.loaders.tags_by_story.load(self._model.story_id)
        languages = await info.context.languages()
        return [Tag.from_view(view, languages, self._model.language) for view in views]

    @strawberry.field(description="The story's primary section; null when it is not filed.")
    async def section(self, info: Info[Context, None]) -> Section | None:
        placed = await info.context.loaders.sections_by_story.load(self._model.story_id)
        if placed.primary is None:
            return None
        languages = await info.context.languages()
        return Section.from_view(placed.primary, languages, self._model.language)

    @strawberry.field(description="The other sections the story appears in, in order.")
    async def sections(self, info: Info[Context, None]) -> list[Section]:
        placed = await info.context.loaders.sections_by_story.load(self._model.story_id)
        languages = await info.context.languages()
        return [Section.from_view(v, languages, self._model.language) for v in placed.others]

    @strawberry.field(description="The other visible language versions of the same story.")
    async def translations(self, info: Info[Context, None]) -> list[Article]:
        return [Article.from_model(v) for v in await self._translations(info)]

    @strawberry.field(
        description="The public address of this version: the site's URL and the article "
        "permalink pattern of its language."
    )
    async def url(self, info: Info[Context, None]) -> str:
        return await self._url(info, LinkKind.ARTICLE)

    @strawberry.field(
        description="Title, description, canonical URL, robots and social image for the "
        "page's `<head>`, resolved: editors' overrides, else this version's own."
    )
    async def seo(self, info: Info[Context, None]) -> Seo:
        resolved = await article_seo(info, self._model, await self._url(info, LinkKind.ARTICLE))
        return Seo.of(resolved, self._model.language)

    @strawberry.field(
        description='schema.org structured data for a `<script type="application/ld+json">`: '
        "a NewsArticle (or the kind of Article the site chose) with headline, description, "
        "authors, dates, images (absolute URLs), publisher, language, citations from the "
        "footnotes' sources, and links between language versions."
    )
    async def json_ld(self, info: Info[Context, None]) -> JSON:
        return await article_structured_data(
            info,
            self._model,
            url=await self._url(info, LinkKind.ARTICLE),
            references=self._parsed_body().referenced_keys(),
        )

    @strawberry.field(
        description="Every visible language version's URL (this one included) and an "
        "`x-default` entry (the original): the page's `<link rel=alternate hreflang>` tags "
        'and its "also available in" line.'
    )
    async def alternates(self, info: Info[Context, None]) -> list[Alternate]:
        return await self._alternates(info, LinkKind.ARTICLE)

    @strawberry.field(description="The visible version of this story in `language`, if any.")
    async def translation(self, info: Info[Context, None], language: str) -> Article | None:
        found = await self._translation(info, language)
        return None if found is None else Article.from_model(found)

    @strawberry.field(description="The version the story was written in, when visible.")
    async def original(self, info: Info[Context, None]) -> Article | None:
        if self.is_original:
            return self
        found = await self._original(info)
        return None if found is None else Article.from_model(found)

    @strawberry.field(
        description="Visible articles of the same language from other stories: those editors "
        "pinned first, then by shared tags and shared words, newer first on ties. `first` "
        "from 1 to 20."
    )
    async def similar(self, info: Info[Context, None], first: int | None = 5) -> list[Article]:
        limit = page_size(first, maximum=20, default=5)
        found = await info.context.loaders.similar_by_article.load((self._model.id, limit))
        return [Article.from_model(article) for article in found]


@strawberry.type(description="A page of articles.")
class ArticleConnection(Connection[Article]):
    pass
