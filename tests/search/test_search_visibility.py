"""Readers find only what they may read: in results, snippets and counts alike."""

from __future__ import annotations

import datetime as dt

from publishing.access import SYSTEM, Role
from publishing.articles.editing import publish_article
from tests.search.writing import add, write
from tests.support.client import ApiClient, api_client
from tests.support.clock import clocked_client
from tests.support.lookup import article_id
from tests.support.tokens import bearer, issue_token

SEARCH = """
query($query: String!) {
  search(query: $query, language: "en", first: 50) {
    totalCount
    edges { snippet node { slug status } }
  }
}
"""


async def found(api: ApiClient, query: str, token: str | None = None) -> tuple[int, list[str]]:
    headers = bearer(token) if token else None
    data = await api.data(SEARCH, {"query": query}, headers=headers)
    result = data["search"]
    snippets = " ".join(e["snippet"] for e in result["edges"])
    assert not any(word in snippets for word in ("zephyrine", "quillback", "marmalade")) or token
    return result["totalCount"], [e["node"]["slug"] for e in result["edges"]]


async def test_drafts_scheduled_and_archived_are_never_found(search_url: str) -> None:
    token = await issue_token(search_url, Role.CONTRIBUTOR)
    async with api_client(search_url) as api:
        assert await found(api, "lighthouse") == (1, ["lighthouse-visible"])
        for word in ("zephyrine", "quillback", "marmalade"):
            assert await found(api, word) == (0, [])
        editor_count, editor_slugs = await found(api, "lighthouse", token)
    # Any token holder reads every status, so finds them all.
    assert editor_count == 4
    assert set(editor_slugs) == {
        "lighthouse-visible",
        "zephyrine-draft",
        "quillback-scheduled",
        "marmalade-archived",
    }


async def test_demo_drafts_are_not_found(client: ApiClient) -> None:
    # The Russian verification piece is a draft; its published English original is found.
    _, russian = await found_in(client, "Будущее ядерного контроля", "ru")
    _, english = await found_in(client, "nuclear verification", "en")
    assert "budushchee-yadernogo-kontrolya" not in russian
    assert "the-future-of-nuclear-verification" in english


async def found_in(api: ApiClient, query: str, language: str) -> tuple[int, list[str]]:
    data = await api.data(
        "query($q: String!, $l: String!) { search(query: $q, language: $l) "
        "{ totalCount edges { node { slug } } } }",
        {"q": query, "l": language},
    )
    return data["search"]["totalCount"], [e["node"]["slug"] for e in data["search"]["edges"]]


async def test_scheduled_articles_are_found_once_their_time_comes(fresh_demo_url: str) -> None:
    async def scheduled(session) -> None:  # type: ignore[no-untyped-def]
        await add(session, "en", "sundial-one", "Sundial One", "sundial", status="scheduled")
        await add(session, "en", "sundial-two", "Sundial Two", "sundial", status="scheduled")

    await write(fresh_demo_url, scheduled)  # both due in 30 days
    two = await article_id(fresh_demo_url, "en", "sundial-two")
    async with clocked_client(fresh_demo_url) as (api, clock):

        async def reschedule(publish_at: dt.datetime) -> None:
            await write(
                fresh_demo_url,
                lambda s: publish_article(s, SYSTEM, two, now=clock.now(), publish_at=publish_at),
            )

        await reschedule(clock.now() + dt.timedelta(days=60))
        assert await found(api, "sundial") == (0, [])

        # The clock moves on: nothing is written, the index is not touched, and the article is
        # found all the same (visibility is applied per query).
        clock.advance(dt.timedelta(days=31))
        # Asked in other words each time, so no answer cached before the clock moved is reused:
        # this is about the query's own filter.
        assert await found(api, "Sundial") == (1, ["sundial-one"])

        # Rescheduled through the services to a moment just past.
        await reschedule(clock.now() - dt.timedelta(seconds=1))
        count, slugs = await found(api, "SUNDIAL")
    assert count == 2 and set(slugs) == {"sundial-one", "sundial-two"}
