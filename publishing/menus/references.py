"""What menus link to: deleting a thing a menu shows is refused (IN_MENU, naming the menus),
so a menu never points at nothing and an editor's menu never loses an item unseen."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.errors import invalid
from publishing.menus.models import Menu, MenuItem

__all__ = ["refuse_if_in_menus"]


async def refuse_if_in_menus(
    session: AsyncSession, target: ColumnElement[bool], what: str, language: str | None = None
) -> None:
    """Fail with IN_MENU at ``id`` when an item matching ``target`` (in menus of
    ``language``, when given) exists; ``what`` names the thing for people."""
    statement = (
        select(Menu.name, Menu.language)
        .join(MenuItem, MenuItem.menu_id == Menu.id)
        .where(target)
        .distinct()
        .order_by(Menu.name, Menu.language)
    )
    if language is not None:
        statement = statement.where(Menu.language == language)
    menus = [f"{name} ({lang})" for name, lang in await session.execute(statement)]
    if menus:
        invalid(
            ("id",),
            "IN_MENU",
            f"The menus {', '.join(menus)} link to this {what}; change them with replaceMenu "
            "first.",
        )
