from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.types import Info

from publishing.languages.service import EnabledLanguages
from publishing.sections.reading import SectionText, SectionView
from publishing.site.links import LinkKind, Version
from schema.context import Context
from schema.media.types import Image, media_node
from schema.seo.resolving import section_seo
from schema.seo.types import Seo
from schema.site.types import Alternate
from schema.site.urls import alternates, page_language

if TYPE_CHECKING:
    from schema.articles.types import ArticleConnection, ArticleFilter


@strawberry.type(description="A section's name, slug and description in one language.")
class SectionTranslation:
    language: str
    name: str
    slug: str
    description: str | None


@strawberry.type(
    description="A place stories are filed under (Analysis, Reports); sections nest, and each "
    "has a name, slug and description per language."
)
class Section(relay.Node):
    id: relay.NodeID[int]
    position: int = strawberry.field(description="Order among its siblings.")
    version: int = strawberry.field(
        description="Changes with every update; send it back as `expectedVersion`."
    )
    _view: strawberry.Private[SectionView]
    _languages: strawberry.Private[EnabledLanguages]
    # The language of the page it was reached from (an article's, a menu's, the query's).
    _language: strawberry.Private[str | None]

    def _text(self, language: str | None) -> SectionText:
        return self._texts_in(language)[1]

    def _texts_in(self, language: str | None) -> tuple[str, SectionText]:
        """The language whose texts answer for ``language`` (along the fallback chain), and
        those texts."""
        texts = self._view.texts
        for code in self._languages.fallback_chain(language or self._language):
            if code in texts:
                return code, texts[code]
        # A section keeps texts in one language at least.
        return next(iter(texts.items()))

    @strawberry.field(
        description="The name in `language`, else along the fallback chain to the default."
    )
    def name(self, language: str | None = None) -> str:
        return self._text(language).name

    @strawberry.field(description="The slug in `language` (with the same fallback as `name`).")
    def slug(self, language: str | None = None) -> str:
        return self._text(language).slug

    @strawberry.field(description="The description in `language` (same fallback), if any.")
    def description(self, language: str | None = None) -> str | None:
        return self._text(language).description

    @strawberry.field(
        description="The section's page in `language` (else the language of the page it was "
        "reached from, else the default), with its slug there; a language it has no texts in "
        "falls back like `name`."
    )
    async def url(self, info: Info[Context, None], language: str | None = None) -> str:
        if language is not None:
            language = (await info.context.languages()).resolve(language)
        code, text = self._texts_in(language)
        site = await info.context.site()
        return site.links.url(LinkKind.SECTION, language=code, slug=text.slug)

    @strawberry.field(
        description="The section's page's `<head>` in `language` (else the language of the "
        "page it was reached from, else the default language), resolved: overrides in that "
        "language, else the section's name and description there (along the fallback chain, "
        "as `name`), the site's description, `url` and the section's image."
    )
    async def seo(self, info: Info[Context, None], language: str | None = None) -> Seo:
        code = await page_language(info, language or self._language)
        text_language, text = self._texts_in(code)
        site = await info.context.site()
        resolved = await section_seo(
            info,
            self._view.id,
            language=code,
            name=text.name,
            description=text.description,
            url=site.links.url(LinkKind.SECTION, language=text_language, slug=text.slug),
            image_id=self._view.image_id,
        )
        return Seo.of(resolved, code)

    @strawberry.field(
        description="The section's page in every language it has texts in, each with its own "
        "slug, in the publication's language order, then an `x-default` entry (the default "
        "language's, else the first): the page's `<link rel=alternate hreflang>` tags."
    )
    async def alternates(self, info: Info[Context, None]) -> list[Alternate]:
        texts = self._view.texts
        return await alternates(
            info, LinkKind.SECTION, [Version(code, text.slug) for code, text in texts.items()]
        )

    @strawberry.field(description="Every language's texts, in the publication's language order.")
    def translations(self) -> list[SectionTranslation]:
        texts = self._view.texts
        order = [c for c in self._languages.codes if c in texts]
        order += sorted(c for c in texts if c not in order)
        return [
            SectionTranslation(
                language=c, name=texts[c].name, slug=texts[c].slug, description=texts[c].description
            )
            for c in order
        ]

    @strawberry.field(description="The section it sits in; null for a top-level section.")
    async def parent(self, info: Info[Context, None]) -> Section | None:
        if self._view.parent_id is None:
            return None
        view = await info.context.loaders.section_by_id.load(self._view.parent_id)
        return None if view is None else self._sibling(view)

    @strawberry.field(description="The sections directly inside it, in order.")
    async def children(self, info: Info[Context, None]) -> list[Section]:
        views = await info.context.loaders.sections_by_parent.load(self._view.id)
        return [self._sibling(view) for view in views]

    @strawberry.field(description="The path to it: the top-level section first, itself last.")
    async def breadcrumbs(self, info: Info[Context, None]) -> list[Section]:
        views = await info.context.loaders.breadcrumbs_by_section.load(self._view.id)
        return [self._sibling(view) for view in views]

    @strawberry.field(description="The section's image, for its header and cards.")
    async def image(self, info: Info[Context, None]) -> Image | None:
        if self._view.image_id is None:
            return None
        asset = await info.context.loaders.media_by_id.load(self._view.image_id)
        node = None if asset is None else media_node(asset, self._language)
        return node if isinstance(node, Image) else None

    @strawberry.field(
        description="Articles filed under it (as their primary section or another), newest "
        "first; with `includeSubsections`, those under the sections below it too."
    )
    async def articles(
        self,
        info: Info[Context, None],
        language: str | None = None,
        first: int | None = None,
        after: str | None = None,
        include_subsections: bool = False,
        filter: Annotated[ArticleFilter, strawberry.lazy("schema.articles.types")] | None = None,
    ) -> Annotated[ArticleConnection, strawberry.lazy("schema.articles.types")]:
        from schema.articles.listing import article_connection

        return await article_connection(
            info,
            language=language,
            first=first,
            after=after,
            filter=filter,
            section=(self._view.id, include_subsections),
        )

    def _sibling(self, view: SectionView) -> Section:
        return Section.from_view(view, self._languages, self._language)

    @classmethod
    def from_view(
        cls, view: SectionView, languages: EnabledLanguages, language: str | None = None
    ) -> Section:
        return cls(
            id=view.id,
            position=view.position,
            version=view.version,
            _view=view,
            _languages=languages,
            _language=language,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info[Context, None], node_ids: list[str], required: bool = False
    ) -> list[Section | None]:
        languages = await info.context.languages()
        views = await info.context.loaders.section_by_id.load_many([int(i) for i in node_ids])
        return [None if v is None else cls.from_view(v, languages) for v in views]
