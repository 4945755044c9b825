"""SEO overrides as mutations take them: an article version's one set, an author's or a tag's
one set per language."""

from __future__ import annotations

import strawberry

from publishing.seo.overrides import LocalizedSeo, SeoData
from schema.maybe import given
from schema.mutations import decode_media_ids

__all__ = ["LocalizedSeoChangeInput", "LocalizedSeoInput", "SeoInput", "localized_seo"]

Path = tuple[str | int, ...]


@strawberry.input(
    description="A page's SEO overrides, the whole set: it replaces the stored one. A field "
    "left out or null falls back (see `Seo`)."
)
class SeoInput:
    title: str | None = strawberry.field(
        default=None, description="At most 300 characters; the site's name is not added."
    )
    description: str | None = strawberry.field(
        default=None, description="Plain text, at most 1,000 characters."
    )
    canonical_url: str | None = strawberry.field(
        default=None, description="An absolute http(s) URL, when another page is canonical."
    )
    noindex: bool = strawberry.field(
        default=False, description="Ask search engines not to index the page."
    )
    social_image_id: strawberry.ID | None = strawberry.field(
        default=None, description="An Image from the media library, shared on social networks."
    )

    def to_data(self, path: Path = ("seo",)) -> SeoData:
        image_id = None
        if self.social_image_id is not None:
            image_path = (*path, "socialImageId")
            image_id = decode_media_ids({image_path: self.social_image_id})[image_path]
        return SeoData(
            title=self.title,
            description=self.description,
            canonical_url=self.canonical_url,
            noindex=self.noindex,
            social_image_id=image_id,
        )


@strawberry.input(description="SEO overrides in one enabled language.")
class LocalizedSeoInput:
    language: str = strawberry.field(description='An enabled language, e.g. "en".')
    seo: SeoInput


@strawberry.input(
    description="Sets or deletes the SEO overrides in one language; other languages stay."
)
class LocalizedSeoChangeInput:
    language: str = strawberry.field(description='An enabled language, e.g. "en".')
    seo: strawberry.Maybe[SeoInput | None] = strawberry.field(
        description="The new overrides (required); null deletes that language's."
    )


def localized_seo(
    items: list[LocalizedSeoInput] | list[LocalizedSeoChangeInput],
) -> list[LocalizedSeo]:
    found: list[LocalizedSeo] = []
    for index, item in enumerate(items):
        path = ("seo", index, "seo")
        if isinstance(item, LocalizedSeoChangeInput):
            value = given(
                item.seo, lambda seo, path=path: None if seo is None else seo.to_data(path)
            )
        else:
            value = item.seo.to_data(path)
        found.append(LocalizedSeo(item.language, value))
    return found
