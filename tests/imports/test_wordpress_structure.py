"""Pages, the category hierarchy, navigation menus and sticky posts of a WordPress export,
read the way frontends read them; and a second import that changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from publishing.articles.models import Article, Story
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine
from publishing.imports.wordpress.importer import import_wordpress
from publishing.menus.models import Menu, MenuItem
from publishing.sections.models import Section, SectionTranslation
from tests.support.client import api_client

STRUCTURE_EXPORT = Path(__file__).parent / "fixtures" / "structure-export.xml"

MENU = """query($name: String!, $language: String!) { menu(name: $name, language: $language) {
  items { label url target { __typename } children { label url target { __typename } } } } }"""

READ = """{
  article(language: "en", slug: "pinned-report") {
    featured tags { slug } section { slug parent { slug } } sections { slug } }
  rapport: article(language: "fr", slug: "rapport") {
    featured section { slug name } sections { slug } }
  monde: section(language: "fr", slug: "monde") { name(language: "en") children { slug } }
  europe: section(language: "en", slug: "europe") { breadcrumbs { slug } }
  team: page(language: "en", slug: "team") { title }
  about: page(language: "fr", slug: "a-propos") { title translations { slug } }
  featured: articles(language: "en", first: 10, filter: { featured: true }) {
    edges { node { slug } } }
  others: articles(language: "en", first: 10, filter: { featured: false }) {
    edges { node { slug } } }
}"""


def _items(items: list[dict[str, Any]]) -> list[Any]:
    return [(i["label"], i["target"]["__typename"], _items(i.get("children") or [])) for i in items]


async def _state(url: str) -> tuple[Any, ...]:
    """Everything an import writes here that a second one must leave as it is."""
    engine = create_engine(url)
    try:
        async with engine.connect() as c:
            return (
                list(await c.execute(select(Article.id, Article.version).order_by(Article.id))),
                list(await c.execute(select(Story.id, Story.featured).order_by(Story.id))),
                list(await c.execute(select(Section.id, Section.version).order_by(Section.id))),
                await c.scalar(select(func.count()).select_from(SectionTranslation)),
                list(await c.execute(select(Menu.id, Menu.version).order_by(Menu.id))),
                list(await c.execute(select(MenuItem.id).order_by(MenuItem.id))),
            )
    finally:
        await engine.dispose()


async def test_pages_sections_menus_and_sticky_posts(migrated_url: str) -> None:
    report = await import_wordpress(migrated_url, STRUCTURE_EXPORT, now=SYSTEM_CLOCK.now())
    assert (report.posts_seen, report.pages, report.created, report.skipped) == (7, 3, 6, 1)
    assert (report.sections_created, report.menus_created) == (3, 2)
    assert dict(report.other_items) == {}
    lines = [str(p) for p in report.problems]
    assert lines == [
        "post 403 “Team”: flattened: the page's parent, page 401 “About”, is not kept: "
        "pages stand alone",
        "post 304 “Thrown Away”: not imported: WordPress status 'trash'",
        "not imported: menu “main_en”, item 507 “Old”: its post 304 was not imported",
        "not imported: menu “main_en”, item 509 “Home”: A link to another site: Must be an "
        "absolute http or https URL; got '#'.",
        "not imported: menu “main_en”, item 510 “Language switcher”: A link to another site: "
        "Must be an absolute http or https URL; got '#pll_switcher'.",
    ]

    async with api_client(migrated_url) as api:
        data = await api.data(READ)
        main_en = (await api.data(MENU, {"name": "main-en", "language": "en"}))["menu"]
        main_fr = (await api.data(MENU, {"name": "main-fr", "language": "fr"}))["menu"]
    article = data["article"]
    assert article["featured"] is True
    assert article["tags"] == [{"slug": "gas"}]  # categories are no longer tags
    # The Yoast primary category comes first, whatever the order of the item's categories.
    assert article["section"] == {"slug": "energy", "parent": None}
    assert article["sections"] == [{"slug": "europe"}]
    # "Non classé", the default category's translation, files nothing.
    assert data["rapport"] == {
        "featured": False,
        "section": {"slug": "monde", "name": "Monde"},
        "sections": [],
    }
    assert data["monde"] == {"name": "World", "children": [{"slug": "europe"}]}
    assert data["europe"]["breadcrumbs"] == [{"slug": "world"}, {"slug": "europe"}]
    assert data["team"] == {"title": "Team"}
    assert data["about"]["translations"] == [{"slug": "about"}]
    assert [e["node"]["slug"] for e in data["featured"]["edges"]] == ["pinned-report"]
    assert [e["node"]["slug"] for e in data["others"]["edges"]] == ["plain"]

    assert _items(main_en["items"]) == [
        ("About", "Page", [("Our team", "Page", [])]),
        ("World", "Section", [("Europe", "Section", [])]),
        ("Gas", "Tag", []),
        ("Pinned Report", "Article", []),
        ("Archive", "ExternalLink", []),
    ]
    assert main_en["items"][4]["url"] == "https://archive.example/"
    assert _items(main_fr["items"]) == [("À propos", "Page", []), ("Rapport", "Article", [])]


async def test_importing_the_structure_again_changes_nothing(migrated_url: str) -> None:
    await import_wordpress(migrated_url, STRUCTURE_EXPORT, now=SYSTEM_CLOCK.now())
    before = await _state(migrated_url)
    again = await import_wordpress(migrated_url, STRUCTURE_EXPORT, now=SYSTEM_CLOCK.now())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert (again.sections_created, again.sections_matched) == (0, 0)
    assert (again.menus_created, again.menus_updated, again.menus_unchanged) == (0, 0, 2)
    assert await _state(migrated_url) == before


async def test_a_menu_changed_here_is_not_overwritten(migrated_url: str) -> None:
    await import_wordpress(migrated_url, STRUCTURE_EXPORT, now=SYSTEM_CLOCK.now())
    engine = create_engine(migrated_url)
    try:
        async with engine.begin() as c:
            await c.execute(Menu.__table__.update().where(Menu.name == "main-fr").values(version=5))
    finally:
        await engine.dispose()
    again = await import_wordpress(migrated_url, STRUCTURE_EXPORT, now=SYSTEM_CLOCK.now())
    assert (
        "edited in Pressroom since the last import: menu “main-fr” (fr) was changed here; "
        "not overwritten"
    ) in [str(p) for p in again.problems]
    assert again.menus_updated == 0
