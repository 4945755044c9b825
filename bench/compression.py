"""Bytes on the wire: the ArticlePage answer and a 50-article listing, as the identity and in
each content coding the API sends (gzip, br, zstd), through the real app in this process.

Sizes, not times: printed, never asserted. The article is the demo's unless named.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from api.app import create_app
from api.settings import Settings
from bench.run import LISTING_QUERY, article_query, schema_has_similar

CODINGS = ("identity", "gzip", "br", "zstd")


async def measure(database_url: str, language: str, slug: str) -> dict[str, dict[str, int]]:
    """Bytes of each answer in each coding."""
    settings = Settings(database_url=database_url, response_cache=False)
    app = create_app(settings)
    requests: dict[str, tuple[str, dict[str, Any]]] = {
        "article page": (
            article_query(schema_has_similar()),
            {"language": language, "slug": slug},
        ),
        "50-article listing": (LISTING_QUERY, {"language": language, "first": 50}),
    }
    sizes: dict[str, dict[str, int]] = {}
    async with app.router.lifespan_context(app) as state:

        async def asgi(scope: Any, receive: Any, send: Any) -> None:
            scope["state"] = dict(state)
            await app(scope, receive, send)

        transport = httpx.ASGITransport(app=asgi)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench.test") as http:
            for name, (query, variables) in requests.items():
                sizes[name] = {}
                for coding in CODINGS:
                    body = json.dumps({"query": query, "variables": variables})
                    request = http.build_request(
                        "POST",
                        "/graphql",
                        content=body,
                        headers={"content-type": "application/json", "accept-encoding": coding},
                    )
                    response = await http.send(request, stream=True)
                    raw = b"".join([chunk async for chunk in response.aiter_raw()])
                    await response.aclose()
                    if response.headers.get("content-encoding", "identity") != coding:
                        raise SystemExit(f"{name}: asked for {coding}, got another coding")
                    sizes[name][coding] = len(raw)
                answer = json.loads(await _identity(http, query, variables))
                if answer.get("errors") or not answer.get("data"):
                    raise SystemExit(f"{name}: {answer}")
    return sizes


async def _identity(http: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> bytes:
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    return response.content


def main(database_url: str, language: str, slug: str) -> None:
    sizes = asyncio.run(measure(database_url, language, slug))
    table = Table(title="Answer bytes by content coding")
    table.add_column("answer")
    for coding in CODINGS:
        table.add_column(coding, justify="right")
    for name, by_coding in sizes.items():
        identity = by_coding["identity"]
        cells = [f"{by_coding['identity']:,}"] + [
            f"{by_coding[c]:,} ({by_coding[c] / identity:.0%})" for c in CODINGS[1:]
        ]
        table.add_row(name, *cells)
    Console().print(table)
