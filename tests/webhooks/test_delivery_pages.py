"""A webhook's deliveries as a connection: newest first in pages, a total, cursors that belong
to their webhook, and the same statements for a page of 1 or of 5."""

from __future__ import annotations

from typing import Any

from publishing.access import Role
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token
from tests.webhooks.harness import create_webhook, retitle

PUBLIC_URL = "https://93.184.215.14/hooks"  # a public address literal: no DNS needed
GAS_HUB = ("en", "turkiyes-gas-hub-ambition")
PAGE = """query($first: Int!, $after: String) { webhooks { id
  deliveries(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id eventType status } } } } }"""
RECENT = "{ webhooks { recentDeliveries(first: 100) { id } } }"


async def _pages(api: ApiClient, admin: dict[str, str], first: int) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = []
    after = None
    while True:
        data = await api.data(PAGE, {"first": first, "after": after}, headers=admin)
        page: dict[str, Any] = data["webhooks"][0]["deliveries"]
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]


async def test_deliveries_come_in_pages_newest_first(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with api_client(fresh_demo_url, webhooks_dispatcher=False) as api:
        await create_webhook(api, admin, PUBLIC_URL, ["ARTICLE_UPDATED"])
        for n in range(5):
            await retitle(api, editor, GAS_HUB, f"The gas hub, take {n}")
        pages = await _pages(api, admin, first=2)
        recent = (await api.data(RECENT, headers=admin))["webhooks"][0]["recentDeliveries"]
    assert [len(p["edges"]) for p in pages] == [2, 2, 1]
    assert {p["totalCount"] for p in pages} == {5}
    assert [p["pageInfo"]["hasPreviousPage"] for p in pages] == [False, True, True]
    ids = [e["node"]["id"] for p in pages for e in p["edges"]]
    assert ids == [d["id"] for d in recent]  # newest first, each once
    assert {e["node"]["eventType"] for p in pages for e in p["edges"]} == {"ARTICLE_UPDATED"}
    first = pages[0]
    assert first["pageInfo"]["startCursor"] == first["edges"][0]["cursor"]
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]


async def test_a_cursor_belongs_to_its_webhook(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    query = """query($after: String) { webhooks {
      deliveries(first: 1, after: $after) { pageInfo { endCursor } } } }"""
    delete = "mutation($id: ID!) { deleteWebhook(input: {id: $id}) { __typename } }"
    async with api_client(fresh_demo_url, webhooks_dispatcher=False) as api:
        gone = await create_webhook(api, admin, PUBLIC_URL, ["ARTICLE_UPDATED"])
        await create_webhook(api, admin, PUBLIC_URL + "/other", ["ARTICLE_UPDATED"])
        for n in range(2):
            await retitle(api, editor, GAS_HUB, f"The gas hub, take {n}")
        data = await api.data(query, headers=admin)
        cursor = data["webhooks"][0]["deliveries"]["pageInfo"]["endCursor"]
        await api.data(delete, {"id": gone["webhook"]["id"]}, headers=admin)
        # The one webhook left is the other: the first one's cursor is refused, not misread.
        # (One webhook: a refusal beside another webhook's page would cancel that page.)
        refused = await api.query(query, {"after": cursor}, headers=admin)
        listing = await api.data("{ articles(first: 1) { pageInfo { endCursor } } }")
        foreign = await api.query(
            query, {"after": listing["articles"]["pageInfo"]["endCursor"]}, headers=admin
        )
    [error] = refused["errors"]
    assert "another webhook's deliveries" in error["message"]
    assert error["path"] == ["webhooks", 0, "deliveries"]
    assert "cursor of another list" in foreign["errors"][0]["message"]


async def test_pages_of_every_webhook_cost_the_same_statements(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with api_client(fresh_demo_url, webhooks_dispatcher=False) as api:
        for n in range(3):
            await create_webhook(api, admin, f"{PUBLIC_URL}/{n}", ["ARTICLE_UPDATED"])
        for n in range(6):
            await retitle(api, editor, GAS_HUB, f"The gas hub, take {n}")
        counts = {}
        for first in (1, 5):
            api.counter.reset()
            data = await api.data(PAGE, {"first": first}, headers=admin)
            sizes = [len(hook["deliveries"]["edges"]) for hook in data["webhooks"]]
            assert sizes == [first] * 3
            assert [hook["deliveries"]["totalCount"] for hook in data["webhooks"]] == [6] * 3
            counts[first] = api.counter.count
    assert counts[1] == counts[5], counts
    assert counts[5] <= 4  # the token, the webhooks, their deliveries, their totals
