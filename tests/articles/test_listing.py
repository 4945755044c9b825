"""Article listings: newest first, keyset pages, filters, and arguments checked."""

from __future__ import annotations

import datetime as dt

import pytest

from publishing.demo import content
from tests.support.client import ApiClient

LISTING = """
query($language: String, $first: Int, $after: String, $filter: ArticleFilter) {
  articles(language: $language, first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { slug publishedAt language { code } } }
  }
}
"""


async def listing(client: ApiClient, **variables: object) -> dict:
    data = await client.data(LISTING, variables)
    return data["articles"]


async def test_newest_first_and_pages_join_up(client: ApiClient) -> None:
    whole = await listing(client, language="en", first=100)
    dates = [e["node"]["publishedAt"] for e in whole["edges"]]
    assert dates == sorted(dates, reverse=True)
    assert whole["pageInfo"]["hasNextPage"] is False

    seen: list[str] = []
    after = None
    while True:
        page = await listing(client, language="en", first=3, after=after)
        seen += [e["node"]["slug"] for e in page["edges"]]
        assert page["totalCount"] == whole["totalCount"]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [e["node"]["slug"] for e in whole["edges"]]
    assert len(seen) == whole["totalCount"] > 3


async def test_filters(client: ApiClient) -> None:
    by_author = await listing(client, first=100, filter={"authorSlug": "nadia-karaman"})
    # The translator is credited on versions, not on stories: her visible translations only.
    translated = {
        version.slug
        for story in content.STORIES
        for version in story.versions
        if "nadia-karaman" in version.translators and version.status == "published"
    }
    assert {e["node"]["slug"] for e in by_author["edges"]} == translated

    climate = await listing(client, language="en", first=100, filter={"tagSlug": "climate"})
    assert {e["node"]["slug"] for e in climate["edges"]} == {
        "europes-carbon-border-and-turkish-exporters",
        "drought-on-the-anatolian-plateau",
    }

    whole = await listing(client, language="en", first=100)
    middle = whole["edges"][2]["node"]["publishedAt"]
    newer = await listing(client, language="en", first=100, filter={"publishedAfter": middle})
    older = await listing(client, language="en", first=100, filter={"publishedBefore": middle})
    assert newer["totalCount"] == 3
    assert newer["totalCount"] + older["totalCount"] == whole["totalCount"]
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    none = await listing(client, first=100, filter={"publishedAfter": future})
    assert none["totalCount"] == 0 and none["edges"] == []


@pytest.mark.parametrize("first", [0, -1, 101, 1_000_000_000])
async def test_first_out_of_range_says_what_is_allowed(client: ApiClient, first: int) -> None:
    result = await client.query(LISTING, {"first": first})
    [error] = result["errors"]
    assert error["message"] == f"`first` must be between 1 and 100; got {first}."
    assert error["path"] == ["articles"]


@pytest.mark.parametrize("cursor", ["nonsense", "", "!!!", "W10", "WyJhcnRpY2xlcyJd"])
async def test_malformed_cursor_is_a_clear_error(client: ApiClient, cursor: str) -> None:
    result = await client.query(LISTING, {"first": 5, "after": cursor or "x"})
    [error] = result["errors"]
    assert "`after` is not a valid cursor" in error["message"]


async def test_cursor_from_another_list_is_refused(client: ApiClient) -> None:
    authors = await client.data("{ authors(first: 1) { pageInfo { endCursor } } }")
    foreign = authors["authors"]["pageInfo"]["endCursor"]
    result = await client.query(LISTING, {"first": 5, "after": foreign})
    [error] = result["errors"]
    assert "cursor of another list" in error["message"]


async def test_unknown_language_names_the_enabled_ones(client: ApiClient) -> None:
    result = await client.query(LISTING, {"language": "xx"})
    [error] = result["errors"]
    assert error["message"] == "Language 'xx' is not enabled; enabled languages: en, tr, ru."


async def test_authors_and_tags(client: ApiClient) -> None:
    data = await client.data("""{
      authors(first: 2) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } }
      tags { slug en: name(language: "en") tr: name(language: "tr") ptBR: name(language: "pt-BR") }
      languages { code }
    }""")
    assert data["authors"]["totalCount"] == 4
    assert data["authors"]["pageInfo"]["hasNextPage"] is True
    rest = await client.data(
        "query($a: String) { authors(first: 10, after: $a) { edges { node { name } } } }",
        {"a": data["authors"]["pageInfo"]["endCursor"]},
    )
    names = [e["node"]["name"] for e in data["authors"]["edges"] + rest["authors"]["edges"]]
    assert names == sorted(names) and len(names) == 4
    assert len(data["tags"]) == 7
    tag = data["tags"][0]
    assert tag["en"] != tag["tr"]
    # No Portuguese name: the fallback chain ends at the default language.
    assert tag["ptBR"] == tag["en"]


async def test_dates_without_a_time_zone_are_refused_clearly(client: ApiClient) -> None:
    result = await client.query(LISTING, {"filter": {"publishedAfter": "2026-01-01T00:00:00"}})
    [error] = result["errors"]
    assert error["message"].startswith("`filter.publishedAfter` needs a time zone offset")
