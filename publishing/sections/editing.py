"""Creating, changing and deleting sections (administrators), and filing stories under them.

Every function runs inside the caller's transaction (one per mutation): it checks the whole
input, reports every problem at once with its path, and writes nothing unless all is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from publishing import events
from publishing.access import Actor, Permission, Role
from publishing.articles.models import Story
from publishing.articles.validation import check_slug, check_text
from publishing.errors import (
    ConflictError,
    Issues,
    NotFoundError,
    UnknownLanguageError,
    invalid,
)
from publishing.integrity import Race, flush
from publishing.languages.service import load_enabled_languages
from publishing.media.attaching import check_image
from publishing.menus.models import MenuItem
from publishing.menus.references import refuse_if_in_menus
from publishing.sections.models import Section, SectionTranslation, story_sections
from publishing.sections.reading import subtree
from publishing.seo.overrides import LocalizedSeo, check_localized_seo, replace_localized_seo
from publishing.seo.reading import SECTION_SEO
from publishing.unset import UNSET, Unset

__all__ = [
    "CHANGE_SECTION",
    "CREATE_SECTION",
    "DELETE_SECTION",
    "NewSection",
    "SectionChanges",
    "SectionTextData",
    "check_story_sections",
    "create_section",
    "delete_section",
    "file_story",
    "update_section",
]

CREATE_SECTION = Permission(Role.ADMIN, "Creating a section")
CHANGE_SECTION = Permission(Role.ADMIN, "Changing a section")
DELETE_SECTION = Permission(Role.ADMIN, "Deleting a section")

MAX_NAME = 200
MAX_DESCRIPTION = 2_000


@dataclass(frozen=True, slots=True)
class SectionTextData:
    """A section's name, slug and description in one language."""

    language: str
    name: str
    slug: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class NewSection:
    translations: Sequence[SectionTextData]
    parent_id: int | None = None
    image_id: int | None = None
    position: int = 0
    # The section's page's SEO overrides, at most one set per language.
    seo: Sequence[LocalizedSeo] = ()


@dataclass(frozen=True, slots=True)
class SectionChanges:
    """A partial update: UNSET leaves a field as it is; ``translations`` replaces them all."""

    translations: Sequence[SectionTextData] | Unset = UNSET
    parent_id: int | Unset | None = UNSET
    image_id: int | Unset | None = UNSET
    position: int | Unset = UNSET
    # Only the languages named change (None deletes one's overrides).
    seo: Sequence[LocalizedSeo] | Unset = UNSET


async def get_section(session: AsyncSession, section_id: int, *, lock: bool = False) -> Section:
    statement = select(Section).where(Section.id == section_id)
    if lock:
        statement = statement.with_for_update()
    section = await session.scalar(statement)
    if section is None:
        raise NotFoundError("section", section_id)
    return section


# -- checks ------------------------------------------------------------------------------------


async def _check_translations(
    session: AsyncSession,
    issues: Issues,
    translations: Sequence[SectionTextData],
    section_id: int | None,
) -> list[SectionTextData]:
    """Texts in enabled languages, each language once, each slug free in its language;
    returns them with canonical language tags."""
    if not translations:
        issues.add(("translations",), "REQUIRED", "A section needs texts in one language.")
    enabled = await load_enabled_languages(session)
    checked: list[SectionTextData] = []
    seen: dict[str, int] = {}
    for index, text in enumerate(translations):
        at = ("translations", index)
        try:
            language = enabled.resolve(text.language)
        except UnknownLanguageError as error:
            issues.add((*at, "language"), "NOT_ENABLED", error.message)
            language = None
        if language is not None and language in seen:
            issues.add(
                (*at, "language"),
                "DUPLICATE",
                f"Language {language!r} is already given at index {seen[language]}.",
            )
            language = None
        check_text(issues, text.name, (*at, "name"), limit=MAX_NAME, required=True, label="A name")
        check_slug(issues, text.slug, (*at, "slug"))
        check_text(
            issues,
            text.description,
            (*at, "description"),
            limit=MAX_DESCRIPTION,
            label="A description",
        )
        if language is not None:
            seen[language] = index
            taken = select(SectionTranslation.section_id).where(
                SectionTranslation.language == language, SectionTranslation.slug == text.slug
            )
            if section_id is not None:
                taken = taken.where(SectionTranslation.section_id != section_id)
            if await session.scalar(taken) is not None:
                issues.add(
                    (*at, "slug"),
                    "TAKEN",
                    f"The slug {text.slug!r} is already used by another section in {language!r}.",
                )
            description = (text.description or "").strip() or None
            checked.append(SectionTextData(language, text.name.strip(), text.slug, description))
    return checked


