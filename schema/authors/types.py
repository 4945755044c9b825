from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from publishing.authors.models import Author as AuthorModel
from publishing.authors.reading import AuthorView
from publishing.site.links import LinkKind, Version
from schema.context import Context
from schema.media.types import Image, media_node
from schema.pagination import Connection
from schema.richtext import RichText
from schema.seo.resolving import author_seo
from schema.seo.types import Seo
from schema.site.types import Alternate
from schema.site.urls import alternates, page_language, public_url

if TYPE_CHECKING:
    from schema.articles.types import ArticleConnection, ArticleFilter


@strawberry.type(description="A person credited on articles: author, translator or editor.")
class Author(relay.Node):
    id: relay.NodeID[int]
    slug: str
    name: str
    avatar_url: str | None = strawberry.field(
        deprecation_reason="Use `avatar`: an uploaded portrait with sized, signed URLs, "
        "srcset and alt text. This answers only the older external address."
    )
    # The language of the page it was reached from (an article's), used when none is asked.
    _language: strawberry.Private[str | None] = None

    @strawberry.field(
        description="The bio in `language`, else along the fallback chain, else any bio."
    )
    async def bio(self, info: Info[Context, None], language: str | None = None) -> RichText | None:
        bios = await info.context.loaders.bios_by_author.load(self.id)
        languages = await info.context.languages()
        markdown = languages.pick(bios, language or self._language)
        return None if markdown is None else RichText.of(markdown)

    @strawberry.field(
        description="The author's page in `language` (else the language of the page it was "
        "reached from, else the default language)."
    )
    async def url(self, info: Info[Context, None], language: str | None = None) -> str:
        return await public_url(info, LinkKind.AUTHOR, self.slug, language or self._language)

    @strawberry.field(
        description="The author's page's `<head>` in `language` (else the language of the "
        "page it was reached from, else the default language), resolved: overrides in that "
        "language, else the name, the bio's first paragraph, the portrait."
    )
    async def seo(self, info: Info[Context, None], language: str | None = None) -> Seo:
        code = await page_language(info, language or self._language)
        resolved = await author_seo(info, self.id, self.slug, self.name, code)
        return Seo.of(resolved, code)

    @strawberry.field(
        description="The author's page in every enabled language (one slug for all: a name "
        "is not translated), in the publication's language order, then an `x-default` "
        "entry (the default language's): the page's `<link rel=alternate hreflang>` tags."
    )
    async def alternates(self, info: Info[Context, None]) -> list[Alternate]:
        codes = (await info.context.languages()).codes
        return await alternates(info, LinkKind.AUTHOR, [Version(code, self.slug) for code in codes])

    @strawberry.field(description="The author's portrait.")
    async def avatar(self, info: Info[Context, None]) -> Image | None:
        asset = await info.context.loaders.avatar_by_author.load(self.id)
        node = None if asset is None else media_node(asset, self._language)
        return node if isinstance(node, Image) else None

    @strawberry.field(description="Published articles credited to this author, newest first.")
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
            info,
            language=language,
            first=first,
            after=after,
            filter=filter,
            author_slug=self.slug,
        )

    @classmethod
    def from_model(cls, author: AuthorModel | AuthorView, language: str | None = None) -> Author:
        return cls(
            id=author.id,
            slug=author.slug,
            name=author.name,
            avatar_url=author.avatar_url,
            _language=language,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, None], node_ids: list[str], required: bool = False
    ) -> list[Author | None]:
        authors = await info.context.loaders.author_by_id.load_many([int(i) for i in node_ids])
        return [None if a is None else cls.from_model(a) for a in authors]


@strawberry.type(description="A page of authors.")
class AuthorConnection(Connection[Author]):
    pass
