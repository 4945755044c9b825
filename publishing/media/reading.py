"""Read queries over media assets: by id or key, the media library page by page, and the
alt texts and captions of many assets at once (one statement each, whatever the count)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Permission, Role
from publishing.changes.tracking import record
from publishing.media.models import (
    ArticleAttachment,
    ArticleFeaturedImage,
    AuthorAvatar,
    MediaAsset,
    MediaKind,
    MediaText,
)
from publishing.surrogate import media_key

__all__ = [
    "BROWSE_MEDIA",
    "MediaFilter",
    "MediaTextView",
    "attachments_by_article",
    "avatars_by_author",
    "count_media",
    "featured_images_by_article",
    "list_media",
    "media_by_id",
    "media_by_key",
    "texts_by_media",
]

# The library lists every upload, drafts' images too: for editorial tools, not readers.
BROWSE_MEDIA = Permission(Role.CONTRIBUTOR, "Browsing the media library")


@dataclass(frozen=True, slots=True)
class MediaFilter:
    """What the media library may be narrowed to; every part left empty matches all."""

    kinds: tuple[MediaKind, ...] = ()
    media_types: tuple[str, ...] = ()
    uploaded_by: str | None = None
    # Part of the file name, any case ("dam" finds "Ataturk-Dam.jpg").
    name_contains: str | None = None


@dataclass(frozen=True, slots=True)
class MediaTextView:
    alt: str | None
    caption: str | None


def _conditions(media_filter: MediaFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if media_filter.kinds:
        conditions.append(MediaAsset.kind.in_(media_filter.kinds))
    if media_filter.media_types:
        conditions.append(MediaAsset.media_type.in_(media_filter.media_types))
    if media_filter.uploaded_by is not None:
        conditions.append(MediaAsset.uploaded_by == media_filter.uploaded_by)
    if media_filter.name_contains:
        conditions.append(
            func.lower(MediaAsset.file_name).contains(
                media_filter.name_contains.lower(), autoescape=True
            )
        )
    return conditions


async def media_by_id(session: AsyncSession, ids: Sequence[int]) -> dict[int, MediaAsset]:
    statement = select(MediaAsset).where(MediaAsset.id.in_(ids))
    return {asset.id: asset for asset in await session.scalars(statement)}


async def media_by_key(session: AsyncSession, key: str) -> MediaAsset | None:
    return await session.scalar(select(MediaAsset).where(MediaAsset.key == key))


def _library(media_filter: MediaFilter) -> Select[tuple[MediaAsset]]:
    return select(MediaAsset).where(*_conditions(media_filter))


async def list_media(
    session: AsyncSession,
    *,
    limit: int,
    after: int | None = None,
    media_filter: MediaFilter = MediaFilter(),
) -> list[MediaAsset]:
    """The newest first (by id, which follows upload order: a stable keyset); ``after`` is
    the id of the last asset of the previous page."""
    statement = _library(media_filter).order_by(MediaAsset.id.desc()).limit(limit)
    if after is not None:
        statement = statement.where(MediaAsset.id < after)
    return list(await session.scalars(statement))


async def count_media(session: AsyncSession, media_filter: MediaFilter = MediaFilter()) -> int:
    statement = select(func.count(MediaAsset.id)).where(*_conditions(media_filter))
    return int(await session.scalar(statement) or 0)


async def texts_by_media(
    session: AsyncSession, asset_ids: Sequence[int]
) -> dict[int, dict[str, MediaTextView]]:
    """Each asset's alt text and caption, by language."""
    statement = select(
        MediaText.asset_id, MediaText.language, MediaText.alt, MediaText.caption
    ).where(MediaText.asset_id.in_(asset_ids))
    texts: dict[int, dict[str, MediaTextView]] = defaultdict(dict)
    for asset_id, language, alt, caption in await session.execute(statement):
        texts[asset_id][language] = MediaTextView(alt, caption)
    # Plain rows, which no load event sees; an asset with no texts shows none yet.
    record(media_key(asset_id) for asset_id in asset_ids)
    return texts


async def featured_images_by_article(
    session: AsyncSession, article_ids: Sequence[int]
) -> dict[int, MediaAsset]:
    """Each article version's featured image, if it has one."""
    statement = (
        select(ArticleFeaturedImage.article_id, MediaAsset)
        .join(MediaAsset, MediaAsset.id == ArticleFeaturedImage.asset_id)
        .where(ArticleFeaturedImage.article_id.in_(article_ids))
    )
    return {article_id: asset for article_id, asset in await session.execute(statement)}


async def avatars_by_author(
    session: AsyncSession, author_ids: Sequence[int]
) -> dict[int, MediaAsset]:
    """Each author's portrait, if they have one."""
    statement = (
        select(AuthorAvatar.author_id, MediaAsset)
        .join(MediaAsset, MediaAsset.id == AuthorAvatar.asset_id)
        .where(AuthorAvatar.author_id.in_(author_ids))
    )
    return {author_id: asset for author_id, asset in await session.execute(statement)}


async def attachments_by_article(
    session: AsyncSession, article_ids: Sequence[int]
) -> dict[int, list[MediaAsset]]:
    """Each article version's attached documents, in order."""
    statement = (
        select(ArticleAttachment.article_id, MediaAsset)
        .join(MediaAsset, MediaAsset.id == ArticleAttachment.asset_id)
        .where(ArticleAttachment.article_id.in_(article_ids))
        .order_by(ArticleAttachment.article_id, ArticleAttachment.position)
    )
    attached: dict[int, list[MediaAsset]] = defaultdict(list)
    for article_id, asset in await session.execute(statement):
        attached[article_id].append(asset)
    return attached
