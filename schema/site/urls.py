"""URLs of language-neutral things (authors, tags), whose language comes from the reader,
and every page's hreflang alternates."""

from __future__ import annotations

from collections.abc import Iterable

from strawberry.types import Info

from publishing.site.links import LinkKind, Version
from schema.context import Context
from schema.site.types import Alternate


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


async def alternates(
    info: Info[Context, None],
    kind: LinkKind,
    versions: Iterable[Version],
    original_language: str | None = None,
) -> list[Alternate]:
    """The hreflang links of a page's ``versions``, in the site's order of languages (the
    default first, as a language menu shows them), then x-default: the version in
    ``original_language`` (the default language when None), else the first."""
    languages = await info.context.languages()
    order = {code: i for i, code in enumerate(languages.codes)}
    ordered = sorted(versions, key=lambda v: order.get(v.language, len(order)))
    site = await info.context.site()
    found = site.links.alternates(kind, ordered, original_language or languages.default)
    return [Alternate(language=a.language, hreflang=a.hreflang, url=a.url) for a in found]
