"""Read queries over sections, each with its texts in every language.

Batch functions answer many keys in one statement; the tree is walked in SQL (a recursive
common table expression), so breadcrumbs and sub-section filters cost one statement however
deep the tree is."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from publishing.articles.models import Article, Story
from publishing.changes import tracking
from publishing.sections.models import Section, SectionTranslation, story_sections
from publishing.surrogate import sections_key

# A guard against a cycle that validation should never let in.
MAX_DEPTH = 50


@dataclass(frozen=True, slots=True)
class SectionText:
    name: str
    slug: str
    description: str | None


@dataclass(frozen=True, slots=True)
class SectionView:
    id: int
    parent_id: int | None
    image_id: int | None
    position: int
    version: int
    texts: dict[str, SectionText] = field(default_factory=dict)  # language -> texts


@dataclass(frozen=True, slots=True)
class StorySections:
    primary: SectionView | None
    others: list[SectionView]


def _view(section: Section, texts: Sequence[SectionTranslation]) -> SectionView:
    return SectionView(
        section.id,
        section.parent_id,
        section.image_id,
        section.position,
        section.version,
        {t.language: SectionText(t.name, t.slug, t.description) for t in texts},
    )


async def _views(session: AsyncSession, statement: Select[tuple[Section]]) -> list[SectionView]:
    """The sections ``statement`` selects, in its order, with their texts (two statements)."""
    sections = list(await session.scalars(statement))
    if not sections:
        return []
    texts: dict[int, list[SectionTranslation]] = defaultdict(list)
    rows = await session.scalars(
        select(SectionTranslation).where(
            SectionTranslation.section_id.in_({s.id for s in sections})
        )
    )
    for text in rows:
        texts[text.section_id].append(text)
    return [_view(s, texts[s.id]) for s in sections]


def _sibling_order() -> tuple[ColumnElement[int], ...]:
    return (Section.position, Section.id)


async def sections_by_id(session: AsyncSession, ids: Sequence[int]) -> dict[int, SectionView]:
    views = await _views(session, select(Section).where(Section.id.in_(ids)))
    return {view.id: view for view in views}


async def section_by_slug(session: AsyncSession, language: str, slug: str) -> SectionView | None:
    statement = select(Section).where(
        Section.id.in_(
            select(SectionTranslation.section_id).where(
                SectionTranslation.language == language, SectionTranslation.slug == slug
            )
        )
    )
    views = await _views(session, statement)
    return views[0] if views else None


async def sections_under(
    session: AsyncSession, parent_id: int | None, language: str
) -> list[SectionView]:
    """The sections directly under ``parent_id`` (the roots for None) that have texts in
    ``language``, in order."""
    statement = select(Section).where(
        Section.parent_id.is_(None) if parent_id is None else Section.parent_id == parent_id,
        Section.id.in_(
            select(SectionTranslation.section_id).where(SectionTranslation.language == language)
        ),
    )
    # A listing that found none must still go when a section is added.
    tracking.record([sections_key()])
    return await _views(session, statement.order_by(*_sibling_order()))


async def children_by_section(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[SectionView]]:
    statement = select(Section).where(Section.parent_id.in_(ids)).order_by(*_sibling_order())
    children: dict[int, list[SectionView]] = defaultdict(list)
    for view in await _views(session, statement):
        assert view.parent_id is not None
        children[view.parent_id].append(view)
    return children


async def breadcrumbs_by_section(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[SectionView]]:
    """Each section's path from its root down to itself."""
    chain = (
        select(
            Section.id.label("start"),
            Section.id.label("ancestor"),
            Section.parent_id.label("parent"),
            literal(0).label("depth"),
        )
        .where(Section.id.in_(ids))
        .cte("chain", recursive=True)
    )
    up = aliased(Section)
    chain = chain.union_all(
        select(chain.c.start, up.id, up.parent_id, chain.c.depth + 1)
        .join(up, up.id == chain.c.parent)
        .where(chain.c.depth < MAX_DEPTH)
    )
    rows = (
        await session.execute(
            select(chain.c.start, chain.c.ancestor).order_by(chain.c.start, chain.c.depth.desc())
        )
    ).all()
    views = await sections_by_id(session, list({ancestor for _, ancestor in rows}))
    crumbs: dict[int, list[SectionView]] = defaultdict(list)
    for start, ancestor in rows:
        crumbs[start].append(views[ancestor])
    return crumbs


def subtree(section_id: int) -> Select[tuple[int]]:
    """The ids of a section and of every section below it (a subquery)."""
    tree = select(Section.id).where(Section.id == section_id).cte("subtree", recursive=True)
    below = aliased(Section)
    tree = tree.union_all(select(below.id).join(tree, below.parent_id == tree.c.id))
    return select(tree.c.id)


def filed_under(section_id: int, *, include_subsections: bool) -> ColumnElement[bool]:
    """Articles whose story is filed under the section, as its primary section or another
    (and under any section below it, when asked)."""
    ids: Select[tuple[int]] | list[int] = (
        subtree(section_id) if include_subsections else [section_id]
    )
    story = aliased(Story)
    primary = select(story.id).where(story.primary_section_id.in_(ids))
    others = select(story_sections.c.story_id).where(story_sections.c.section_id.in_(ids))
    return or_(Article.story_id.in_(primary), Article.story_id.in_(others))


async def sections_by_story(
    session: AsyncSession, story_ids: Sequence[int]
) -> dict[int, StorySections]:
    """Each story's primary section and its others, in order (three statements)."""
    primaries = dict(
        (
            await session.execute(
                select(Story.id, Story.primary_section_id).where(Story.id.in_(story_ids))
            )
        ).all()
    )
    others = (
        await session.execute(
            select(story_sections.c.story_id, story_sections.c.section_id)
            .where(story_sections.c.story_id.in_(story_ids))
            .order_by(story_sections.c.story_id, story_sections.c.position)
        )
    ).all()
    wanted = {i for i in primaries.values() if i is not None} | {s for _, s in others}
    views = await sections_by_id(session, list(wanted)) if wanted else {}
    other_ids: dict[int, list[int]] = defaultdict(list)
    for story_id, section_id in others:
        other_ids[story_id].append(section_id)
    return {
        story_id: StorySections(
            None if primary is None else views.get(primary),
            [views[s] for s in other_ids[story_id] if s in views],
        )
        for story_id, primary in primaries.items()
    }


__all__ = [
    "SectionText",
    "SectionView",
    "StorySections",
    "breadcrumbs_by_section",
    "children_by_section",
    "filed_under",
    "section_by_slug",
    "sections_by_id",
    "sections_by_story",
    "sections_under",
    "subtree",
]
