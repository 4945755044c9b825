"""Read queries over tags, each tag with its names in every language."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from publishing.articles.models import story_tags
from publishing.changes.tracking import record
from publishing.surrogate import tag_key
from publishing.tags.models import Tag, TagName


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
    # Plain rows, names joined in: a page of 50 stories has ~150 tags and ~450 names, and
    # building ORM objects for them cost more than the rest of the listing's reads together.
    statement = (
        select(story_tags.c.story_id, Tag.id, Tag.slug, TagName.language, TagName.name)
        .join(Tag, Tag.id == story_tags.c.tag_id)
        .outerjoin(TagName, TagName.tag_id == Tag.id)
        .where(story_tags.c.story_id.in_(story_ids))
        .order_by(story_tags.c.story_id, story_tags.c.position, Tag.slug, TagName.language)
    )
    tags: dict[int, list[TagView]] = defaultdict(list)
    views: dict[tuple[int, int], TagView] = {}
    for story_id, tag_id, slug, language, name in await session.execute(statement):
        view = views.get((story_id, tag_id))
        if view is None:
            view = views[(story_id, tag_id)] = TagView(tag_id, slug, {})
            tags[story_id].append(view)
        if language is not None:
            view.names[language] = name
    record(tag_key(tag_id) for _, tag_id in views)
    return tags
