"""Whatever a reader types gets an answer: results, or a clear error; never a crash."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.client import ApiClient, api_client

SEARCH = """
query($query: String!, $language: String!, $first: Int, $after: String) {
  search(query: $query, language: $language, first: $first, after: $after) {
    totalCount
    edges { cursor snippet node { slug } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""

HOSTILE = [
    "glacier AND NOT meltwater",
    "glacier NEAR(meltwater, 2)",
    "title:glacier",
    "glacier*",
    "^glacier",
    '"unbalanced glacier',
    'glacier"',
    '""',
    '"""',
    "(((glacier",
    "glacier)))",
    "-",
    "--",
    "- -",
    "or",
    "glacier or",
    "🧊 glacier 🏔️",
    "🧊🏔️",
    "'; DROP TABLE articles; --",
    "glacier' OR '1'='1",
    "1=1; SELECT * FROM article_search",
    "\\ \\\\ %_ glacier",
    "<script>alert(1)</script>",
    "glacier & | ! <-> :*",
]


async def run(api: ApiClient, query: str, **variables: Any) -> dict[str, Any]:
    return await api.query(SEARCH, {"query": query, "language": "en", **variables})


@pytest.mark.parametrize("query", HOSTILE)
async def test_hostile_queries_are_searched_as_text(search_url: str, query: str) -> None:
    async with api_client(search_url) as api:
        result = await run(api, query)
    assert "errors" not in result, result["errors"]
    found = result["data"]["search"]
    assert found["totalCount"] == len(found["edges"])
    for edge in found["edges"]:
        # Only articles a query could mean: no syntax ever widened a search to everything.
        assert edge["node"]["slug"] in {
            "glacier-retreat-in-the-caucasus",
            "mountain-water",
            "escaping-is-not-optional",
        }, (query, edge["node"]["slug"])


async def test_operators_do_not_change_a_plain_search(search_url: str) -> None:
    async with api_client(search_url) as api:
        plain = await run(api, "glacier")
        wrapped = await run(api, "(((glacier)))")
        starred = await run(api, "glacier*")
    expected = [e["node"]["slug"] for e in plain["data"]["search"]["edges"]]
    assert expected == ["glacier-retreat-in-the-caucasus", "mountain-water"]
    for other in (wrapped, starred):
        assert [e["node"]["slug"] for e in other["data"]["search"]["edges"]] == expected


async def test_sql_looking_queries_leave_the_store_alone(search_url: str) -> None:
    async with api_client(search_url) as api:
        await run(api, "'; DELETE FROM articles; --")
        await run(api, '"); DROP TABLE article_search; --')
        after = await run(api, "glacier")
    assert after["data"]["search"]["totalCount"] == 2


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
async def test_an_empty_query_is_an_error_that_says_so(client: ApiClient, query: str) -> None:
    result = await run(client, query)
    assert result["data"] is None
    assert "empty" in result["errors"][0]["message"]


@pytest.mark.parametrize("query", ["glacier\x00meltwater", "\x00"])
async def test_a_query_no_text_can_hold_is_refused_at_its_argument(
    client: ApiClient, query: str
) -> None:
    # As every argument is (schema.characters): no store keeps a NUL (nor a lone surrogate,
    # which the tests in tests/hardening/test_fuzzing.py send).
    result = await run(client, query)
    assert result["data"] is None
    [error] = result["errors"]
    assert error["path"] == ["search"]
    assert error["extensions"] == {"code": "INVALID_CHARACTER", "argumentPath": ["query"]}


async def test_long_queries_are_cut_to_the_cap(search_url: str) -> None:
    async with api_client(search_url) as api:
        # 10,000 characters: the first word survives the cut, the rest is dropped.
        result = await run(api, "glacier " + "x" * 10_000)
        spaced = await run(api, "glacier " + "meltwater " * 1_000)
    assert "errors" not in result
    slugs = {e["node"]["slug"] for e in result["data"]["search"]["edges"]}
    assert slugs == {"glacier-retreat-in-the-caucasus", "mountain-water"}
    assert [e["node"]["slug"] for e in spaced["data"]["search"]["edges"]] == [
        "glacier-retreat-in-the-caucasus"
    ]


async def test_unknown_language_and_bad_page_sizes(client: ApiClient) -> None:
    unknown = await client.query(SEARCH, {"query": "gas", "language": "xx"})
    assert "not enabled" in unknown["errors"][0]["message"]
    for first in (0, 101):
        result = await run(client, "gas", first=first)
        assert "`first` must be between 1 and 100" in result["errors"][0]["message"]
    cased = await client.data(SEARCH, {"query": "gas", "language": "EN"})
    assert cased["search"]["totalCount"] >= 1


async def test_pages_follow_each_other_without_gaps_or_repeats(search_url: str) -> None:
    query = "glacier or quinquennial or lighthouse or pwned or meltwater"
    async with api_client(search_url) as api:
        whole = (await run(api, query, first=50))["data"]["search"]
        seen: list[str] = []
        after = None
        for _ in range(10):
            page = (await run(api, query, first=2, after=after))["data"]["search"]
            assert page["totalCount"] == whole["totalCount"]
            assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
            seen += [e["node"]["slug"] for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    assert seen == [e["node"]["slug"] for e in whole["edges"]]
    assert len(seen) == whole["totalCount"] == 5


async def test_cursors_belong_to_their_search(search_url: str) -> None:
    async with api_client(search_url) as api:
        first = (await run(api, "glacier", first=1))["data"]["search"]
        cursor = first["pageInfo"]["endCursor"]
        other = await run(api, "meltwater", after=cursor)
        garbage = await run(api, "glacier", after="not-a-cursor")
        listing = await api.data("{ articles(first: 1) { pageInfo { endCursor } } }")
        foreign = await run(api, "glacier", after=listing["articles"]["pageInfo"]["endCursor"])
    assert "another search" in other["errors"][0]["message"]
    assert "not a valid cursor" in garbage["errors"][0]["message"]
    assert "cursor of another list" in foreign["errors"][0]["message"]
