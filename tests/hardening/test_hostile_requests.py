"""Hostile requests against a running server: each gets a clear error quickly, and the server
keeps answering other clients while they arrive.

"Quickly" is a bound, not a measurement: every request here has a client timeout, and a
server that took longer would fail the test with a timeout error.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.hardening.servers import ApiServer

TIMEOUT = httpx.Timeout(10.0)
NORMAL = '{ articles(language: "en", first: 3) { edges { node { slug title } } } }'
LONG = "x" * 100_000


async def normal_query(http: httpx.AsyncClient) -> None:
    response = await http.post("/graphql", json={"query": NORMAL})
    assert response.status_code == 200
    assert len(response.json()["data"]["articles"]["edges"]) == 3


async def while_attacked(
    server: ApiServer, attack: Callable[[httpx.AsyncClient], Awaitable[None]], copies: int = 10
) -> None:
    """Run ``copies`` of ``attack`` and as many normal queries at once; all must succeed."""
    limits = httpx.Limits(max_connections=2 * copies + 2)
    async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT, limits=limits) as http:
        await asyncio.gather(
            *(attack(http) for _ in range(copies)), *(normal_query(http) for _ in range(copies))
        )


async def raw_exchange(server: ApiServer, head: bytes, body_parts: list[bytes]) -> bytes:
    """Send a request by hand, part by part, stopping as soon as the server answers; returns
    the status line and headers of the answer."""
    address = urlsplit(server.url)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    try:
        writer.write(head)
        answer = asyncio.ensure_future(reader.readuntil(b"\r\n\r\n"))
        for part in body_parts:
            if answer.done():
                break
            writer.write(part)
            try:
                await writer.drain()
            except ConnectionError:
                break  # the server stopped reading and closed: its answer is waiting
            await asyncio.sleep(0)
        return await asyncio.wait_for(answer, timeout=10)
    finally:
        writer.close()


def request_head(server: ApiServer, **headers: str) -> bytes:
    host = urlsplit(server.url).netloc
    lines = [
        "POST /graphql HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json",
        *(f"{k.replace('_', '-')}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def test_a_5_mb_body_is_refused_before_it_is_read(module_server: ApiServer) -> None:
    # Declared size over the limit: the answer comes after the first 64 KB of 5 MB.
    head = request_head(module_server, Content_Length=str(5 * 1024 * 1024))
    answer = await raw_exchange(module_server, head, [b"a" * 65536])
    assert answer.startswith(b"HTTP/1.1 413")

    # No declared size (chunked): refused once the limit is passed, the rest never sent.
    chunk = b"a" * 65536
    framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    head = request_head(module_server, Transfer_Encoding="chunked")
    answer = await raw_exchange(module_server, head, [framed] * 80)  # 5 MB if all were sent
    assert answer.startswith(b"HTTP/1.1 413")


async def test_an_oversized_body_gets_a_graphql_shaped_413(module_server: ApiServer) -> None:
    body = json.dumps({"query": "{ __typename }", "padding": "a" * 5_000_000}).encode()

    async def attack(http: httpx.AsyncClient) -> None:
        response = await http.post(
            "/graphql", content=body, headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 413
        [error] = response.json()["errors"]
        assert error["extensions"] == {"code": "BODY_TOO_LARGE", "limit": 1_048_576}
        assert "1,048,576 bytes" in error["message"]

    await while_attacked(module_server, attack, copies=4)


async def test_a_client_trickling_its_body_holds_up_no_one(module_server: ApiServer) -> None:
    address = urlsplit(module_server.url)
    stalled = []
    for _ in range(20):
        _, writer = await asyncio.open_connection(address.hostname, address.port)
        writer.write(request_head(module_server, Content_Length="500000") + b'{"query": "')
        await writer.drain()
        stalled.append(writer)
    try:
        async with httpx.AsyncClient(base_url=module_server.url, timeout=TIMEOUT) as http:
            await asyncio.gather(*(normal_query(http) for _ in range(10)))
    finally:
        for writer in stalled:
            writer.close()


async def test_a_batch_is_refused_with_a_clear_400(module_server: ApiServer) -> None:
    async def attack(http: httpx.AsyncClient) -> None:
        batch = [{"query": NORMAL}] * 1000
        response = await http.post("/graphql", json=batch)
        assert response.status_code == 400
        [error] = response.json()["errors"]
        assert error["extensions"]["code"] == "BATCH_NOT_SUPPORTED"
        assert "one operation per request" in error["message"]

    await while_attacked(module_server, attack)


def graphql_attack(
    query: str, variables: dict[str, Any] | None, check: Callable[[dict[str, Any]], None]
) -> Callable[[httpx.AsyncClient], Awaitable[None]]:
    async def attack(http: httpx.AsyncClient) -> None:
        response = await http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200
        check(response.json())

    return attack


def refused(code: str) -> Callable[[dict[str, Any]], None]:
    def check(result: dict[str, Any]) -> None:
        assert result["data"] is None
        assert [e["extensions"]["code"] for e in result["errors"]] == [code]

    return check


def deep_query(depth: int) -> str:
    inner = "translations { " * (depth - 4) + "slug" + " }" * (depth - 4)
    return f"{{ articles(first: 5) {{ edges {{ node {{ {inner} }} }} }} }}"


def nested_fragments(levels: int) -> str:
    fragments = " ".join(
        f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    last = f"fragment F{levels} on Query {{ articles {{ edges {{ node {{ title }} }} }} }}"
    return f"{{ ...F0 }} {fragments} {last}"


def cyclic_fragments() -> str:
    return (
        "{ ...A } fragment A on Query { articles { edges { node { title } } } ...B } "
        "fragment B on Query { ...C } fragment C on Query { ...A }"
    )


def cyclic_check(result: dict[str, Any]) -> None:
    assert result["data"] is None
    assert "within itself" in result["errors"][0]["message"]


def huge_first_check(result: dict[str, Any]) -> None:
    [error] = result["errors"]
    assert error["message"] == "`first` must be between 1 and 100; got 1000000000."


ATTACKS = {
    "10,000 aliases": graphql_attack(
        "{ " + " ".join(f"a{i}: __typename" for i in range(10_000)) + " }",
        None,
        refused("MAX_TOKENS_EXCEEDED"),
    ),
    "depth 100": graphql_attack(deep_query(100), None, refused("MAX_DEPTH_EXCEEDED")),
    "first: 1000000000": graphql_attack(
        "{ articles(first: 1000000000) { edges { node { title body { html } } } } }",
        None,
        huge_first_check,
    ),
    "nested connections with a huge first": graphql_attack(
        "{ authors(first: 1000000000) { edges { node { articles(first: 1000000000) "
        "{ edges { node { footnotes { content { html } } } } } } } } }",
        None,
        refused("MAX_COST_EXCEEDED"),
    ),
    "deeply nested fragments": graphql_attack(
        nested_fragments(60), None, refused("MAX_COST_EXCEEDED")
    ),
    "cyclic fragments": graphql_attack(cyclic_fragments(), None, cyclic_check),
}


@pytest.mark.parametrize("name", ATTACKS)
async def test_hostile_queries_get_clear_errors(module_server: ApiServer, name: str) -> None:
    await while_attacked(module_server, ATTACKS[name])


def answered_without_echo(field: str) -> Callable[[dict[str, Any]], None]:
    def check(result: dict[str, Any]) -> None:
        assert field in (result.get("data") or {}) or result.get("errors"), result
        # Nothing 100,000 characters long comes back.
        assert LONG not in json.dumps(result)

    return check


LONG_ARGUMENTS = {
    "article slug": ('query($s: String!) { article(language: "en", slug: $s) { id } }', "article"),
    "author slug": ("query($s: String!) { author(slug: $s) { id } }", "author"),
    "tag slug": ("query($s: String!) { tag(slug: $s) { id } }", "tag"),
    "node id": ("query($s: ID!) { node(id: $s) { id } }", "node"),
    "nodes ids": ("query($s: ID!) { nodes(ids: [$s, $s]) { id } }", "nodes"),
    "cursor": ("query($s: String!) { articles(after: $s) { totalCount } }", "articles"),
    "preview token": ("query($s: String!) { articlePreview(token: $s) { id } }", "articlePreview"),
    "bio language": (
        "query($s: String!) { authors(first: 3) { edges { node { bio(language: $s) { html } } } } "
        "}",
        "authors",
    ),
    "literal in the document": (
        f'{{ article(language: "en", slug: "{LONG}") {{ id }} }}',
        "article",
    ),
}


@pytest.mark.parametrize("name", LONG_ARGUMENTS)
async def test_a_100_000_character_argument_is_answered_quickly(
    module_server: ApiServer, name: str
) -> None:
    query, field = LONG_ARGUMENTS[name]
    await while_attacked(
        module_server, graphql_attack(query, {"s": LONG}, answered_without_echo(field))
    )


async def test_a_100_000_character_language_is_a_clear_error(module_server: ApiServer) -> None:
    def check(result: dict[str, Any]) -> None:
        [error] = result["errors"]
        assert "is not enabled" in error["message"]
        assert len(error["message"]) < 200  # names the code without echoing all of it

    query = 'query($s: String!) { article(language: $s, slug: "x") { id } }'
    await while_attacked(module_server, graphql_attack(query, {"s": LONG}, check))
