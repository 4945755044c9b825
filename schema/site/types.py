"""The site: what a frontend needs to write URLs, its head and its feeds' titles."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry
from strawberry.types import Info

from publishing.site import models
from publishing.site.links import DEFAULT_PATTERNS
from publishing.site.reading import SiteProfile
from schema.context import Context

LinkKind = strawberry.enum(
    models.LinkKind, description="What a permalink pattern addresses.", name="LinkKind"
)


@strawberry.enum(
    description="The schema.org type articles' structured data (`Article.jsonLd`) declares."
)
class ArticleSchemaType(Enum):
    NEWS_ARTICLE = models.ArticleSchemaType.NEWS_ARTICLE
    ANALYSIS_NEWS_ARTICLE = strawberry.enum_value(
        models.ArticleSchemaType.ANALYSIS_NEWS_ARTICLE,
        description="News that interprets: analysis and commentary.",
    )
    ARTICLE = models.ArticleSchemaType.ARTICLE
    REPORT = strawberry.enum_value(
        models.ArticleSchemaType.REPORT, description="A report, e.g. a policy paper."
    )
    SCHOLARLY_ARTICLE = models.ArticleSchemaType.SCHOLARLY_ARTICLE
    BLOG_POSTING = models.ArticleSchemaType.BLOG_POSTING


@strawberry.type(
    description="A URL pattern: {language} and {slug}, for articles also "
    "{year}, {month} and {day} of publication."
)
class PermalinkPattern:
    kind: LinkKind  # type: ignore[valid-type]
    language: str | None = strawberry.field(
        description="The language it applies to; null: every language without its own."
    )
    pattern: str = strawberry.field(description='E.g. "/{language}/analysis/{slug}".')


@strawberry.type(description="One language version's public address, for hreflang links.")
class Alternate:
    language: str = strawberry.field(description="The version's language code.")
    hreflang: str = strawberry.field(
        description='The hreflang value: the language code, or "x-default" for the version '
        "shown to readers whose language none matches (the original)."
    )
    url: str


@strawberry.type(description="The publication: its public address, name, titles and URL rules.")
class Site:
    _profile: strawberry.Private[SiteProfile]

    @strawberry.field(description="The publisher's name (structured data, feeds).")
    def name(self) -> str:
        return self._profile.name

    @strawberry.field(
        description="The public site readers visit (the frontend, not this API); every `url` "
        "answered starts with it."
    )
    def url(self) -> str:
        return self._profile.links.site_url

    @strawberry.field(
        description="The site's title in `language` (else the default's, else the name)."
    )
    def title(self, language: str | None = None) -> str:
        return self._profile.title(language or self._profile.default_language)

    @strawberry.field(description="The site's description in `language`, else the default's.")
    def description(self, language: str | None = None) -> str | None:
        return self._profile.description(language or self._profile.default_language)

    @strawberry.field(
        description="The home page of an enabled language (the default language's when none "
        "is given); a language not enabled is an error."
    )
    async def home_url(self, info: Info[Context, None], language: str | None = None) -> str:
        languages = await info.context.languages()
        code = languages.default if not language else languages.resolve(language)
        return self._profile.links.home(code)

    @strawberry.field(description="The default language's code.")
    def default_language(self) -> str:
        return self._profile.default_language

    @strawberry.field(
        description="Every pattern in force: the defaults, then each override (by language)."
    )
    def permalinks(self) -> list[PermalinkPattern]:
        overrides = self._profile.links.patterns
        defaults = [
            PermalinkPattern(kind=kind, language=None, pattern=overrides.get((kind, None), default))
            for kind, default in DEFAULT_PATTERNS.items()
        ]
        by_language = sorted(
            (kind.value, language, pattern)
            for (kind, language), pattern in overrides.items()
            if language is not None
        )
        return defaults + [
            PermalinkPattern(kind=models.LinkKind(kind), language=language, pattern=pattern)
            for kind, language, pattern in by_language
        ]

    @strawberry.field(
        description="What articles' structured data says they are: NEWS_ARTICLE unless an "
        "administrator chose another kind of Article."
    )
    def article_schema_type(self) -> ArticleSchemaType:
        return ArticleSchemaType(self._profile.article_schema_type)

    @strawberry.field(description="Send it as updateSite's expectedVersion.")
    def version(self) -> int:
        return self._profile.version

    @strawberry.field
    def updated_at(self) -> dt.datetime:
        return self._profile.updated_at
