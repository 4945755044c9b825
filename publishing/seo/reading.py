"""Read queries over SEO overrides: many owners in one statement, each with its social image
joined in, so a page of 50 articles asking for ``seo`` costs what a page of 10 does."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.changes.tracking import record
from publishing.media.models import MediaAsset
from publishing.seo.models import ArticleSeo, AuthorSeo, SectionSeo, TagSeo
from publishing.seo.overrides import PerLanguageTable, SeoData
from publishing.surrogate import author_key, section_key, tag_key

__all__ = [
    "AUTHOR_SEO",
    "SECTION_SEO",
    "TAG_SEO",
    "SeoView",
    "article_seo_by_article",
    "localized_seo_by_owner",
]

AUTHOR_SEO = PerLanguageTable(AuthorSeo, AuthorSeo.author_id)
TAG_SEO = PerLanguageTable(TagSeo, TagSeo.tag_id)
SECTION_SEO = PerLanguageTable(SectionSeo, SectionSeo.section_id)
# Each per-language table's owners' surrogate key: a change of the overrides is a change of
# the owner (its event records that key), so answers showing them carry it.
_KEYS: dict[type[Any], Callable[[int], str]] = {
    AuthorSeo: author_key,
    TagSeo: tag_key,
    SectionSeo: section_key,
}


@dataclass(frozen=True, slots=True)
class SeoView:
    """One page's overrides, with the social image they name (None: none, or not an image)."""

    overrides: SeoData
    social_image: MediaAsset | None


async def article_seo_by_article(
    session: AsyncSession, article_ids: Sequence[int]
) -> dict[int, SeoView]:
    """The overrides of each article version that has any."""
    statement = (
        select(ArticleSeo, MediaAsset)
        .outerjoin(MediaAsset, MediaAsset.id == ArticleSeo.social_image_id)
        .where(ArticleSeo.article_id.in_(article_ids))
    )
    return {
        row.article_id: SeoView(SeoData.of_row(row), asset)
        for row, asset in await session.execute(statement)
    }


async def localized_seo_by_owner(
    session: AsyncSession, table: PerLanguageTable, owner_ids: Sequence[int]
) -> dict[int, dict[str, SeoView]]:
    """Every language's overrides of each owner (an author, a tag, a section), by language."""
    model: Any = table.model
    statement = (
        select(model, MediaAsset)
        .outerjoin(MediaAsset, MediaAsset.id == model.social_image_id)
        .where(table.owner.in_(owner_ids))
    )
    found: dict[int, dict[str, SeoView]] = defaultdict(dict)
    for row, asset in await session.execute(statement):
        owner_id = getattr(row, table.owner_name)
        found[owner_id][row.language] = SeoView(SeoData.of_row(row), asset)
    key = _KEYS.get(table.model)
    if key is not None:
        record(key(owner_id) for owner_id in owner_ids)
    return dict(found)
