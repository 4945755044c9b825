from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info

from publishing.articles.models import Article as ArticleModel
from publishing.site.links import LinkKind
from schema.articles.content import Content, content_fields
from schema.context import Context
from schema.pagination import Connection, Edge
from schema.seo.resolving import article_seo, article_structured_data
from schema.seo.types import Seo
from schema.site.types import Alternate


@strawberry.type(
    description="One language version of a page: undated, translatable content such as "
    "About, Team or Privacy. Readers are shown no date; `publishedAt` is there for "
    "scheduling and for editors."
)
class Page(relay.Node, Content):
    id: relay.NodeID[int]

    @classmethod
    def from_model(cls, page: ArticleModel) -> Page:
        return cls(id=page.id, **content_fields(page))

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, None], node_ids: list[str], required: bool = False
    ) -> list[Page | None]:
        found = await info.context.loaders.page_by_id.load_many([int(i) for i in node_ids])
        return [None if p is None else cls.from_model(p) for p in found]

    @strawberry.field(description="The other visible language versions of the same page.")
    async def translations(self, info: Info[Context, None]) -> list[Page]:
        return [Page.from_model(v) for v in await self._translations(info)]

    @strawberry.field(
        description="The public address of this version: the site's URL and the page "
        "permalink pattern of its language."
    )
    async def url(self, info: Info[Context, None]) -> str:
        return await self._url(info, LinkKind.PAGE)

    @strawberry.field(
        description="Every visible language version's URL (this one included) and an "
        "`x-default` entry (the original): the page's `<link rel=alternate hreflang>` tags "
        'and its "also available in" line.'
    )
    async def alternates(self, info: Info[Context, None]) -> list[Alternate]:
        return await self._alternates(info, LinkKind.PAGE)

    @strawberry.field(
        description="Title, description, canonical URL, robots and social image for the "
        "page's `<head>`, resolved: editors' overrides, else this version's own."
    )
    async def seo(self, info: Info[Context, None]) -> Seo:
        resolved = await article_seo(info, self._model, await self._url(info, LinkKind.PAGE))
        return Seo.of(resolved, self._model.language)

    @strawberry.field(
        description='schema.org structured data for a `<script type="application/ld+json">`: '
        "a WebPage with its name, description, dates, image, publisher, language and links "
        "between language versions."
    )
    async def json_ld(self, info: Info[Context, None]) -> JSON:
        return await article_structured_data(
            info,
            self._model,
            url=await self._url(info, LinkKind.PAGE),
            references=self._parsed_body().referenced_keys(),
            kind=LinkKind.PAGE,
        )

    @strawberry.field(description="The visible version of this page in `language`, if any.")
    async def translation(self, info: Info[Context, None], language: str) -> Page | None:
        found = await self._translation(info, language)
        return None if found is None else Page.from_model(found)

    @strawberry.field(description="The version the page was written in, when visible.")
    async def original(self, info: Info[Context, None]) -> Page | None:
        if self.is_original:
            return self
        found = await self._original(info)
        return None if found is None else Page.from_model(found)


@strawberry.type(description="A page of pages, by title.")
class PageConnection(Connection[Page]):
    pass


@strawberry.type(description="One page search result.")
class PageSearchEdge(Edge[Page]):
    snippet: str = strawberry.field(
        description="A passage of the page as HTML: plain text, escaped, with the matched "
        "words in <mark>. Empty when the page has no text besides its title."
    )


@strawberry.type(description="Page search results, best match first.")
class PageSearchConnection(Connection[Page]):
    edges: Sequence[PageSearchEdge]
