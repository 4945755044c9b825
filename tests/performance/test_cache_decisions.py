"""What the caching edge keeps is decided from how the operation executed, not from the bytes
of its answer; what the edge cannot reach costs the cache, never the answer."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest

from publishing.access import Role
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token

AUTHOR = "query($slug: String!) { author(slug: $slug) { name } }"
CREATE_AUTHOR = """mutation($input: CreateAuthorInput!) {
  createAuthor(input: $input) { __typename }
}"""
LANGUAGES = "{ languages { code } }"


async def get(
    api: ApiClient, query: str, variables: dict[str, Any] | None = None
) -> httpx.Response:
    params = {"query": query}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    response = await api.http.get("/graphql", params=params, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    return response


async def test_a_complete_answer_is_cached_whatever_its_data_says(client: ApiClient) -> None:
    # The data holds `"errors":` (an alias); the answer has no errors, so it is kept.
    query = "{ errors: languages { code } }"
    first = await get(client, query)
    assert "errors" not in first.json() and first.json()["data"]["errors"]
    assert (await get(client, query)).headers["x-pressroom-cache"] == "hit"


async def test_a_lookup_that_found_nothing_is_answered_anew_after_any_write(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    slug = {"slug": "new-voice"}
    assert (await get(writable_client, AUTHOR, slug)).json()["data"]["author"] is None
    again = await get(writable_client, AUTHOR, slug)
    assert again.headers["x-pressroom-cache"] == "hit" and again.json()["data"]["author"] is None

    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    created = await writable_client.data(
        CREATE_AUTHOR, {"input": {"slug": "new-voice", "name": "New Voice"}}, headers=admin
    )
    assert created["createAuthor"]["__typename"] == "CreateAuthorSuccess", created

    after = await get(writable_client, AUTHOR, slug)
    assert after.json()["data"]["author"] == {"name": "New Voice"}


async def test_an_unreachable_redis_costs_only_the_cache(demo_url: str) -> None:
    async with api_client(demo_url, redis_url="redis://127.0.0.1:1/0") as api:
        for _ in range(2):
            response = await get(api, LANGUAGES)
            assert response.json()["data"]["languages"]
            assert response.headers["x-pressroom-cache"] == "bypass"


async def test_an_unreadable_change_log_costs_only_the_cache(
    empty_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # An unmigrated database: the change log cannot be read, and the query fails on its own.
    async with api_client(empty_url, webhooks_dispatcher=False) as api:
        with caplog.at_level(logging.WARNING, logger="api.caching"):
            response = await get(api, LANGUAGES)
    assert response.json()["errors"]
    assert response.headers["x-pressroom-cache"] == "bypass"
    assert response.headers["cache-control"] == "no-store"
    assert "change log unreadable" in caplog.text
