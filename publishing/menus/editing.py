"""Replacing a menu's items (administrators): the whole tree at once, under the version the
editor read, checked in full before anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from publishing import events
from publishing.access import Actor, Permission, Role
from publishing.articles.models import Article, Story, StoryKind
from publishing.articles.validation import SLUG_PATTERN, check_text
from publishing.articles.visibility import Visibility
from publishing.errors import ConflictError, Issues, UnknownLanguageError
from publishing.integrity import Race, flush
from publishing.languages.service import load_enabled_languages
from publishing.menus.models import Menu, MenuItem
from publishing.sections.models import Section, SectionTranslation
from publishing.tags.models import Tag
from publishing.weburls import web_url_problem

__all__ = ["REPLACE_MENU", "MenuItemData", "menu_item_issues", "replace_menu"]

REPLACE_MENU = Permission(Role.ADMIN, "Changing a menu")

MAX_NAME = 50
MAX_LABEL = 200
MAX_URL = 2_000
MAX_ITEMS = 200
MAX_DEPTH = 4  # levels of items, the top one included

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class MenuItemData:
    """One item: exactly one target (an article or a page, whose story the menu keeps; a
    section; a tag; an absolute http(s) URL), an optional label, and its sub-items in order."""

    label: str | None = None
    article_id: int | None = None
    page_id: int | None = None
    section_id: int | None = None
    tag_id: int | None = None
    url: str | None = None
    children: Sequence[MenuItemData] = field(default_factory=tuple)


def _walk(
    items: Sequence[MenuItemData], at: Path = ("items",), depth: int = 1
) -> Iterator[tuple[Path, int, MenuItemData]]:
    for index, item in enumerate(items):
        path = (*at, index)
        yield path, depth, item
        yield from _walk(item.children, (*path, "children"), depth + 1)


def _check_url(issues: Issues, url: str, path: Path) -> None:
    problem = web_url_problem(url, limit=MAX_URL)
    if problem is not None:
        issues.add(path, "INVALID_URL", f"A link to another site: {problem}")


def _check_shape(issues: Issues, items: Sequence[MenuItemData]) -> None:
    """Targets, labels, URLs, depth and size: what needs no database."""
    count = 0
    for path, depth, item in _walk(items):
        count += 1
        targets = [
            name
            for name, value in (
                ("article", item.article_id),
                ("page", item.page_id),
                ("section", item.section_id),
                ("tag", item.tag_id),
                ("url", item.url),
            )
            if value is not None
        ]
        if not targets:
            issues.add(path, "NO_TARGET", "Give one of article, page, section, tag or url.")
        elif len(targets) > 1:
            issues.add(
                path,
                "TWO_TARGETS",
                "Give exactly one of article, page, section, tag or url; got "
                f"{', '.join(targets)}.",
            )
        if item.url is not None:
            _check_url(issues, item.url, (*path, "url"))
        if item.label is not None:
            check_text(
                issues,
                item.label,
                (*path, "label"),
                limit=MAX_LABEL,
                required=True,
                label="A label",
            )
        elif item.url is not None:
            issues.add((*path, "label"), "REQUIRED", "A link to another site needs a label.")
        if depth == MAX_DEPTH and item.children:
            issues.add((*path, "children"), "TOO_DEEP", f"A menu has at most {MAX_DEPTH} levels.")
    if count > MAX_ITEMS:
        issues.add(("items",), "TOO_MANY", f"A menu has at most {MAX_ITEMS} items; got {count}.")


async def _check_targets(
    session: AsyncSession,
    issues: Issues,
    items: Sequence[MenuItemData],
    language: str,
    now: dt.datetime,
) -> dict[int, int]:
    """Every target exists and readers can see it in ``language``; returns each article's
    story id. A handful of statements, however many items."""
    walked = [(p, d, i) for p, d, i in _walk(items) if d <= MAX_DEPTH]
    version_ids = {
        i for _, _, item in walked for i in (item.article_id, item.page_id) if i is not None
    }
    section_ids = {i.section_id for _, _, i in walked if i.section_id is not None}
    tag_ids = {i.tag_id for _, _, i in walked if i.tag_id is not None}
    # Article and page versions: their story, and whether that story is an article or a page.
    found_versions: dict[int, tuple[int, StoryKind]] = {}
    shown_stories: set[int] = set()
    if version_ids:
        found_versions = {
            version_id: (story_id, kind)
            for version_id, story_id, kind in await session.execute(
                select(Article.id, Article.story_id, Story.kind)
                .join(Story, Story.id == Article.story_id)
                .where(Article.id.in_(version_ids))
            )
        }
        shown_stories = set(
            await session.scalars(
                select(Article.story_id).where(
                    Article.story_id.in_({story for story, _ in found_versions.values()}),
                    Article.language == language,
                    Visibility(now).clause(),
                )
            )
        )
    stories = {version_id: story_id for version_id, (story_id, _) in found_versions.items()}
    sections_in_language: set[int] = set()
    sections_found: set[int] = set()
    if section_ids:
        sections_found = set(
            await session.scalars(select(Section.id).where(Section.id.in_(section_ids)))
        )
        sections_in_language = set(
            await session.scalars(
                select(SectionTranslation.section_id).where(
                    SectionTranslation.section_id.in_(section_ids),
                    SectionTranslation.language == language,
                )
            )
        )
    tags_found = (
        set(await session.scalars(select(Tag.id).where(Tag.id.in_(tag_ids)))) if tag_ids else set()
    )
    for path, _, item in walked:
        for name, version_id, kind in (
            ("article", item.article_id, StoryKind.ARTICLE),
            ("page", item.page_id, StoryKind.PAGE),
        ):
            if version_id is None:
                continue
            found = found_versions.get(version_id)
            if found is None or found[1] is not kind:
                issues.add((*path, name), "NOT_FOUND", f"No {name} with id {version_id}.")
            elif found[0] not in shown_stories:
                issues.add(
                    (*path, name),
                    "NOT_VISIBLE",
                    f"The {name} has no published version in {language!r}; readers of this "
                    "menu could not open it.",
                )
        if item.section_id is not None:
            if item.section_id not in sections_found:
                issues.add(
                    (*path, "section"), "NOT_FOUND", f"No section with id {item.section_id}."
                )
            elif item.section_id not in sections_in_language:
                issues.add(
                    (*path, "section"),
                    "NOT_TRANSLATED",
                    f"The section has no name and slug in {language!r} yet.",
                )
        if item.tag_id is not None and item.tag_id not in tags_found:
            issues.add((*path, "tag"), "NOT_FOUND", f"No tag with id {item.tag_id}.")
    return stories


def _story_of(item: MenuItemData, stories: dict[int, int]) -> int | None:
    version_id = item.article_id if item.article_id is not None else item.page_id
    return None if version_id is None else stories[version_id]


async def _write_items(
    session: AsyncSession,
    menu_id: int,
    items: Sequence[MenuItemData],
    stories: dict[int, int],
    parent_id: int | None = None,
) -> None:
    rows = [
        MenuItem(
            menu_id=menu_id,
            parent_id=parent_id,
            position=position,
            label=None if item.label is None else item.label.strip(),
            story_id=_story_of(item, stories),
            section_id=item.section_id,
            tag_id=item.tag_id,
            url=item.url,
        )
        for position, item in enumerate(items)
    ]
    session.add_all(rows)
    await session.flush()
    for row, item in zip(rows, items, strict=True):
        if item.children:
            await _write_items(session, menu_id, item.children, stories, row.id)


async def menu_item_issues(
    session: AsyncSession, items: Sequence[MenuItemData], language: str, *, now: dt.datetime
) -> Issues:
    """What ``replace_menu`` would find wrong with ``items`` in ``language`` (enabled), without
    writing: for callers that leave out what cannot be shown rather than fail (imports)."""
    issues = Issues()
    _check_shape(issues, items)
    await _check_targets(session, issues, items, language, now)
    return issues


async def replace_menu(
    session: AsyncSession,
    actor: Actor,
    name: str,
    language: str,
    items: Sequence[MenuItemData],
    *,
    expected_version: int | None,
    now: dt.datetime,
) -> Menu:
    """The menu ``name`` in ``language`` now holds exactly ``items``. Created when absent
    (without ``expected_version``); replacing an existing one needs the version read."""
    actor.require(REPLACE_MENU)
    issues = Issues()
    if not name or len(name) > MAX_NAME or not SLUG_PATTERN.fullmatch(name):
        issues.add(
            ("name",),
            "INVALID_FORMAT",
            f"A menu name is lower-case letters, digits and hyphens, at most {MAX_NAME} "
            f"characters (e.g. primary, footer); got {name[:60]!r}.",
        )
    enabled = await load_enabled_languages(session)
    try:
        code: str | None = enabled.resolve(language)
    except UnknownLanguageError as error:
        issues.add(("language",), "NOT_ENABLED", error.message)
        code = None
    menu = None
    if code is not None:
        menu = await session.scalar(
            select(Menu).where(Menu.name == name, Menu.language == code).with_for_update()
        )
    if menu is not None and expected_version is None:
        issues.add(
            ("expectedVersion",),
            "REQUIRED",
            f"The menu exists (version {menu.version}); send the version you read.",
        )
    if menu is not None and expected_version is not None and menu.version != expected_version:
        raise ConflictError(expected_version, menu.version, "menu")
    if menu is None and code is not None and expected_version is not None:
        issues.add(
            ("expectedVersion",),
            "NO_MENU",
            f"There is no {name!r} menu in {code!r}; leave expectedVersion out to create it.",
        )
    _check_shape(issues, items)
    stories: dict[int, int] = {}
    if code is not None:
        stories = await _check_targets(session, issues, items, code, now)
    issues.raise_if_any()
    assert code is not None

    if menu is None:
        menu = Menu(name=name, language=code, created_at=now, updated_at=now)
        session.add(menu)
        await flush(
            session,
            [Race(("name", "language"), ("name",), "TAKEN", "The menu was created meanwhile.")],
        )
    else:
        menu.updated_at = now
        try:
            await session.flush()
        except StaleDataError:
            raise ConflictError(
                expected_version or 0, (expected_version or 0) + 1, "menu"
            ) from None
        # Sub-items go with their parents (ON DELETE CASCADE).
        await session.execute(delete(MenuItem).where(MenuItem.menu_id == menu.id))
    await _write_items(session, menu.id, items, stories)
    await events.menu_changed(session, menu.id, now=now)
    return menu
