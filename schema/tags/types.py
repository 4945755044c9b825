from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from publishing.languages.service import EnabledLanguages
from publishing.site.links import LinkKind, Version
from publishing.tags.reading import TagView
from schema.context import Context
from schema.seo.resolving import tag_seo
from schema.seo.types import Seo
from schema.site.types import Alternate
from schema.site.urls import alternates, page_language, public_url

if TYPE_CHECKING:
    from schema.articles.types import ArticleConnection, ArticleFilter


@strawberry.type(description="A topic label, named in every language.")
class Tag(relay.Node):
    id: relay.NodeID[int]
    slug: str
    _names: strawberry.Private[dict[str, str]]
    _languages: strawberry.Private[EnabledLanguages]
    # The language of the page it was reached from (an article's), used when none is asked.
    _language: strawberry.Private[str | None]

    @strawberry.field(
        description="The name in `language`, else along the fallback chain to the default."
    )
    def name(self, language: str | None = None) -> str:
        return self._languages.pick(self._names, language or self._language) or self.slug

    @strawberry.field(
        description="The tag's page in `language` (else the language of the page it was "
        "reached from, else the default language)."
    )
    async def url(self, info: Info[Context, None], language: str | None = None) -> str:
        return await public_url(info, LinkKind.TAG, self.slug, language or self._language)

    @strawberry.field(
        description="The tag's page's `<head>` in `language` (else the language of the page "
        "it was reached from, else the default language), resolved: overrides in that "
        "language, else the tag's name there and the site's description."
    )
    async def seo(self, info: Info[Context, None], language: str | None = None) -> Seo:
        code = await page_language(info, language or self._language)
        resolved = await tag_seo(info, self.id, self.slug, self.name(code), code)
        return Seo.of(resolved, code)

    @strawberry.field(
        description="The tag's page in every language it is named in (one slug for all), in "
        "the publication's language order, then an `x-default` entry (the default "
        "language's, else the first): the page's `<link rel=alternate hreflang>` tags."
    )
    async def alternates(self, info: Info[Context, None]) -> list[Alternate]:
        # A language it has no name in would show a name borrowed from another: not listed.
        return await alternates(
            info, LinkKind.TAG, [Version(code, self.slug) for code in self._names]
        )

    @strawberry.field(description="Published articles with this tag, newest first.")
    async def articles(
        self,
        info: Info[Context, None],
        language: str | None = None,
        first: int | None = None,
        after: str | None = None,
        filter: Annotated[ArticleFilter, strawberry.lazy("schema.articles.types")] | None = None,
    ) -> Annotated[ArticleConnection, strawberry.lazy("schema.articles.types")]:
        from schema.articles.listing import article_connection

        return await article_connection(
            info, language=language, first=first, after=after, filter=filter, tag_slug=self.slug
        )

    @classmethod
    def from_view(
        cls, view: TagView, languages: EnabledLanguages, language: str | None = None
    ) -> Tag:
        return cls(
            id=view.id, slug=view.slug, _names=view.names, _languages=languages, _language=language
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, None], node_ids: list[str], required: bool = False
    ) -> list[Tag | None]:
        languages = await info.context.languages()
        views = await info.context.loaders.tag_by_id.load_many([int(i) for i in node_ids])
        return [None if v is None else cls.from_view(v, languages) for v in views]
