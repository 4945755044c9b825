"""What a story's language versions share: its tags, AUTHOR and EDITOR credits, sections and
featured flag. An update writes them through one version, but every version shows them.

Hence two rules, both about the other versions (its "siblings"):

- Changing shared data needs the right to change every version of the story, since each of
  them will show the change: a contributor, who edits drafts only, changes a story's tags
  only while all its versions are drafts. A scheduled or archived version counts as much as a
  visible one: it shows the change the moment it is (re)published, with no write of its own.
- A change that really changes shared data is a change of every sibling too: each gets a new
  version number (a form opened on it before would otherwise save the old tags back without
  a conflict) and a revision, and the follow-ups of an update (cache invalidation, webhooks)
  run for it, so readers of a visible sibling see the change on their next read.

Data sent unchanged is no change: a form that always sends every field keeps working for a
contributor editing a draft translation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from publishing.access import Actor, Role
from publishing.articles.models import (
    Article,
    ArticleStatus,
    ContributorCredit,
    CreditRole,
    Story,
    story_tags,
)
from publishing.errors import ForbiddenError
from publishing.sections.models import story_sections
from publishing.unset import UNSET

if TYPE_CHECKING:
    from publishing.articles.editing import ArticleChanges

__all__ = [
    "changed_story_fields",
    "lock_story_versions",
    "may_edit_version",
    "names_story_data",
    "other_versions",
    "refuse_unless_every_version_editable",
]

Path = tuple[str, ...]

# How a refusal names each shared field, by its input path.
_LABELS: dict[Path, str] = {
    ("tagIds",): "tags",
    ("credits",): "author and editor credits",
    ("sectionId",): "sections",
    ("sectionIds",): "sections",
    ("featured",): "featured flag",
}


def may_edit_version(actor: Actor, article: Article) -> bool:
    """Contributors edit drafts only; editors and administrators, any version."""
    return actor.role is not Role.CONTRIBUTOR or article.status is ArticleStatus.DRAFT


def names_story_data(changes: ArticleChanges) -> bool:
    """Whether ``changes`` names any shared field (changed or not: that is found out later,
    under the locks ``lock_story_versions`` takes)."""
    return any(
        value is not UNSET
        for value in (
            changes.tag_ids,
            changes.credits,
            changes.section_id,
            changes.section_ids,
            changes.featured,
        )
    )


async def lock_story_versions(session: AsyncSession, article_id: int) -> None:
    """Lock every version of the story of ``article_id`` until the transaction ends, in id
    order: two writers changing shared data through two versions of one story then queue on
    the first row instead of each holding one and waiting for the other (a deadlock). A
    writer that changes one version only locks that row alone and waits for nothing else."""
    story_id = select(Article.story_id).where(Article.id == article_id).scalar_subquery()
    await session.execute(
        select(Article.id)
        .where(Article.story_id == story_id)
        .order_by(Article.id)
        .with_for_update()
    )


async def other_versions(session: AsyncSession, article: Article) -> list[Article]:
    """The story's versions other than ``article``, read afresh (their rows are locked)."""
    return list(
        await session.scalars(
            select(Article)
            .where(Article.story_id == article.story_id, Article.id != article.id)
            .options(selectinload(Article.story))
            .order_by(Article.id)
            .execution_options(populate_existing=True)
        )
    )


async def _tag_ids(session: AsyncSession, story_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(story_tags.c.tag_id)
            .where(story_tags.c.story_id == story_id)
            .order_by(story_tags.c.position)
        )
    )


async def _story_credits(session: AsyncSession, story_id: int) -> list[tuple[int, CreditRole]]:
    rows = await session.execute(
        select(ContributorCredit.author_id, ContributorCredit.role)
        .where(ContributorCredit.story_id == story_id)
        .order_by(ContributorCredit.position, ContributorCredit.id)
    )
    return [(author_id, role) for author_id, role in rows]


async def _section_ids(session: AsyncSession, story_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(story_sections.c.section_id)
            .where(story_sections.c.story_id == story_id)
            .order_by(story_sections.c.position)
        )
    )


async def changed_story_fields(
    session: AsyncSession, story: Story, changes: ArticleChanges, *, original: bool
) -> list[Path]:
    """The input paths of the shared fields ``changes`` would really change, in input order.
    Credits are shared only when written through the original (a translation's credits are
    its own); what each writer keeps (tags once each, the primary section not repeated among
    the others) is compared, not what was sent."""
    changed: list[Path] = []
    if changes.credits is not UNSET and original:
        wanted = [
            (c.author_id, c.role) for c in changes.credits if c.role is not CreditRole.TRANSLATOR
        ]
        if wanted != await _story_credits(session, story.id):
            changed.append(("credits",))
    if changes.tag_ids is not UNSET:
        tags = list(dict.fromkeys(changes.tag_ids))
        if tags != await _tag_ids(session, story.id):
            changed.append(("tagIds",))
    if changes.section_id is not UNSET or changes.section_ids is not UNSET:
        primary = story.primary_section_id if changes.section_id is UNSET else changes.section_id
        others = await _section_ids(session, story.id)
        kept = changes.section_ids if changes.section_ids is not UNSET else others
        after = [s for s in dict.fromkeys(kept) if s != primary]
        if primary != story.primary_section_id:
            changed.append(("sectionId",))
        if after != others:
            changed.append(("sectionIds",) if changes.section_ids is not UNSET else ("sectionId",))
    if changes.featured is not UNSET and changes.featured != story.featured:
        changed.append(("featured",))
    return list(dict.fromkeys(changed))


def refuse_unless_every_version_editable(
    actor: Actor, siblings: Sequence[Article], paths: Sequence[Path], noun: str
) -> None:
    """ForbiddenError at ``paths`` (the shared fields about to change) when ``actor`` may not
    change one of the story's other versions."""
    if not paths:
        return
    barred = [s for s in siblings if not may_edit_version(actor, s)]
    if not barred:
        return
    labels = list(dict.fromkeys(_LABELS[p] for p in paths))
    what = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    versions = ", ".join(f"{s.language} ({s.status.value.lower()})" for s in barred)
    raise ForbiddenError(
        f"The {what} of this {noun} belong to its story, which every language version shows; "
        f"contributors change them only while every version is a draft, and these are not: "
        f"{versions}. Ask an editor.",
        paths=paths,
    )
