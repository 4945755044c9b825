"""exportTranslation and translationStatus cost the same statements however many segments an
article has and however many translations a page lists; old source text needs a token."""

from __future__ import annotations

from publishing.access import Role
from tests.support.client import ApiClient
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

EXPORT = """
query($id: ID!) {
  exportTranslation(articleId: $id, targetLanguage: "tr") {
    __typename ... on TranslationExport { segmentCount }
  }
}
"""
STATUSES = """
query($first: Int!) {
  articles(language: "tr", first: $first) { edges { node { slug translationStatus {
    isOutdated changedSegmentCount changedSegments { segmentId change oldSource newSource }
  } } } }
}
"""


async def test_export_costs_the_same_for_a_short_and_a_long_article(
    client: ApiClient, demo_url: str
) -> None:
    editor = bearer(await issue_token(demo_url, Role.EDITOR))
    counts: dict[int, int] = {}
    # Originals with a Turkish translation (their text carried into the export) and without.
    for slug in ("turkiyes-gas-hub-ambition", "arms-control-without-a-treaty"):
        node = global_id("Article", await article_id(demo_url, "en", slug))
        await client.data(EXPORT, {"id": node}, headers=editor)  # warm the process's caches
        client.counter.reset()
        data = await client.data(EXPORT, {"id": node}, headers=editor)
        result = data["exportTranslation"]
        assert result["__typename"] == "TranslationExport"
        counts[result["segmentCount"]] = client.counter.count
    assert len(counts) == 2 and len(set(counts.values())) == 1, counts
    # the token, the article and its story, the story's versions, the revisions, the featured
    # image's texts, the languages, the translation's machine-made segments
    assert max(counts.values()) <= 8, counts


async def test_translation_status_of_a_page_costs_one_statement_more(
    client: ApiClient, demo_url: str
) -> None:
    editor = bearer(await issue_token(demo_url, Role.EDITOR))
    counts: dict[int, int] = {}
    outdated = 0
    await client.data(STATUSES, {"first": 1}, headers=editor)
    for first in (2, 5):
        client.counter.reset()
        data = await client.data(STATUSES, {"first": first}, headers=editor)
        edges = data["articles"]["edges"]
        assert len(edges) == first
        counts[first] = client.counter.count
        # Null on originals (one of the seed's analyses was written in Turkish).
        statuses = [e["node"]["translationStatus"] for e in edges if e["node"]["translationStatus"]]
        outdated = sum(1 for s in statuses if s["changedSegmentCount"])
        for status in statuses:
            assert status["changedSegmentCount"] == len(status["changedSegments"])
    assert counts[2] == counts[5], counts
    # The seed has translations whose original moved on since: they list what changed.
    assert outdated >= 1


async def test_changed_segments_need_a_token(client: ApiClient) -> None:
    result = await client.query(STATUSES, {"first": 5})
    assert result["errors"]
    assert all("token" in error["message"] for error in result["errors"])
    plain = await client.data(
        'query { articles(language: "tr", first: 5) { edges { node { '
        "translationStatus { isOutdated } } } } }"
    )
    assert len(plain["articles"]["edges"]) == 5
