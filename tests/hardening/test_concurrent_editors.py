"""Concurrent editors on PostgreSQL, through two API processes sharing one database: stale
versions lose cleanly, independent edits all land, and a translation is made once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from publishing.access import Role
from tests.hardening.servers import ApiServer, running_server
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.postgres

EDITORS = 50
UPDATE = """mutation($input: UpdateArticleInput!) {
  updateArticle(input: $input) {
    __typename
    ... on UpdateArticleSuccess { article { version title } }
    ... on ConflictError { currentVersion }
    ... on UserError { message }
  }
}"""
STATE = """query($id: ID!) {
  node(id: $id) { ... on Article { version title revisions { version title createdBy } } }
}"""


@contextlib.contextmanager
def two_servers(database_url: str, workdir: Path) -> Iterator[tuple[ApiServer, ApiServer]]:
    # Generous database waits: fifty requests queue for the same row lock and pool slots.
    with (
        running_server(database_url, workdir, database_timeout=60) as one,
        running_server(database_url, workdir, database_timeout=60) as other,
    ):
        yield one, other


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=2 * EDITORS))


async def post(
    http: httpx.AsyncClient,
    server: ApiServer,
    query: str,
    variables: dict[str, Any],
    headers: dict[str, str],
) -> dict[str, Any]:
    response = await http.post(
        server.graphql_url, json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    assert "errors" not in result, result["errors"]
    return result["data"]


async def test_fifty_editors_with_one_version_one_winner(
    postgres_demo_copy: str, tmp_path: Path
) -> None:
    url = postgres_demo_copy
    tokens = [bearer(await issue_token(url, Role.EDITOR, f"editor-{i}")) for i in range(EDITORS)]
    target = global_id("Article", await article_id(url, "en", "turkiyes-gas-hub-ambition"))

    with two_servers(url, tmp_path) as servers:
        async with client() as http:
            before = (await post(http, servers[0], STATE, {"id": target}, tokens[0]))["node"]
            version = before["version"]
            results = await asyncio.gather(
                *(
                    post(
                        http,
                        servers[i % 2],
                        UPDATE,
                        {
                            "input": {
                                "id": target,
                                "expectedVersion": version,
                                "title": f"Edited by editor {i}",
                            }
                        },
                        tokens[i],
                    )
                    for i in range(EDITORS)
                )
            )
            after = (await post(http, servers[1], STATE, {"id": target}, tokens[0]))["node"]

    outcomes = [r["updateArticle"] for r in results]
    winners = [i for i, o in enumerate(outcomes) if o["__typename"] == "UpdateArticleSuccess"]
    assert len(winners) == 1, [o["__typename"] for o in outcomes]
    [winner] = winners
    losers = [o for i, o in enumerate(outcomes) if i != winner]
    assert {o["__typename"] for o in losers} == {"ConflictError"}
    assert {o["currentVersion"] for o in losers} == {version + 1}

    title = f"Edited by editor {winner}"
    assert outcomes[winner]["article"] == {"version": version + 1, "title": title}
    assert after["version"] == version + 1 and after["title"] == title
    # One new revision, the winner's; the losers left none.
    assert len(after["revisions"]) == len(before["revisions"]) + 1
    assert after["revisions"][-1] == {
        "version": version + 1,
        "title": title,
        "createdBy": f"editor-{winner}",
    }


async def test_fifty_editors_on_fifty_articles_all_succeed(
    postgres_demo_copy: str, tmp_path: Path
) -> None:
    url = postgres_demo_copy
    admin = bearer(await issue_token(url, Role.ADMIN))
    tokens = [bearer(await issue_token(url, Role.EDITOR, f"editor-{i}")) for i in range(EDITORS)]
    create = """mutation($input: CreateArticleInput!) {
      createArticle(input: $input) { ... on CreateArticleSuccess { article { id version } } }
    }"""

    with two_servers(url, tmp_path) as servers:
        async with client() as http:
            articles = []
            for i in range(EDITORS):
                made = await post(
                    http,
                    servers[0],
                    create,
                    {"input": {"language": "en", "slug": f"piece-{i}", "title": f"Piece {i}"}},
                    admin,
                )
                articles.append(made["createArticle"]["article"])
            results = await asyncio.gather(
                *(
                    post(
                        http,
                        servers[i % 2],
                        UPDATE,
                        {
                            "input": {
                                "id": article["id"],
                                "expectedVersion": article["version"],
                                "title": f"Piece {i}, edited",
                                "body": f"Edited body {i}.",
                            }
                        },
                        tokens[i],
                    )
                    for i, article in enumerate(articles)
                )
            )
            stored = [
                (await post(http, servers[1], STATE, {"id": a["id"]}, admin))["node"]
                for a in articles
            ]

    assert [r["updateArticle"]["__typename"] for r in results] == ["UpdateArticleSuccess"] * EDITORS
    for i, (article, state) in enumerate(zip(articles, stored, strict=True)):
        assert state["title"] == f"Piece {i}, edited"
        assert state["version"] == article["version"] + 1
        assert state["revisions"][-1]["createdBy"] == f"editor-{i}"


async def test_concurrent_translations_of_one_story_make_one_version(
    postgres_demo_copy: str, tmp_path: Path
) -> None:
    url = postgres_demo_copy
    token = bearer(await issue_token(url, Role.EDITOR))
    translate = """mutation($input: CreateTranslationInput!) {
      createTranslation(input: $input) {
        __typename ... on ValidationError { issues { path code } }
      }
    }"""
    create = """mutation($input: CreateArticleInput!) {
      createArticle(input: $input) { ... on CreateArticleSuccess { article { id } } }
    }"""
    attempts = 10

    with two_servers(url, tmp_path) as servers:
        async with client() as http:
            made = await post(
                http,
                servers[0],
                create,
                {"input": {"language": "en", "slug": "original", "title": "Original"}},
                token,
            )
            original = made["createArticle"]["article"]["id"]
            results = await asyncio.gather(
                *(
                    post(
                        http,
                        servers[i % 2],
                        translate,
                        {
                            "input": {
                                "originalId": original,
                                "language": "tr",
                                "slug": f"ceviri-{i}",
                                "title": f"Çeviri {i}",
                            }
                        },
                        token,
                    )
                    for i in range(attempts)
                )
            )
            versions = await post(
                http,
                servers[1],
                "query($id: ID!) { node(id: $id) { ... on Article { translations { slug } } } }",
                {"id": original},
                token,
            )

    outcomes = [r["createTranslation"] for r in results]
    assert sum(o["__typename"] == "CreateTranslationSuccess" for o in outcomes) == 1
    refused = [o for o in outcomes if o["__typename"] != "CreateTranslationSuccess"]
    assert {o["__typename"] for o in refused} == {"ValidationError"}
    assert all({"path": ["language"], "code": "TRANSLATION_EXISTS"} in o["issues"] for o in refused)
    assert len(versions["node"]["translations"]) == 1
