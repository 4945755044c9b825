"""The /graphql route: POST and GET queries, the IDE for browsers, and its production switch."""

from __future__ import annotations

import logging

import pytest

from tests.support.client import ApiClient, api_client

QUERY = "{ languages { code } }"


async def test_post_and_get_answer_the_same(client: ApiClient) -> None:
    posted = await client.http.post("/graphql", json={"query": QUERY})
    got = await client.http.get(
        "/graphql", params={"query": QUERY}, headers={"Accept": "application/json"}
    )
    assert posted.status_code == got.status_code == 200
    assert posted.json() == got.json()
    assert posted.json()["data"]["languages"]


async def test_browser_gets_graphiql_in_development(client: ApiClient) -> None:
    page = await client.http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def test_production_turns_the_ide_off(demo_url: str) -> None:
    async with api_client(demo_url, production=True) as api:
        page = await api.http.get("/graphql", headers={"Accept": "text/html"})
        assert "graphiql" not in page.text.lower()
        # Queries still work.
        result = await api.data(QUERY)
    assert result["languages"]


async def test_get_cannot_mutate(client: ApiClient) -> None:
    response = await client.http.get(
        "/graphql",
        params={"query": "mutation { __typename }"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code in (400, 405)


async def test_malformed_query_is_a_clear_error_not_a_500(client: ApiClient) -> None:
    response = await client.http.post("/graphql", json={"query": "{ languages { code "})
    assert response.status_code == 200
    errors = response.json()["errors"]
    assert "Syntax Error" in errors[0]["message"]


async def test_client_mistakes_are_not_logged_as_server_errors(
    client: ApiClient, empty_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for mistake in (
        "{ languages { cod } }",
        '{ article(language: "xx", slug: "a") { id } }',
        "{ articles(first: 0) { totalCount } }",
    ):
        assert (await client.query(mistake))["errors"]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    assert "client error" in caplog.text

    # What no client caused (a database nobody migrated) is logged with its traceback.
    caplog.clear()
    async with api_client(empty_url, webhooks_dispatcher=False) as unmigrated:
        assert (await unmigrated.query(QUERY))["errors"]
    [logged] = [r for r in caplog.records if r.name == "strawberry.execution"]
    assert logged.levelno == logging.ERROR and logged.exc_info is not None
