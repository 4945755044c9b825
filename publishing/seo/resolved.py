"""The values a page's ``<head>`` shows: each override, else its fallback."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from publishing.media.models import MediaAsset, MediaKind
from publishing.seo.overrides import SeoData
from publishing.seo.reading import SeoView
from publishing.text import html_to_text, markdown_html

__all__ = ["ResolvedSeo", "first_paragraph", "plain_text", "resolve_seo"]


@dataclass(frozen=True, slots=True)
class ResolvedSeo:
    title: str
    description: str | None
    canonical_url: str
    noindex: bool
    # The social image: the override, else the page's own image (featured image, portrait).
    image: MediaAsset | None
    overrides: SeoData
    # The override's image itself, for editors.
    social_image: MediaAsset | None


@lru_cache(maxsize=2048)
def _text(markdown: str) -> str:
    return html_to_text(markdown_html(markdown))


def plain_text(markdown: str | None) -> str | None:
    """Markdown as one line of plain text (a meta description), or None when it has none."""
    if markdown is None:
        return None
    return " ".join(_text(markdown).split()) or None


def first_paragraph(markdown: str | None) -> str | None:
    """The first paragraph of Markdown (a bio's), as one line of plain text."""
    if markdown is None:
        return None
    for block in _text(markdown).split("\n\n"):
        line = " ".join(block.split())
        if line:
            return line
    return None


def _image(asset: MediaAsset | None) -> MediaAsset | None:
    return asset if asset is not None and asset.kind is MediaKind.IMAGE else None


def resolve_seo(
    view: SeoView | None,
    *,
    title: str,
    descriptions: Iterable[str | None],
    url: str,
    public: bool,
    image: MediaAsset | None,
) -> ResolvedSeo:
    """``descriptions`` are the fallbacks in order (plain text; the first present wins);
    a page readers cannot see (a draft, a preview) is never to be indexed."""
    overrides = view.overrides.normalised() if view is not None else SeoData()
    social = _image(view.social_image) if view is not None else None
    description = overrides.description or next((d for d in descriptions if d), None)
    return ResolvedSeo(
        title=overrides.title or title,
        description=description,
        canonical_url=overrides.canonical_url or url,
        noindex=overrides.noindex or not public,
        image=social or _image(image),
        overrides=overrides,
        social_image=social,
    )
