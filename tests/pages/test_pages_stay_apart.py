"""A published page, credited to an author and sharing an article's words, shows in none of
the places articles are listed: `articles`, an author's articles, a tag's, `search`, similar
posts. Pages take no tags."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from publishing.access import SYSTEM, Role
from publishing.articles import editing
from publishing.articles.editing import NewArticle
from publishing.articles.models import StoryKind
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.errors import ValidationFailed
from publishing.tags.models import Tag
from tests.support.client import ApiClient
from tests.support.lookup import rows
from tests.support.tokens import bearer, issue_token

GAS_HUB = ("en", "turkiyes-gas-hub-ambition")
CREATE = """mutation($input: CreatePageInput!) { createPage(input: $input) {
  __typename ... on UserError { message } ... on CreatePageSuccess { page { id } } } }"""
PUBLISH = """mutation($input: PublishPageInput!) { publishPage(input: $input) {
  __typename ... on PageStatusSuccess { page { id } } } }"""
UPDATE_ARTICLE = """mutation($input: UpdateArticleInput!) { updateArticle(input: $input) {
  __typename ... on UpdateArticleSuccess { article { id } } } }"""


async def test_a_page_is_in_no_article_listing(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    api = writable_client
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    article = (
        await api.data(
            """query($language: String!, $slug: String!) { article(language: $language,
              slug: $slug) { id version title excerpt authors { id slug }
              tags { slug } similar(first: 20) { slug } } }""",
            {"language": GAS_HUB[0], "slug": GAS_HUB[1]},
        )
    )["article"]
    author = article["authors"][0]
    tag = article["tags"][0]["slug"]
    # The article's own words, and a word no article has, credited to the article's author.
    created = await api.data(
        CREATE,
        {
            "input": {
                "language": "en",
                "slug": "gas-hub-explainer",
                "title": article["title"],
                "excerpt": article["excerpt"],
                "body": f"{article['title']}. {article['excerpt']} Zyxwvutsrq.",
                "credits": [{"authorId": author["id"]}],
            }
        },
        headers=editor,
    )
    page_id = created["createPage"]["page"]["id"]
    published = await api.data(PUBLISH, {"input": {"id": page_id}}, headers=editor)
    assert published["publishPage"]["__typename"] == "PageStatusSuccess"
    # A change to the article recomputes its similar posts, with the page about.
    changed = await api.data(
        UPDATE_ARTICLE,
        {"input": {"id": article["id"], "expectedVersion": article["version"], "title": "Hub"}},
        headers=editor,
    )
    assert changed["updateArticle"]["__typename"] == "UpdateArticleSuccess"

    seen = await api.data(
        """query($author: String!, $tag: String!) {
          articles(first: 100) { edges { node { slug } } }
          author(slug: $author) { articles(first: 100) { totalCount edges { node { slug } } } }
          tag(slug: $tag) { articles(first: 100) { edges { node { slug } } } }
          search(query: "zyxwvutsrq", language: "en") { totalCount }
          again: search(query: "gas hub", language: "en") { edges { node { slug } } }
          searchPages(query: "zyxwvutsrq", language: "en") { edges { node { slug } } }
          page(language: "en", slug: "gas-hub-explainer") { authors { slug } }
        }""",
        {"author": author["slug"], "tag": tag},
    )
    slugs = {
        "articles": {e["node"]["slug"] for e in seen["articles"]["edges"]},
        "author": {e["node"]["slug"] for e in seen["author"]["articles"]["edges"]},
        "tag": {e["node"]["slug"] for e in seen["tag"]["articles"]["edges"]},
        "search": {e["node"]["slug"] for e in seen["again"]["edges"]},
    }
    for where, found in slugs.items():
        assert "gas-hub-explainer" not in found, where
    assert GAS_HUB[1] in slugs["author"] and GAS_HUB[1] in slugs["search"]
    assert seen["search"]["totalCount"] == 0
    # The page is there, credited, and found where pages are searched.
    assert seen["page"]["authors"] == [{"slug": author["slug"]}]
    assert seen["searchPages"]["edges"] == [{"node": {"slug": "gas-hub-explainer"}}]

    similar = (
        await api.data(
            """query($language: String!, $slug: String!) { article(language: $language,
              slug: $slug) { similar(first: 20) { slug } } }""",
            {"language": GAS_HUB[0], "slug": GAS_HUB[1]},
        )
    )["article"]["similar"]
    assert similar, "the article has similar posts"
    assert "gas-hub-explainer" not in {s["slug"] for s in similar}


async def test_a_page_takes_no_tags(fresh_demo_url: str) -> None:
    [(tag_id,)] = await rows(fresh_demo_url, select(Tag.id).order_by(Tag.id).limit(1))
    engine = create_engine(fresh_demo_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            with pytest.raises(ValidationFailed) as failed:
                await editing.create_article(
                    session,
                    SYSTEM,
                    NewArticle(language="en", slug="tagged", title="T", tag_ids=[tag_id]),
                    now=SYSTEM_CLOCK.now(),
                    kind=StoryKind.PAGE,
                )
    finally:
        await engine.dispose()
    [issue] = failed.value.issues
    assert (issue.path, issue.code) == (("tagIds",), "NOT_ALLOWED")
