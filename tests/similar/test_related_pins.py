"""Editors pin related articles: they come first, only visible ones show, bad pins are
refused with every problem listed."""

from __future__ import annotations

from typing import Any

from publishing.access import Role
from tests.support.client import ApiClient, api_client
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

PIN = """
mutation($input: SetRelatedArticlesInput!) {
  setRelatedArticles(input: $input) {
    __typename
    ... on UserError { message }
    ... on ValidationError { issues { path code } }
    ... on SetRelatedArticlesSuccess { article { slug similar(first: 3) { slug } } }
  }
}
"""
SIMILAR = """
query($slug: String!, $first: Int!) {
  article(language: "en", slug: $slug) { similar(first: $first) { slug } }
}
"""
VERIFICATION = "the-future-of-nuclear-verification"


async def gid(url: str, slug: str, language: str = "en") -> str:
    return global_id("Article", await article_id(url, language, slug))


async def pin(
    api: ApiClient, token: str | None, article: str, related: list[str]
) -> dict[str, Any]:
    data = await api.data(
        PIN,
        {"input": {"articleId": article, "relatedArticleIds": related}},
        headers=bearer(token) if token else None,
    )
    result: dict[str, Any] = data["setRelatedArticles"]
    return result


async def similar(api: ApiClient, slug: str, first: int, token: str | None = None) -> list[str]:
    data = await api.data(
        SIMILAR, {"slug": slug, "first": first}, headers=bearer(token) if token else None
    )
    return [s["slug"] for s in data["article"]["similar"]]


async def test_pins_come_first_in_their_order(fresh_demo_url: str) -> None:
    url = fresh_demo_url
    editor = await issue_token(url, Role.EDITOR)
    # Neither shares a tag with the verification piece.
    pins = ["the-last-mile-of-disinflation", "drought-on-the-anatolian-plateau"]
    async with api_client(url) as api:
        assert not set(pins) & set(await similar(api, VERIFICATION, 3))
        result = await pin(
            api, editor, await gid(url, VERIFICATION), [await gid(url, p) for p in pins]
        )
        assert result["__typename"] == "SetRelatedArticlesSuccess"
        assert [s["slug"] for s in result["article"]["similar"]][:2] == pins
        shown = await similar(api, VERIFICATION, 20, token=None)

        cleared = await pin(api, editor, await gid(url, VERIFICATION), [])
        assert cleared["__typename"] == "SetRelatedArticlesSuccess"
        computed = await similar(api, VERIFICATION, 19)
    assert shown[:2] == pins
    # The computed ones follow, in their order, each once.
    assert shown[2:] == [slug for slug in computed if slug not in pins][:18]
    assert computed[:2] != pins


async def test_pinned_drafts_show_once_published_only(fresh_demo_url: str) -> None:
    url = fresh_demo_url
    editor = await issue_token(url, Role.EDITOR)
    # A scheduled and an archived article of other stories, and a visible one.
    hidden = ["when-the-network-slows-down", "iran-after-snapback"]
    async with api_client(url) as api:
        related = [await gid(url, s) for s in [*hidden, "the-last-mile-of-disinflation"]]
        result = await pin(api, editor, await gid(url, VERIFICATION), related)
        assert result["__typename"] == "SetRelatedArticlesSuccess"
        public = await similar(api, VERIFICATION, 5)
        editorial = await similar(api, VERIFICATION, 5, token=editor)
    assert public[0] == "the-last-mile-of-disinflation"
    assert not set(hidden) & set(public)
    assert editorial[:3] == [*hidden, "the-last-mile-of-disinflation"]


async def test_every_bad_pin_is_reported_and_nothing_changes(fresh_demo_url: str) -> None:
    url = fresh_demo_url
    editor = await issue_token(url, Role.EDITOR)
    verification = await gid(url, VERIFICATION)
    related = [
        verification,  # itself
        await gid(url, "nukleer-denetimin-gelecegi", "tr"),  # its translation, other language
        await gid(url, "avrupanin-karbon-siniri-ve-turk-ihracatcilari", "tr"),  # other language
        global_id("Article", 999_999),  # no such article
        await gid(url, "the-last-mile-of-disinflation"),
        await gid(url, "the-last-mile-of-disinflation"),  # twice
    ]
    async with api_client(url) as api:
        before = await similar(api, VERIFICATION, 20)
        result = await pin(api, editor, verification, related)
        bad_id = await pin(api, editor, verification, ["bm90IGFuIGlk"])
        too_many = await pin(api, editor, verification, [verification] * 21)
        after = await similar(api, VERIFICATION, 19)
    assert result["__typename"] == "ValidationError"
    assert [(i["path"], i["code"]) for i in result["issues"]] == [
        (["relatedArticleIds", "0"], "SELF"),
        (["relatedArticleIds", "1"], "SAME_STORY"),
        (["relatedArticleIds", "2"], "OTHER_LANGUAGE"),
        (["relatedArticleIds", "3"], "NOT_FOUND"),
        (["relatedArticleIds", "5"], "DUPLICATE"),
    ]
    assert bad_id["issues"] == [{"path": ["relatedArticleIds", "0"], "code": "INVALID_ID"}]
    assert "TOO_MANY" in [i["code"] for i in too_many["issues"]]
    assert after == before[:19]


async def test_only_editors_pin(fresh_demo_url: str) -> None:
    url = fresh_demo_url
    contributor = await issue_token(url, Role.CONTRIBUTOR)
    async with api_client(url) as api:
        article = await gid(url, VERIFICATION)
        related = [await gid(url, "the-last-mile-of-disinflation")]
        anonymous = await pin(api, None, article, related)
        refused = await pin(api, contributor, article, related)
        missing = await pin(
            api, await issue_token(url, Role.EDITOR), global_id("Article", 999_999), related
        )
    assert anonymous["__typename"] == refused["__typename"] == "ForbiddenError"
    assert "editor" in refused["message"]
    assert missing["__typename"] == "NotFoundError"