async def _check_parent(
    session: AsyncSession, issues: Issues, parent_id: int | None, section_id: int | None
) -> None:
    """The parent exists and is neither the section itself nor one of its descendants."""
    if parent_id is None:
        return
    path = ("parentId",)
    if parent_id == section_id:
        issues.add(path, "CYCLE", "A section cannot be its own parent.")
        return
    if await session.get(Section, parent_id) is None:
        issues.add(path, "NOT_FOUND", f"No section with id {parent_id}.")
        return
    if section_id is not None:
        below = set(await session.scalars(subtree(section_id)))
        if parent_id in below:
            issues.add(
                path,
                "CYCLE",
                "The parent is below this section; a section cannot be its own ancestor.",
            )


def _check_position(issues: Issues, position: int) -> None:
    if position < 0:
        issues.add(("position",), "NEGATIVE", "A position is 0 or more.")


RACES = (
    Race(
        ("language", "slug"),
        ("translations",),
        "TAKEN",
        "A slug was taken by another section meanwhile.",
    ),
)


async def _write_translations(
    session: AsyncSession, section_id: int, translations: Sequence[SectionTextData]
) -> None:
    await session.execute(
        delete(SectionTranslation).where(SectionTranslation.section_id == section_id)
    )
    # Flushed apart: a slug moving from one language row to another must not collide.
    await flush(session, RACES)
    session.add_all(
        SectionTranslation(
            section_id=section_id,
            language=t.language,
            name=t.name,
            slug=t.slug,
            description=t.description,
        )
        for t in translations
    )
    await flush(session, RACES)


# -- the operations --------------------------------------------------------------------------


async def create_section(
    session: AsyncSession, actor: Actor, data: NewSection, *, now: dt.datetime
) -> Section:
    actor.require(CREATE_SECTION)
    issues = Issues()
    translations = await _check_translations(session, issues, data.translations, None)
    await _check_parent(session, issues, data.parent_id, None)
    await check_image(session, issues, data.image_id, ("imageId",))
    _check_position(issues, data.position)
    enabled = await load_enabled_languages(session)
    overrides = await check_localized_seo(session, issues, enabled, data.seo, deletable=False)
    issues.raise_if_any()

    section = Section(
        parent_id=data.parent_id,
        image_id=data.image_id,
        position=data.position,
        created_at=now,
        updated_at=now,
    )
    session.add(section)
    await session.flush()
    await _write_translations(session, section.id, translations)
    await replace_localized_seo(session, SECTION_SEO, section.id, overrides)
    await events.section_changed(session, section.id, now=now, created=True)
    return section


async def update_section(
    session: AsyncSession,
    actor: Actor,
    section_id: int,
    expected_version: int,
    changes: SectionChanges,
    *,
    now: dt.datetime,
) -> Section:
    actor.require(CHANGE_SECTION)
    section = await get_section(session, section_id, lock=True)
    if section.version != expected_version:
        raise ConflictError(expected_version, section.version, "section")
    issues = Issues()
    translations: list[SectionTextData] = []
    if changes.translations is not UNSET:
        translations = await _check_translations(session, issues, changes.translations, section.id)
    if changes.parent_id is not UNSET:
        await _check_parent(session, issues, changes.parent_id, section.id)
    if changes.image_id is not UNSET:
        await check_image(session, issues, changes.image_id, ("imageId",))
    if changes.position is not UNSET:
        _check_position(issues, changes.position)
    overrides = {}
    if changes.seo is not UNSET:
        enabled = await load_enabled_languages(session)
        overrides = await check_localized_seo(session, issues, enabled, changes.seo, deletable=True)
    issues.raise_if_any()

    if changes.parent_id is not UNSET:
        section.parent_id = changes.parent_id
    if changes.image_id is not UNSET:
        section.image_id = changes.image_id
    if changes.position is not UNSET:
        section.position = changes.position
    section.updated_at = now
    try:
        await session.flush()
    except StaleDataError:
        raise ConflictError(expected_version, expected_version + 1, "section") from None
    if changes.translations is not UNSET:
        await _write_translations(session, section.id, translations)
    await replace_localized_seo(session, SECTION_SEO, section.id, overrides)
    await events.section_changed(session, section.id, now=now)
    return section


