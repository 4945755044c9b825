"""The benchmark's data generator: realistic content the API serves like any other, and a
database the editorial services keep working on afterwards."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bench.generate import generate
from publishing.access import Role
from publishing.articles.models import Article, ArticleRevision
from publishing.db import create_engine
from publishing.models import Author, Footnote
from tests.support.client import api_client
from tests.support.databases import Databases
from tests.support.lookup import rows
from tests.support.tokens import bearer, issue_token

PAGE = """query($language: String!, $slug: String!) { article(language: $language, slug: $slug) {
  title body { html } footnotes { number label source { title } citation }
  authors { name bio { html } } translations { language { code } slug } tags { name }
} }"""
CREATE = """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
  __typename ... on CreateArticleSuccess { article { slug } } } }"""


async def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            counts = {}
            for model in (Article, Footnote, Author, ArticleRevision):
                counts[model.__tablename__] = int(
                    await connection.scalar(select(func.count()).select_from(model)) or 0
                )
            slug, language = (
                await connection.execute(
                    select(Article.slug, Article.language)
                    .where(Article.status == "PUBLISHED", Article.published_at <= func.now())
                    .order_by(Article.id)
                    .limit(1)
                )
            ).one()
    finally:
        await engine.dispose()
    return {**counts, "sample": (language, slug)}  # type: ignore[dict-item]


async def test_generated_stories_are_served_and_editable(empty_url: str) -> None:
    await generate(empty_url, 6, seed=3, progress=False)
    counts = await _counts(empty_url)
    assert counts["articles"] == 18 and counts["article_revisions"] == 18
    assert counts["authors"] == 2_000
    assert 6 * 18 <= counts["footnotes"] <= 10 * 18
    language, slug = counts["sample"]  # type: ignore[misc]

    async with api_client(empty_url) as api:
        article = (await api.data(PAGE, {"language": language, "slug": slug}))["article"]
        assert len(article["body"]["html"]) > 3_000
        numbers = [f["number"] for f in article["footnotes"]]
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 6
        # Every footnote is referenced in the body, as a numbered link.
        assert article["body"]["html"].count('href="#fn-n') >= len(numbers)
        assert any(f["citation"] for f in article["footnotes"])
        assert article["authors"] and article["authors"][0]["bio"]["html"]
        assert article["tags"]
        # Ids were assigned in bulk; new rows still get fresh ones.
        token = bearer(await issue_token(empty_url, Role.EDITOR))
        created = await api.data(
            CREATE,
            {"input": {"language": "en", "slug": "after-the-load", "title": "After", "body": "x"}},
            headers=token,
        )
        assert created["createArticle"]["__typename"] == "CreateArticleSuccess"


async def test_the_same_seed_gives_the_same_content(
    empty_url: str, databases: Databases, backend: str
) -> None:
    other = await asyncio.to_thread(databases.empty, backend)
    await generate(empty_url, 2, seed=9, progress=False)
    await generate(other, 2, seed=9, progress=False)

    bodies = select(Article.slug, Article.body).order_by(Article.id)
    assert await rows(empty_url, bodies) == await rows(other, bodies)
