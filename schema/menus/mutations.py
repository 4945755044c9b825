"""replaceMenu (administrators): a menu's whole item tree in one write."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.errors import Issues
from publishing.menus import editing, reading
from publishing.menus.editing import MenuItemData
from schema.context import Context
from schema.menus.types import Menu
from schema.mutations import decode_id, mutation, result_union, run_mutation, success_type
from schema.usererrors import AnyUserError, ConflictError, ForbiddenError, ValidationError


@strawberry.input(
    description="One menu item: exactly one of article, section, tag or url, an optional "
    "label, and sub-items."
)
class MenuItemInput:
    label: str | None = strawberry.field(
        default=None,
        description="Shown instead of the target's title or name; required with `url`.",
    )
    article: strawberry.ID | None = strawberry.field(
        default=None,
        description="An Article: the menu shows its story's version in the menu's language, "
        "which must be published.",
    )
    section: strawberry.ID | None = strawberry.field(
        default=None, description="A Section named in the menu's language."
    )
    tag: strawberry.ID | None = strawberry.field(default=None, description="A Tag.")
    url: str | None = strawberry.field(
        default=None, description="Another site: an absolute http or https URL."
    )
    children: list[MenuItemInput] = strawberry.field(
        default_factory=list, description="Sub-items, in order (a menu has at most 4 levels)."
    )


@strawberry.input
class ReplaceMenuInput:
    name: str = strawberry.field(description='E.g. "primary", "footer".')
    language: str = strawberry.field(description='An enabled language, e.g. "en".')
    items: list[MenuItemInput] = strawberry.field(
        description="The whole tree, in order: it replaces the stored items."
    )
    expected_version: int | None = strawberry.field(
        default=None,
        description="The `version` you read; leave it out only to create a new menu.",
    )


@strawberry.type
class ReplaceMenuSuccess:
    menu: Menu


ReplaceMenuSuccessType = success_type(ReplaceMenuSuccess, "ReplaceMenuSuccess")
ReplaceMenuResult = result_union(
    "ReplaceMenuResult", ReplaceMenuSuccessType, ValidationError, ConflictError, ForbiddenError
)


def _items(
    issues: Issues, items: list[MenuItemInput], at: tuple[str | int, ...] = ("items",)
) -> list[MenuItemData]:
    """The input tree with database ids; every undecodable id is reported with its path."""

    def ident(value: strawberry.ID | None, kind: str, path: tuple[str | int, ...]) -> int | None:
        return None if value is None else decode_id(issues, value, kind, path)

    return [
        MenuItemData(
            label=item.label,
            article_id=ident(item.article, "Article", (*at, i, "article")),
            section_id=ident(item.section, "Section", (*at, i, "section")),
            tag_id=ident(item.tag, "Tag", (*at, i, "tag")),
            url=item.url,
            children=_items(issues, item.children, (*at, i, "children")),
        )
        for i, item in enumerate(items)
    ]


@strawberry.type
class MenuMutations:
    @mutation(
        ReplaceMenuResult,
        needs=editing.REPLACE_MENU,
        description="Set a menu's items (the whole tree); creates the menu when there is none "
        "of that name in that language.",
    )
    async def replace_menu(
        self, info: Info[Context, None], input: ReplaceMenuInput
    ) -> ReplaceMenuSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> ReplaceMenuSuccess:
            issues = Issues()
            items = _items(issues, input.items)
            issues.raise_if_any()
            menu = await editing.replace_menu(
                session,
                actor,
                input.name,
                input.language,
                items,
                expected_version=input.expected_version,
                now=info.context.now,
            )
            view = await reading.menu_by_name(session, menu.name, menu.language)
            assert view is not None
            return ReplaceMenuSuccessType(menu=Menu.from_view(view))

        return await run_mutation(info, work)
