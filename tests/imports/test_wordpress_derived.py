"""An import brings the search index and similar-post lists up to date once, at its end."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from publishing.articles import editing
from publishing.articles.editing import NewArticle
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine
from publishing.events import catch_up
from publishing.imports.units import Units
from publishing.imports.wordpress.context import IMPORTER
from publishing.imports.wordpress.importer import import_wordpress
from publishing.languages.service import enable_language
from publishing.search.models import ArticleSearch
from tests.imports.conftest import write_wxr, wxr_item
from tests.support.client import api_client

SEARCH = """query($q: String!) {
  search(query: $q, language: "en", first: 10) { totalCount edges { node { slug } } } }"""
SIMILAR = """query($slug: String!) {
  article(language: "en", slug: $slug) { similar(first: 5) { slug } } }"""


async def indexed(url: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(select(func.count(ArticleSearch.article_id))) or 0)
    finally:
        await engine.dispose()


async def test_deferred_writes_are_indexed_only_when_caught_up(migrated_url: str) -> None:
    engine = create_engine(migrated_url, for_writes=True)
    deferred: set[int] = set()
    try:
        async with Units(engine, dry_run=False, deferred=deferred) as units:
            async with units.unit() as session:
                await enable_language(session, IMPORTER, "en")
                article = await editing.create_article(
                    session,
                    IMPORTER,
                    NewArticle(language="en", slug="later", title="Later"),
                    now=SYSTEM_CLOCK.now(),
                )
                await editing.publish_article(session, IMPORTER, article.id, now=SYSTEM_CLOCK.now())
            assert deferred == {article.id}
            assert await indexed(migrated_url) == 0
            async with units.unit() as session:
                await catch_up(session, deferred)
    finally:
        await engine.dispose()
    assert await indexed(migrated_url) == 1


async def test_imported_posts_are_searchable_and_similar_to_each_other(
    migrated_url: str, tmp_path: Path
) -> None:
    tags = '<category domain="post_tag" nicename="pipelines"><![CDATA[Pipelines]]></category>'
    export = write_wxr(
        tmp_path / "x.xml",
        *(
            wxr_item(
                n,
                f"Pipeline Route {n}",
                f"<p>The pipeline route number {n}.</p>",
                slug=f"route-{n}",
                extra=tags,
            )
            for n in (1, 2, 3)
        ),
    )
    assert (await import_wordpress(migrated_url, export, now=SYSTEM_CLOCK.now())).created == 3
    async with api_client(migrated_url) as api:
        found = await api.data(SEARCH, {"q": "pipeline"})
        similar = await api.data(SIMILAR, {"slug": "route-1"})
    assert found["search"]["totalCount"] == 3
    assert {s["slug"] for s in similar["article"]["similar"]} == {"route-2", "route-3"}
