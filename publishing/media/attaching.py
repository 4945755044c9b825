"""Media on content: an article's featured image and attachments, an author's avatar.

The checks report every problem with its input path; the writers replace what is stored.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.errors import Issues
from publishing.media.models import (
    ArticleAttachment,
    ArticleFeaturedImage,
    AuthorAvatar,
    MediaAsset,
    MediaKind,
)

__all__ = [
    "ArticleMedia",
    "MissingMedia",
    "article_media",
    "check_attachments",
    "check_image",
    "replace_attachments",
    "restorable_media",
    "set_avatar",
    "set_featured_image",
]

_NAMES = {MediaKind.IMAGE: "an image", MediaKind.DOCUMENT: "a document"}


async def _kinds(session: AsyncSession, ids: set[int]) -> dict[int, MediaKind]:
    if not ids:
        return {}
    rows = await session.execute(
        select(MediaAsset.id, MediaAsset.kind).where(MediaAsset.id.in_(ids))
    )
    return {pk: kind for pk, kind in rows}


def _check_kind(
    issues: Issues,
    kinds: dict[int, MediaKind],
    asset_id: int,
    kind: MediaKind,
    path: Sequence[str | int],
) -> None:
    found = kinds.get(asset_id)
    if found is None:
        issues.add(path, "NOT_FOUND", f"No media asset with id {asset_id}.")
    elif found is not kind:
        issues.add(
            path,
            "WRONG_KIND",
            f"Expected {_NAMES.get(kind, kind.value)}; asset {asset_id} is "
            f"{_NAMES.get(found, found.value.lower())}.",
        )


async def check_image(
    session: AsyncSession, issues: Issues, asset_id: int | None, path: Sequence[str | int]
) -> None:
    """A featured image or an avatar: None (none), or an image in the library."""
    if asset_id is not None:
        _check_kind(issues, await _kinds(session, {asset_id}), asset_id, MediaKind.IMAGE, path)


async def check_attachments(
    session: AsyncSession, issues: Issues, asset_ids: Sequence[int], field: str
) -> None:
    """Attachments: documents in the library, each once (one statement)."""
    kinds = await _kinds(session, set(asset_ids))
    seen: set[int] = set()
    for index, asset_id in enumerate(asset_ids):
        path = (field, index)
        if asset_id in seen:
            issues.add(path, "DUPLICATE", f"Asset {asset_id} is attached once already.")
            continue
        seen.add(asset_id)
        _check_kind(issues, kinds, asset_id, MediaKind.DOCUMENT, path)


async def set_featured_image(session: AsyncSession, article_id: int, asset_id: int | None) -> None:
    await session.execute(
        delete(ArticleFeaturedImage).where(ArticleFeaturedImage.article_id == article_id)
    )
    if asset_id is not None:
        session.add(ArticleFeaturedImage(article_id=article_id, asset_id=asset_id))
    await session.flush()


async def replace_attachments(
    session: AsyncSession, article_id: int, asset_ids: Sequence[int]
) -> None:
    await session.execute(
        delete(ArticleAttachment).where(ArticleAttachment.article_id == article_id)
    )
    session.add_all(
        ArticleAttachment(article_id=article_id, asset_id=asset_id, position=position)
        for position, asset_id in enumerate(asset_ids)
    )
    await session.flush()


async def set_avatar(session: AsyncSession, author_id: int, asset_id: int | None) -> None:
    await session.execute(delete(AuthorAvatar).where(AuthorAvatar.author_id == author_id))
    if asset_id is not None:
        session.add(AuthorAvatar(author_id=author_id, asset_id=asset_id))
    await session.flush()


@dataclass(frozen=True, slots=True)
class ArticleMedia:
    """An article version's featured image and attachments (in order), as revisions keep
    them."""

    featured_image_id: int | None
    attachment_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class MissingMedia:
    """An asset a revision showed that has been deleted since: where (``featuredImage`` or
    ``attachments``) and its id."""

    field: str
    asset_id: int


async def article_media(session: AsyncSession, article_id: int) -> ArticleMedia:
    """What ``article_id`` shows now (one statement)."""
    rows = await session.execute(
        union_all(
            select(ArticleFeaturedImage.asset_id, literal(-1).label("position")).where(
                ArticleFeaturedImage.article_id == article_id
            ),
            select(ArticleAttachment.asset_id, ArticleAttachment.position).where(
                ArticleAttachment.article_id == article_id
            ),
        ).order_by("position")
    )
    featured: int | None = None
    attachments: list[int] = []
    for asset_id, position in rows:
        if position < 0:
            featured = asset_id
        else:
            attachments.append(asset_id)
    return ArticleMedia(featured, tuple(attachments))


async def restorable_media(
    session: AsyncSession, featured_image_id: int | None, attachment_ids: Collection[int]
) -> tuple[ArticleMedia, tuple[MissingMedia, ...]]:
    """Of the media a revision showed, what still exists (as the kind it was), and what has
    been deleted since. A featured image that is gone gives ``None`` here with a
    ``MissingMedia``: the caller decides what stands in for it."""
    wanted = set(attachment_ids) | ({featured_image_id} if featured_image_id else set())
    kinds = await _kinds(session, wanted)
    missing: list[MissingMedia] = []
    featured = featured_image_id
    if featured is not None and kinds.get(featured) is not MediaKind.IMAGE:
        missing.append(MissingMedia("featuredImage", featured))
        featured = None
    attachments: list[int] = []
    for asset_id in attachment_ids:
        if kinds.get(asset_id) is MediaKind.DOCUMENT:
            attachments.append(asset_id)
        else:
            missing.append(MissingMedia("attachments", asset_id))
    return ArticleMedia(featured, tuple(attachments)), tuple(missing)
