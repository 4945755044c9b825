"""Changing the site (administrators)."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.site import editing
from publishing.site.editing import PatternData, SiteTextData
from publishing.site.reading import load_site
from schema.context import Context
from schema.maybe import given
from schema.mutations import mutation, result_union, run_mutation, success_type
from schema.site.types import ArticleSchemaType, LinkKind, Site
from schema.usererrors import AnyUserError, ConflictError, ForbiddenError, ValidationError


@strawberry.input(description="The site's title and description in one enabled language.")
class SiteTextInput:
    language: str
    title: str = strawberry.field(description="At most 300 characters.")
    description: str | None = None


@strawberry.input(description="A pattern replacing the default for one kind (and language).")
class PermalinkPatternInput:
    kind: LinkKind  # type: ignore[valid-type]
    language: str | None = strawberry.field(
        default=None, description="An enabled language; null: every language without its own."
    )
    pattern: str = strawberry.field(
        description="A path with {slug}, e.g. /{language}/analysis/{slug}; articles may also "
        "use {year}, {month}, {day}."
    )


@strawberry.input(description="Fields left out stay as they are; lists replace the whole list.")
class UpdateSiteInput:
    expected_version: int = strawberry.field(description="The `Site.version` you read.")
    name: strawberry.Maybe[str]
    url: strawberry.Maybe[str] = strawberry.field(
        description="The public site's absolute http(s) address, e.g. https://www.example.org."
    )
    texts: strawberry.Maybe[list[SiteTextInput]]
    permalinks: strawberry.Maybe[list[PermalinkPatternInput]] = strawberry.field(
        description="Overrides of the default patterns; an empty list restores the defaults."
    )
    article_schema_type: strawberry.Maybe[ArticleSchemaType] = strawberry.field(
        description="The schema.org type of articles' structured data."
    )


@strawberry.type
class SiteSuccess:
    site: Site


UpdateSiteSuccess = success_type(SiteSuccess, "UpdateSiteSuccess")
UpdateSiteResult = result_union(
    "UpdateSiteResult", UpdateSiteSuccess, ValidationError, ConflictError, ForbiddenError
)


@strawberry.type
class SiteMutations:
    @mutation(
        UpdateSiteResult,
        needs=editing.CHANGE_SITE,
        description="Change the site's address, name, titles or permalink patterns. Every URL "
        "the API answers changes with them, and every cached answer is dropped.",
    )
    async def update_site(
        self, info: Info[Context, None], input: UpdateSiteInput
    ) -> SiteSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> SiteSuccess:
            await editing.update_site(
                session,
                actor,
                expected_version=input.expected_version,
                now=info.context.now,
                name=given(input.name),
                url=given(input.url),
                texts=given(
                    input.texts,
                    lambda texts: [SiteTextData(t.language, t.title, t.description) for t in texts],
                ),
                permalinks=given(
                    input.permalinks,
                    lambda items: [PatternData(p.kind, p.language, p.pattern) for p in items],
                ),
                article_schema_type=given(input.article_schema_type, lambda t: t.value),
            )
            return UpdateSiteSuccess(site=Site(_profile=await load_site(session)))

        return await run_mutation(info, work)
