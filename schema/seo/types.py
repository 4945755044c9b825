"""What a page's ``<head>`` shows: resolved values with fallbacks, and editors' overrides."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from publishing.media.models import MediaAsset as MediaAssetModel
from publishing.seo.images import OPEN_GRAPH, crop
from publishing.seo.resolved import ResolvedSeo
from schema.context import Context
from schema.media.types import Image, media_node

__all__ = ["OpenGraphImage", "Seo", "SeoOverrides", "absolute", "image_node"]


def absolute(origin: str | None, path: str) -> str:
    """A media path (on the API's origin) as an absolute URL; the path alone outside a
    request, where no origin is known."""
    return (origin or "") + path


def image_node(asset: MediaAssetModel | None, language: str) -> Image | None:
    node = None if asset is None else media_node(asset, language)
    return node if isinstance(node, Image) else None


@strawberry.type(
    description="What editors set, as they set it; null (false) where the page falls back."
)
class SeoOverrides:
    title: str | None
    description: str | None
    canonical_url: str | None
    noindex: bool
    social_image: Image | None


@strawberry.type(
    description="The social image as Open Graph and X cards want it: a 1200x630 JPEG "
    "crop around the focal point (smaller when the image is; never enlarged)."
)
class OpenGraphImage:
    url: str = strawberry.field(description="Absolute and signed: `og:image`.")
    width: int = strawberry.field(description="`og:image:width`.")
    height: int = strawberry.field(description="`og:image:height`.")
    media_type: str = strawberry.field(description="`og:image:type`.")
    alt: str | None = strawberry.field(description="`og:image:alt`, in the page's language.")


@strawberry.type(
    description="Everything a page's `<head>` needs, resolved: each editor's override, else "
    "its fallback. The title is the page's own (append your site's name yourself)."
)
class Seo:
    title: str = strawberry.field(
        description="`<title>` and `og:title`: the override, else the article's title, the "
        "author's name, the tag's or the section's name."
    )
    description: str | None = strawberry.field(
        description='`<meta name="description">` and `og:description`, plain text: the '
        "override, else the excerpt (an author: the bio's first paragraph; a section: its "
        "description), else the site's description."
    )
    canonical_url: str = strawberry.field(
        description='`<link rel="canonical">`: the override, else the page\'s `url`.'
    )
    noindex: bool = strawberry.field(
        description='`<meta name="robots" content="noindex">` when true: an editor asked, or '
        "readers cannot see the page (a draft, a preview, a scheduled article)."
    )
    image: Image | None = strawberry.field(
        description="The social image: the override, else the featured image (an author: the "
        "portrait; a section: its image); null when there is none. Crop it with "
        "`url(width: 1200, height: 630)`, or take `openGraphImage`."
    )
    overrides: SeoOverrides = strawberry.field(
        description="The raw overrides, for editorial forms."
    )
    _language: strawberry.Private[str]
    _asset: strawberry.Private[MediaAssetModel | None]

    @strawberry.field(description="The social image ready for `og:image`; null without one.")
    async def open_graph_image(self, info: Info[Context, None]) -> OpenGraphImage | None:
        if self._asset is None or self.image is None:
            return None
        media = info.context.media
        found = crop(
            self._asset, await media.signing_key(), OPEN_GRAPH, allowed_widths=media.widths
        )
        if found is None:
            return None
        texts = await info.context.loaders.texts_by_media.load(self._asset.id)
        alts = {code: text.alt for code, text in texts.items() if text.alt}
        alt = (await info.context.languages()).pick(alts, self._language) if alts else None
        return OpenGraphImage(
            url=absolute(info.context.origin, found.path),
            width=found.width,
            height=found.height,
            media_type="image/jpeg",
            alt=alt,
        )

    @classmethod
    def of(cls, resolved: ResolvedSeo, language: str) -> Seo:
        overrides = resolved.overrides
        return cls(
            title=resolved.title,
            description=resolved.description,
            canonical_url=resolved.canonical_url,
            noindex=resolved.noindex,
            image=image_node(resolved.image, language),
            overrides=SeoOverrides(
                title=overrides.title,
                description=overrides.description,
                canonical_url=overrides.canonical_url,
                noindex=overrides.noindex,
                social_image=image_node(resolved.social_image, language),
            ),
            _language=language,
            _asset=resolved.image,
        )
