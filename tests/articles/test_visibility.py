"""Drafts, scheduled and archived articles are unreachable to anonymous readers, by any path."""

from __future__ import annotations

from tests.support.client import ApiClient
from tests.support.lookup import article_id, global_id

DRAFT = ("ru", "budushchee-yadernogo-kontrolya")  # a translation still being written
SCHEDULED = ("en", "when-the-network-slows-down")  # published, with a future date
ARCHIVED = ("en", "iran-after-snapback")
HIDDEN = (DRAFT, SCHEDULED, ARCHIVED)
HIDDEN_SLUGS = {slug for _, slug in HIDDEN}


def slugs_in(connection: dict) -> set[str]:
    return {edge["node"]["slug"] for edge in connection["edges"]}


async def test_article_by_slug(client: ApiClient) -> None:
    for language, slug in HIDDEN:
        data = await client.data(
            "query($l: String!, $s: String!) { article(language: $l, slug: $s) { id } }",
            {"l": language, "s": slug},
        )
        assert data["article"] is None, slug


async def test_node_and_nodes(client: ApiClient, demo_url: str) -> None:
    ids = [global_id("Article", await article_id(demo_url, lang, slug)) for lang, slug in HIDDEN]
    visible = global_id("Article", await article_id(demo_url, "en", "turkiyes-gas-hub-ambition"))
    for hidden in ids:
        data = await client.data("query($id: ID!) { node(id: $id) { id } }", {"id": hidden})
        assert data["node"] is None
    data = await client.data("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    assert data["nodes"] == [None, None, None]
    # The same path does return what is visible, so the Nones above mean something.
    data = await client.data(
        "query($id: ID!) { node(id: $id) { ... on Article { slug } } }", {"id": visible}
    )
    assert data["node"] is not None


async def test_listings_and_their_counts(client: ApiClient) -> None:
    query = """
    query($language: String) {
      articles(language: $language, first: 100) { totalCount edges { node { slug } } }
    }"""
    for language in (None, "en", "ru"):
        data = await client.data(query, {"language": language})
        listed = slugs_in(data["articles"])
        assert not listed & HIDDEN_SLUGS
        assert data["articles"]["totalCount"] == len(listed)
    everything = await client.data(query, {"language": None})
    # 10 stories, 19 versions in all; 3 of them hidden.
    assert everything["articles"]["totalCount"] == 16


async def test_translations_translation_and_original(client: ApiClient) -> None:
    data = await client.data("""{
      article(language: "en", slug: "the-future-of-nuclear-verification") {
        translations { language { code } }
        ru: translation(language: "ru") { slug }
        tr: translation(language: "tr") { slug original { slug } }
      }
    }""")
    article = data["article"]
    assert [t["language"]["code"] for t in article["translations"]] == ["tr"]
    assert article["ru"] is None
    assert article["tr"]["original"]["slug"] == "the-future-of-nuclear-verification"


async def test_author_and_tag_pages(client: ApiClient) -> None:
    data = await client.data("""{
      author(slug: "irina-sokolova") { articles(first: 100) { totalCount edges { node { slug } } } }
      hannah: author(slug: "hannah-mercer") { articles(first: 100) { edges { node { slug } } } }
      tag(slug: "arms-control") { articles(first: 100) { totalCount edges { node { slug } } } }
      digital: tag(slug: "digital-rights") { articles(first: 100) { edges { node { slug } } } }
    }""")
    for connection in (
        data["author"]["articles"],
        data["hannah"]["articles"],
        data["tag"]["articles"],
        data["digital"]["articles"],
    ):
        assert not slugs_in(connection) & HIDDEN_SLUGS
        assert slugs_in(connection)
    assert data["author"]["articles"]["totalCount"] == len(slugs_in(data["author"]["articles"]))
    assert "arms-control-without-a-treaty" in slugs_in(data["tag"]["articles"])
