"""Similar posts for a page of articles cost the same statements for 10 articles or 50."""

from __future__ import annotations

from tests.support.client import api_client

LISTING = """
query($first: Int!) {
  articles(language: "en", first: $first) {
    edges { node { slug similar(first: 5) { slug title publishedAt tags { slug } } } }
  }
}
"""


async def test_similar_for_10_or_50_articles_costs_the_same(crowded_url: str) -> None:
    async with api_client(crowded_url) as api:
        await api.data("{ languages { code } }")  # first-request work, outside the count
        counts = {}
        for first in (10, 50):
            api.counter.reset()
            data = await api.data(LISTING, {"first": first})
            edges = data["articles"]["edges"]
            assert len(edges) == first
            assert all(len(e["node"]["similar"]) == 5 for e in edges)
            counts[first] = api.counter.count
    assert counts[10] == counts[50], counts
