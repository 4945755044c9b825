"""Featured stories: set by editors on create and update, shown on every version, listed."""

from __future__ import annotations

from publishing.access import Role
from tests.support.client import ApiClient
from tests.support.tokens import bearer, issue_token

CREATE = """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
  __typename ... on CreateArticleSuccess { article { id version featured } } } }"""
UPDATE = """mutation($input: UpdateArticleInput!) { updateArticle(input: $input) {
  __typename ... on UpdateArticleSuccess { article { version featured } } } }"""
PUBLISH = """mutation($input: PublishArticleInput!) { publishArticle(input: $input) {
  __typename ... on ArticleStatusSuccess { article { version } } } }"""
FEATURED = """query($featured: Boolean) {
  articles(language: "en", first: 50, filter: { featured: $featured }) {
    edges { node { slug featured } } } }"""


def _slugs(data: dict) -> set[str]:  # type: ignore[type-arg]
    return {e["node"]["slug"] for e in data["articles"]["edges"]}


async def test_featured_is_set_updated_and_filtered(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    api = writable_client
    assert _slugs(await api.data(FEATURED, {"featured": True})) == set()
    everything = _slugs(await api.data(FEATURED, {"featured": None}))

    made = await api.data(
        CREATE,
        {"input": {"language": "en", "slug": "top-story", "title": "Top", "featured": True}},
        headers=editor,
    )
    article = made["createArticle"]["article"]
    assert article["featured"] is True
    published = await api.data(PUBLISH, {"input": {"id": article["id"]}}, headers=editor)
    version = published["publishArticle"]["article"]["version"]
    assert _slugs(await api.data(FEATURED, {"featured": True})) == {"top-story"}
    assert _slugs(await api.data(FEATURED, {"featured": False})) == everything

    updated = await api.data(
        UPDATE,
        {"input": {"id": article["id"], "expectedVersion": version, "featured": False}},
        headers=editor,
    )
    assert updated["updateArticle"]["article"]["featured"] is False
    assert _slugs(await api.data(FEATURED, {"featured": True})) == set()
