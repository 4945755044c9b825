"""WordPress navigation menus (``nav_menu_item`` items) as Pressroom menus.

Each WordPress menu becomes the menu named after its slug, in the language its post and page
links are in (Polylang keeps one menu per language), else the default language. Its items
keep their order and nesting and point at what their targets became here: posts at articles,
pages at pages, categories at sections, tags at tags, custom links at their URL. An item
whose target was not imported, is not visible to readers in the menu's language, or is not
an absolute http(s) address is reported and left out, its sub-items taking its place.

A menu is written through ``replace_menu`` and remembered with the version it was left at:
the next import leaves it alone when nothing changed, and when an editor changed it here.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select

from publishing.errors import Issue
from publishing.imports.records import RecordKind, find_record, keep_record, records_of
from publishing.imports.report import ProblemKind
from publishing.imports.units import Units
from publishing.imports.wordpress.body import plain_text
from publishing.imports.wordpress.context import IMPORTER, ImportContext, fingerprint
from publishing.imports.wordpress.convert import make_slug
from publishing.imports.wordpress.index import MenuEntry
from publishing.imports.wordpress.sections import section_key
from publishing.menus.editing import (
    MAX_LABEL,
    MAX_NAME,
    MenuItemData,
    menu_item_issues,
    replace_menu,
)
from publishing.menus.models import Menu

__all__ = ["import_menus"]

_TRIES = 20  # rounds of leaving out what cannot be shown; each removes at least one item


def _where(menu: str, entry: MenuEntry) -> str:
    title = plain_text(entry.title).strip()
    named = f" “{title}”" if title else ""
    return f"menu “{menu}”, item {entry.post_id}{named}"


async def _targets(
    units: Units, context: ImportContext, entries: Sequence[MenuEntry]
) -> tuple[dict[int, MenuItemData], dict[int, str]]:
    """Each entry as an item without children, or why it has no target here."""
    post_ids = [str(e.object_id) for e in entries if e.type == "post_type"]
    tag_slugs = {
        t.term_id: t.slug for (tax, _), t in context.index.terms.items() if tax == "post_tag"
    }
    category_slugs = {
        t.term_id: t.slug for (tax, _), t in context.index.terms.items() if tax == "category"
    }
    tag_keys = [
        f"post_tag:{tag_slugs[e.object_id]}"
        for e in entries
        if e.type == "taxonomy" and e.object == "post_tag" and e.object_id in tag_slugs
    ]
    section_keys = [
        section_key(context, category_slugs[e.object_id])
        for e in entries
        if e.type == "taxonomy" and e.object == "category" and e.object_id in category_slugs
    ]
    async with units.unit() as session:
        posts = {
            r.external_id: r.article_id
            for r in await records_of(session, context.origin, RecordKind.POST, post_ids)
        }
        tags = {
            r.external_id: r.tag_id
            for r in await records_of(session, context.origin, RecordKind.TERM, tag_keys)
        }
        sections = {
            r.external_id: r.section_id
            for r in await records_of(session, context.origin, RecordKind.SECTION, section_keys)
        }
    items: dict[int, MenuItemData] = {}
    missing: dict[int, str] = {}
    for entry in entries:
        label = html.unescape(plain_text(entry.title)).strip()[:MAX_LABEL] or None
        if entry.type == "custom":
            url = entry.url
            items[entry.post_id] = MenuItemData(label=label or url[:MAX_LABEL] or None, url=url)
        elif entry.type == "post_type" and entry.object in ("post", "page"):
            found = posts.get(str(entry.object_id))
            if found is None:
                missing[entry.post_id] = f"its {entry.object} {entry.object_id} was not imported"
            elif entry.object == "page":
                items[entry.post_id] = MenuItemData(label=label, page_id=found)
            else:
                items[entry.post_id] = MenuItemData(label=label, article_id=found)
        elif entry.type == "taxonomy" and entry.object == "category":
            slug = category_slugs.get(entry.object_id)
            found = None if slug is None else sections.get(section_key(context, slug))
            if found is None:
                missing[entry.post_id] = f"its category {entry.object_id} is no section here"
            else:
                items[entry.post_id] = MenuItemData(label=label, section_id=found)
        elif entry.type == "taxonomy" and entry.object == "post_tag":
            slug = tag_slugs.get(entry.object_id)
            found = None if slug is None else tags.get(f"post_tag:{slug}")
            if found is None:
                missing[entry.post_id] = f"its tag {entry.object_id} is no tag here"
            else:
                items[entry.post_id] = MenuItemData(label=label, tag_id=found)
        else:
            what = entry.object or entry.type or "unknown"
            missing[entry.post_id] = f"a link to a {what} ({entry.type}) has no equivalent here"
    return items, missing


def _tree(
    entries: Sequence[MenuEntry], items: dict[int, MenuItemData]
) -> list[tuple[MenuEntry, list]]:  # type: ignore[type-arg]
    """The entries as a tree, in menu order; an entry under one that is not in the menu
    goes to the top."""
    ids = {e.post_id for e in entries}
    children: dict[int, list[MenuEntry]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: (e.order, e.post_id)):
        parent = entry.parent if entry.parent in ids and entry.parent != entry.post_id else 0
        children[parent].append(entry)

    def build(parent: int, seen: frozenset[int]) -> list[tuple[MenuEntry, list]]:  # type: ignore[type-arg]
        return [
            (e, build(e.post_id, seen | {e.post_id}))
            for e in children.get(parent, [])
            if e.post_id not in seen
        ]

    return build(0, frozenset())


def _items(
    tree: list[tuple[MenuEntry, list]],  # type: ignore[type-arg]
    items: dict[int, MenuItemData],
    left_out: dict[int, str],
) -> tuple[list[MenuItemData], list[MenuEntry]]:
    """The menu's items (one left out gives its place to its sub-items), with the entry of
    each item in walk order."""
    built: list[MenuItemData] = []
    order: list[MenuEntry] = []
    for entry, below in tree:
        if entry.post_id in left_out or entry.post_id not in items:
            sub, sub_order = _items(below, items, left_out)
            built.extend(sub)
            order.extend(sub_order)
            continue
        order.append(entry)
        sub, sub_order = _items(below, items, left_out)
        built.append(replace(items[entry.post_id], children=tuple(sub)))
        order.extend(sub_order)
    return built, order


def _item_at(path: tuple[str | int, ...], items: Sequence[MenuItemData]) -> int | None:
    """The walk-order index of the item ``path`` points into; None when it names no item."""
    if len(path) < 2 or path[0] != "items" or not isinstance(path[1], int):
        return None
    counted = 0
    level: Sequence[MenuItemData] = items
    rest = path[1:]
    while True:
        index = rest[0]
        if not isinstance(index, int) or index >= len(level):
            return None
        counted += sum(1 + _size(i.children) for i in level[:index])
        if len(rest) >= 3 and rest[1] == "children" and isinstance(rest[2], int):
            counted += 1
            level = level[index].children
            rest = rest[2:]
            continue
        return counted


def _size(items: Sequence[MenuItemData]) -> int:
    return sum(1 + _size(i.children) for i in items)


def _menu_language(context: ImportContext, entries: Sequence[MenuEntry]) -> str:
    languages = {
        context.index.posts[e.object_id].language
        for e in entries
        if e.type == "post_type" and e.object_id in context.index.posts
    }
    languages.discard(None)
    if len(languages) == 1:
        try:
            return context.enabled.resolve(languages.pop() or "")
        except Exception:
            pass
    return context.default_language


async def import_menus(units: Units, context: ImportContext) -> None:
    report = context.report
    by_menu: dict[str, list[MenuEntry]] = defaultdict(list)
    for entry in context.index.menu_items:
        by_menu[entry.menu].append(entry)
    for slug, all_entries in by_menu.items():
        shown = [e for e in all_entries if e.status == "publish"]
        for entry in all_entries:
            if entry.status != "publish":
                report.problem(
                    ProblemKind.NOT_IMPORTED,
                    f"{_where(slug, entry)}: WordPress status {entry.status!r}",
                )
        await _import_menu(units, context, slug, shown)


async def _import_menu(
    units: Units, context: ImportContext, slug: str, entries: Sequence[MenuEntry]
) -> None:
    report = context.report
    name = make_slug(slug, fallback="menu", limit=MAX_NAME)
    language = _menu_language(context, entries)
    items, left_out = await _targets(units, context, entries)
    tree = _tree(entries, items)
    why: dict[int, str] = dict(left_out)
    async with units.unit() as session:
        built, order = _items(tree, items, why)
        for _ in range(_TRIES):
            issues = await menu_item_issues(session, built, language, now=context.now)
            if not issues:
                break
            dropped = _drop(issues.items, built, order, why)
            if not dropped:
                report.problem(
                    ProblemKind.NOT_IMPORTED,
                    f"menu “{slug}”: {'; '.join(i.message for i in issues.items)}",
                )
                return
            built, order = _items(tree, items, why)
        for entry in entries:
            if entry.post_id in why:
                report.problem(
                    ProblemKind.NOT_IMPORTED, f"{_where(slug, entry)}: {why[entry.post_id]}"
                )
        print_ = fingerprint(language, built)
        key = f"menu:{slug}"
        record = await find_record(session, context.origin, RecordKind.MENU, key)
        menu = await session.scalar(
            select(Menu).where(Menu.name == name, Menu.language == language)
        )
        if record is not None and menu is not None and record.menu_id == menu.id:
            if menu.version != record.target_version:
                report.problem(
                    ProblemKind.EDITED_HERE,
                    f"menu “{name}” ({language}) was changed here; not overwritten",
                )
                report.menus_unchanged += 1
                return
            if record.fingerprint == print_:
                report.menus_unchanged += 1
                return
        elif menu is not None:
            report.problem(
                ProblemKind.EDITED_HERE,
                f"a menu “{name}” ({language}) was already here; not overwritten",
            )
            report.menus_unchanged += 1
            return
        written = await replace_menu(
            session,
            IMPORTER,
            name,
            language,
            built,
            expected_version=None if menu is None else menu.version,
            now=context.now,
        )
        await keep_record(
            session,
            context.origin,
            RecordKind.MENU,
            key,
            menu_id=written.id,
            fingerprint=print_,
            target_version=written.version,
            now=context.now,
        )
        if menu is None:
            report.menus_created += 1
        else:
            report.menus_updated += 1


def _drop(
    issues: Sequence[Issue],
    built: Sequence[MenuItemData],
    order: Sequence[MenuEntry],
    why: dict[int, str],
) -> bool:
    """Leave out the items the issues point at; False when none points at an item."""
    dropped = False
    for issue in issues:
        at = _item_at(issue.path, built)
        if at is None or at >= len(order):
            continue
        entry = order[at]
        if entry.post_id not in why:
            why[entry.post_id] = issue.message
            dropped = True
    return dropped
