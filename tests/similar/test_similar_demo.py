"""Similar posts of the demo publication: same language, other stories, visible only."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from sqlalchemy import select

from publishing.access import Role
from publishing.articles.models import Article, ArticleStatus
from publishing.db import create_engine
from tests.support.client import ApiClient
from tests.support.tokens import bearer, issue_token

LISTING = """
query($language: String!) {
  articles(language: $language, first: 100) {
    edges { node { id slug similar(first: 20) { id slug language { code } } } }
  }
}
"""
ONE = """
query($slug: String!, $first: Int!) {
  article(language: "en", slug: $slug) { similar(first: $first) { slug } }
}
"""


def pk(global_id: str) -> int:
    return int(base64.b64decode(global_id).decode().split(":")[1])


async def stored(url: str) -> dict[int, Any]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(
                    Article.id,
                    Article.story_id,
                    Article.language,
                    Article.status,
                    Article.published_at,
                )
            )
            return {row.id: row for row in rows}
    finally:
        await engine.dispose()


async def test_similar_posts_are_visible_same_language_and_other_stories(
    client: ApiClient, demo_url: str
) -> None:
    articles = await stored(demo_url)
    now = dt.datetime.now(dt.UTC)
    checked = 0
    for language in ("en", "tr", "ru"):
        data = await client.data(LISTING, {"language": language})
        for edge in data["articles"]["edges"]:
            node = edge["node"]
            own = articles[pk(node["id"])]
            assert node["similar"], f"{node['slug']} has no similar posts"
            for similar in node["similar"]:
                other = articles[pk(similar["id"])]
                assert similar["language"]["code"] == language
                assert other.story_id != own.story_id  # never itself or its translations
                assert other.status is ArticleStatus.PUBLISHED
                assert other.published_at <= now
                checked += 1
            slugs = [s["slug"] for s in node["similar"]]
            assert len(slugs) == len(set(slugs))
    assert checked > 30


async def test_shared_tags_rank_first(client: ApiClient) -> None:
    # Both carry arms-control and foreign-policy; the archived Iran piece does too, unseen.
    data = await client.data(ONE, {"slug": "the-future-of-nuclear-verification", "first": 20})
    slugs = [s["slug"] for s in data["article"]["similar"]]
    assert slugs[0] == "arms-control-without-a-treaty"
    assert "iran-after-snapback" not in slugs


async def test_scheduled_posts_show_to_editors_only(client: ApiClient, demo_url: str) -> None:
    variables = {"slug": "a-new-era-for-cross-border-data-transfers", "first": 20}
    public = await client.data(ONE, variables)
    token = await issue_token(demo_url, Role.CONTRIBUTOR)
    editorial = await client.data(ONE, variables, headers=bearer(token))
    # "When the Network Slows Down" shares the digital-rights tag and is scheduled.
    assert "when-the-network-slows-down" not in [s["slug"] for s in public["article"]["similar"]]
    assert "when-the-network-slows-down" in [s["slug"] for s in editorial["article"]["similar"]]


async def test_first_is_capped_at_twenty(client: ApiClient) -> None:
    for first in (0, 21):
        result = await client.query(
            ONE, {"slug": "the-future-of-nuclear-verification", "first": first}
        )
        assert "`first` must be between 1 and 20" in result["errors"][0]["message"]
    short = await client.data(ONE, {"slug": "the-future-of-nuclear-verification", "first": 2})
    assert len(short["article"]["similar"]) == 2
