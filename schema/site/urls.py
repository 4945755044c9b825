"""URLs of language-neutral things (authors, tags), whose language comes from the reader."""

from __future__ import annotations

from strawberry.types import Info

from publishing.site.links import LinkKind
from schema.context import Context


async def page_language(info: Info[Context, None], language: str | None) -> str:
    """``language`` as an enabled code (any casing; an unknown one is an error), or the
    default language when none is given."""
    languages = await info.context.languages()
    return languages.default if language is None else languages.resolve(language)


async def public_url(
    info: Info[Context, None], kind: LinkKind, slug: str, language: str | None
) -> str:
    """The URL in ``language`` (an enabled one, any casing; an unknown one is an error), or
    in the default language when none is given."""
    code = await page_language(info, language)
    site = await info.context.site()
    return site.links.url(kind, language=code, slug=slug)
