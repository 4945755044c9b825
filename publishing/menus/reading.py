"""Reading a menu: the menu and its item tree in two statements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.menus.models import Menu, MenuItem

__all__ = ["MenuItemView", "MenuView", "menu_by_name"]


@dataclass(slots=True)
class MenuItemView:
    id: int
    label: str | None
    story_id: int | None
    section_id: int | None
    tag_id: int | None
    url: str | None
    children: list[MenuItemView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MenuView:
    id: int
    name: str
    language: str
    version: int
    updated_at: dt.datetime
    items: list[MenuItemView]  # the top level, in order, each with its children


async def menu_by_name(session: AsyncSession, name: str, language: str) -> MenuView | None:
    menu = await session.scalar(select(Menu).where(Menu.name == name, Menu.language == language))
    if menu is None:
        return None
    rows = await session.scalars(
        select(MenuItem)
        .where(MenuItem.menu_id == menu.id)
        .order_by(MenuItem.parent_id, MenuItem.position, MenuItem.id)
    )
    views: dict[int, MenuItemView] = {}
    parents: list[tuple[int | None, MenuItemView]] = []
    for row in rows:
        view = MenuItemView(row.id, row.label, row.story_id, row.section_id, row.tag_id, row.url)
        views[row.id] = view
        parents.append((row.parent_id, view))
    top: list[MenuItemView] = []
    # Rows come ordered by position within each parent, so appending keeps the order.
    for parent_id, view in parents:
        (top if parent_id is None else views[parent_id].children).append(view)
    return MenuView(menu.id, menu.name, menu.language, menu.version, menu.updated_at, top)
