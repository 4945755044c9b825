from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from publishing.articles.models import Article as ArticleModel
from publishing.menus.reading import MenuItemView, MenuView
from publishing.sections.reading import SectionView
from publishing.site.links import LinkKind
from publishing.tags.reading import TagView
from schema.articles.types import Article
from schema.context import Context
from schema.sections.types import Section
from schema.tags.types import Tag


@strawberry.type(description="A link to another site.")
class ExternalLink:
    url: str = strawberry.field(description="An absolute http or https URL.")


MenuTarget = Annotated[
    Article | Section | Tag | ExternalLink,
    strawberry.union(
        "MenuTarget", description="What a menu item opens: content of this API, or another site."
    ),
]


@strawberry.type(description="One link of a menu, with its sub-items in order.")
class MenuItem:
    label: str = strawberry.field(
        description="The label an editor set, else the target's title or name in the menu's "
        "language."
    )
    target: MenuTarget
    url: str = strawberry.field(
        description="Where the item leads: the target's public URL in the menu's language, or "
        "the external link."
    )
    children: list[MenuItem]


@strawberry.type(description="A named navigation menu in one language.")
class Menu:
    id: strawberry.ID = strawberry.field(description="The global ID (webhooks name it).")
    name: str = strawberry.field(description='E.g. "primary", "footer".')
    language: str
    version: int = strawberry.field(description="Send it back as `expectedVersion`.")
    updated_at: dt.datetime
    _view: strawberry.Private[MenuView]

    @strawberry.field(
        description="The top-level items in order. An item whose target you cannot see (an "
        "article unpublished since, with no version in the menu's language) is left out with "
        "its sub-items."
    )
    async def items(self, info: Info[Context, None]) -> list[MenuItem]:
        return await _items(info, self._view)

    @classmethod
    def from_view(cls, view: MenuView) -> Menu:
        from publishing.global_ids import global_id

        return cls(
            id=strawberry.ID(global_id("Menu", view.id)),
            name=view.name,
            language=view.language,
            version=view.version,
            updated_at=view.updated_at,
            _view=view,
        )


def _all(items: list[MenuItemView]) -> list[MenuItemView]:
    found: list[MenuItemView] = []
    for item in items:
        found.append(item)
        found.extend(_all(item.children))
    return found


async def _items(info: Info[Context, None], menu: MenuView) -> list[MenuItem]:
    """Every target of the tree loaded at once (a statement per kind), then the tree built
    with the items the reader can see."""
    context = info.context
    loaders = context.loaders
    every = _all(menu.items)
    story_ids = sorted({i.story_id for i in every if i.story_id is not None})
    section_ids = sorted({i.section_id for i in every if i.section_id is not None})
    tag_ids = sorted({i.tag_id for i in every if i.tag_id is not None})
    versions, sections, tags, languages, site = await asyncio.gather(
        loaders.versions_by_story.load_many(story_ids),
        loaders.section_by_id.load_many(section_ids),
        loaders.tag_by_id.load_many(tag_ids),
        context.languages(),
        context.site(),
    )
    links = site.links
    allows = context.visibility.allows
    articles: dict[int, ArticleModel] = {}
    for story_id, story_versions in zip(story_ids, versions, strict=True):
        shown = [v for v in story_versions if v.language == menu.language and allows(v)]
        if shown:
            articles[story_id] = shown[0]
    section_views: dict[int, SectionView] = {
        i: v for i, v in zip(section_ids, sections, strict=True) if v is not None
    }
    tag_views: dict[int, TagView] = {
        i: v for i, v in zip(tag_ids, tags, strict=True) if v is not None
    }

    def build(items: list[MenuItemView]) -> list[MenuItem]:
        built: list[MenuItem] = []
        for item in items:
            target: Article | Section | Tag | ExternalLink
            if item.story_id is not None:
                article = articles.get(item.story_id)
                if article is None:
                    continue
                target = Article.from_model(article)
                title = article.title
                url = links.url(
                    LinkKind.ARTICLE,
                    language=article.language,
                    slug=article.slug,
                    published_at=article.published_at or article.created_at,
                )
            elif item.section_id is not None:
                view = section_views.get(item.section_id)
                if view is None:
                    continue
                section = Section.from_view(view, languages, menu.language)
                code, text = section._texts_in(menu.language)
                target, title = section, text.name
                url = links.url(LinkKind.SECTION, language=code, slug=text.slug)
            elif item.tag_id is not None:
                tag = tag_views.get(item.tag_id)
                if tag is None:
                    continue
                target = Tag.from_view(tag, languages, menu.language)
                title = target.name()
                url = links.url(LinkKind.TAG, language=menu.language, slug=tag.slug)
            else:
                assert item.url is not None
                target = ExternalLink(url=item.url)
                title = url = item.url
            built.append(
                MenuItem(
                    label=item.label or title,
                    target=target,
                    url=url,
                    children=build(item.children),
                )
            )
        return built

    return build(menu.items)
