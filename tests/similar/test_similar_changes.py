"""Similar posts follow every change: publications join other lists, withdrawals leave them."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import SYSTEM, Role
from publishing.articles.editing import (
    ArticleChanges,
    archive_article,
    delete_article,
    get_article,
    publish_article,
    unpublish_article,
    update_article,
)
from publishing.clock import SYSTEM_CLOCK
from tests.search.writing import add, tag_ids, write
from tests.support.client import ApiClient, api_client
from tests.support.clock import clocked_client
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

SIMILAR = """
query($language: String!, $slug: String!, $first: Int!) {
  article(language: $language, slug: $slug) { similar(first: $first) { slug } }
}
"""
VERIFICATION = "the-future-of-nuclear-verification"
NEW = "nuclear-verification-after-the-treaty"


async def similar(
    api: ApiClient, slug: str, first: int = 20, language: str = "en", token: str | None = None
) -> list[str]:
    data = await api.data(
        SIMILAR,
        {"language": language, "slug": slug, "first": first},
        headers=bearer(token) if token else None,
    )
    return [s["slug"] for s in data["article"]["similar"]]


async def add_new(session: AsyncSession, status: str = "published") -> int:
    return await add(
        session,
        "en",
        NEW,
        "Nuclear Verification After the Treaty",
        "Inspectors count warheads no more.",
        excerpt="Verification of nuclear arsenals without a treaty to require it.",
        status=status,
        tag_ids=await tag_ids(session, "arms-control", "foreign-policy"),
    )


async def test_a_publication_joins_other_lists_and_leaves_them(fresh_demo_url: str) -> None:
    url = fresh_demo_url
    await write(url, add_new)
    new = await article_id(url, "en", NEW)
    async with api_client(url) as api:
        # Two shared tags and the most shared words: first in the closest article's list.
        assert (await similar(api, VERIFICATION))[0] == NEW
        assert NEW in await similar(api, "arms-control-without-a-treaty")
        assert (await similar(api, NEW))[0] == VERIFICATION

        await write(url, lambda s: unpublish_article(s, SYSTEM, new, now=SYSTEM_CLOCK.now()))
        assert NEW not in await similar(api, VERIFICATION, first=18)
        assert (await similar(api, VERIFICATION, first=17))[0] == "arms-control-without-a-treaty"

        await write(url, lambda s: publish_article(s, SYSTEM, new, now=SYSTEM_CLOCK.now()))
        assert (await similar(api, VERIFICATION, first=16))[0] == NEW
        await write(url, lambda s: archive_article(s, SYSTEM, new, now=SYSTEM_CLOCK.now()))
        assert NEW not in await similar(api, VERIFICATION, first=15)

        await write(url, lambda s: delete_article(s, SYSTEM, new, now=SYSTEM_CLOCK.now()))
        assert NEW not in await similar(api, VERIFICATION, first=14)


async def test_scheduled_publications_appear_when_due(fresh_demo_url: str) -> None:
    url = fresh_demo_url
    await write(url, lambda s: add_new(s, status="scheduled"))
    token = await issue_token(url, Role.CONTRIBUTOR)
    async with clocked_client(url) as (api, clock):
        assert NEW not in await similar(api, VERIFICATION)
        assert (await similar(api, VERIFICATION, token=token))[0] == NEW
        # The clock moves past its time (30 days on), with no write: read-time visibility.
        clock.advance(dt.timedelta(days=31))
        # Another `first`, so no answer cached before the clock moved can be reused.
        assert (await similar(api, VERIFICATION, first=19))[0] == NEW


async def test_tags_changed_through_one_version_move_every_version(fresh_demo_url: str) -> None:
    url = fresh_demo_url
    turkish = "nukleer-denetimin-gelecegi"
    data_transfers = "yurt-disina-veri-aktariminda-yeni-donem"
    async with api_client(url) as api:
        before = await similar(api, turkish, language="tr")
        assert before[0] != data_transfers

        original = await article_id(url, "en", VERIFICATION)

        async def retag(session: AsyncSession) -> None:
            article = await get_article(session, original)
            tags = await tag_ids(session, "digital-rights", "economics")
            await update_article(
                session,
                SYSTEM,
                original,
                article.version,
                ArticleChanges(tag_ids=tags),
                now=SYSTEM_CLOCK.now(),
            )

        await write(url, retag)
        after = await similar(api, turkish, first=19, language="tr")
    # The Turkish version now shares both tags with the data-transfer piece.
    assert after[0] == data_transfers


UPDATE = """
mutation($input: UpdateArticleInput!) {
  updateArticle(input: $input) { __typename ... on UserError { message } }
}
"""


async def test_concurrent_changes_of_similar_articles(fresh_demo_url: str) -> None:
    url = fresh_demo_url
    slugs = [f"pipeline-diplomacy-{i}" for i in range(8)]

    async def published(session: AsyncSession) -> None:
        tags = await tag_ids(session, "energy", "foreign-policy")
        for i, slug in enumerate(slugs):
            await add(
                session,
                "en",
                slug,
                f"Pipeline Diplomacy, Part {i}",
                "Gas pipelines and the diplomacy around them.",
                excerpt="Pipelines, gas and diplomacy.",
                tag_ids=tags,
            )

    await write(url, published)
    editor = await issue_token(url, Role.EDITOR)
    ids = [global_id("Article", await article_id(url, "en", slug)) for slug in slugs]
    async with api_client(url) as api:
        versions = [
            (await api.data(VERSION, {"slug": slug}))["article"]["version"] for slug in slugs
        ]
        # Each change rewrites its article's list and its place in all the others' lists,
        # which are the lists the other changes rewrite at the same moment.
        results = await asyncio.gather(
            *(
                api.data(
                    UPDATE,
                    {
                        "input": {
                            "id": article,
                            "expectedVersion": version,
                            "excerpt": f"Pipelines, gas and diplomacy, again ({n}).",
                        }
                    },
                    headers=bearer(editor),
                )
                for n, (article, version) in enumerate(zip(ids, versions, strict=True))
            )
        )
        assert [r["updateArticle"]["__typename"] for r in results] == [
            "UpdateArticleSuccess"
        ] * len(ids)
        for slug in slugs:
            listed = await similar(api, slug)
            assert set(slugs) - {slug} <= set(listed), (slug, listed)


VERSION = """
query($slug: String!) { article(language: "en", slug: $slug) { version } }
"""
