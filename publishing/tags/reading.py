"""Read queries over tags, each tag with its names in every language."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from publishing.articles.models import story_tags
from publishing.tags.models import Tag


@dataclass(frozen=True, slots=True)
class TagView:
    id: int
    slug: str
    names: dict[str, str]  # language -> name


def _view(tag: Tag) -> TagView:
    return TagView(tag.id, tag.slug, {name.language: name.name for name in tag.names})


async def all_tags(session: AsyncSession) -> list[TagView]:
    tags = await session.scalars(select(Tag).options(selectinload(Tag.names)).order_by(Tag.slug))
    return [_view(tag) for tag in tags]


async def tags_by_id(session: AsyncSession, ids: Sequence[int]) -> dict[int, TagView]:
    statement = select(Tag).options(selectinload(Tag.names)).where(Tag.id.in_(ids))
    return {tag.id: _view(tag) for tag in await session.scalars(statement)}


async def tag_by_slug(session: AsyncSession, slug: str) -> TagView | None:
    tag = await session.scalar(select(Tag).options(selectinload(Tag.names)).where(Tag.slug == slug))
    return None if tag is None else _view(tag)


async def tags_by_story(
    session: AsyncSession, story_ids: Sequence[int]
) -> dict[int, list[TagView]]:
    statement = (
        select(story_tags.c.story_id, Tag)
        .join(Tag, Tag.id == story_tags.c.tag_id)
        .options(selectinload(Tag.names))
        .where(story_tags.c.story_id.in_(story_ids))
        .order_by(story_tags.c.story_id, story_tags.c.position, Tag.slug)
    )
    tags: dict[int, list[TagView]] = defaultdict(list)
    for story_id, tag in await session.execute(statement):
        tags[story_id].append(_view(tag))
    return tags