async def delete_section(
    session: AsyncSession,
    actor: Actor,
    section_id: int,
    *,
    now: dt.datetime,
    expected_version: int | None = None,
) -> int:
    """Delete an empty section: one with sub-sections, stories or menu items is kept (and
    the error says which), so deleting never moves or loses an editor's filing."""
    actor.require(DELETE_SECTION)
    section = await get_section(session, section_id, lock=True)
    if expected_version is not None and section.version != expected_version:
        raise ConflictError(expected_version, section.version, "section")
    children = await session.scalar(
        select(func.count(Section.id)).where(Section.parent_id == section_id)
    )
    if children:
        invalid(
            ("id",),
            "HAS_CHILDREN",
            f"The section has {children} sub-section(s); move or delete them first.",
        )
    stories = await session.scalar(
        select(func.count())
        .select_from(Story)
        .where(
            (Story.primary_section_id == section_id)
            | Story.id.in_(
                select(story_sections.c.story_id).where(story_sections.c.section_id == section_id)
            )
        )
    )
    if stories:
        invalid(
            ("id",),
            "HAS_STORIES",
            f"{stories} stor{'y is' if stories == 1 else 'ies are'} filed under the section; "
            "file them elsewhere first.",
        )
    await refuse_if_in_menus(session, MenuItem.section_id == section_id, "section")
    await events.section_changed(session, section.id, now=now, deleted=True)
    session.expunge(section)
    await session.execute(delete(Section).where(Section.id == section_id))
    return section_id


# -- filing stories ----------------------------------------------------------------------------


async def check_story_sections(
    session: AsyncSession,
    issues: Issues,
    primary: int | Unset | None,
    others: Sequence[int] | Unset,
) -> None:
    """The sections named exist (one statement)."""
    wanted = {primary} if isinstance(primary, int) else set()
    wanted |= set(others) if others is not UNSET else set()
    if not wanted:
        return
    found = set(await session.scalars(select(Section.id).where(Section.id.in_(wanted))))
    if isinstance(primary, int) and primary not in found:
        issues.add(("sectionId",), "NOT_FOUND", f"No section with id {primary}.")
    if others is not UNSET:
        for index, section_id in enumerate(others):
            if section_id not in found:
                issues.add(("sectionIds", index), "NOT_FOUND", f"No section with id {section_id}.")


async def file_story(
    session: AsyncSession,
    story: Story,
    primary: int | Unset | None,
    others: Sequence[int] | Unset,
) -> None:
    """Set the story's primary section and/or its others (each once; the primary is not
    repeated among the others)."""
    if primary is not UNSET:
        story.primary_section_id = primary
        await session.flush()
    if others is UNSET and primary is UNSET:
        return
    if others is UNSET:
        # Only the primary changed: it leaves the others if it was among them.
        if story.primary_section_id is not None:
            await session.execute(
                delete(story_sections).where(
                    story_sections.c.story_id == story.id,
                    story_sections.c.section_id == story.primary_section_id,
                )
            )
        return
    await session.execute(delete(story_sections).where(story_sections.c.story_id == story.id))
    unique = [s for s in dict.fromkeys(others) if s != story.primary_section_id]
    if unique:
        await session.execute(
            insert(story_sections),
            [{"story_id": story.id, "section_id": s, "position": i} for i, s in enumerate(unique)],
        )
