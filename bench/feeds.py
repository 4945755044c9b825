"""Feeds against GraphQL: the same listing (the newest 50 visible articles of a language, with
what a feed shows of each), asked of the same server as a feed and as a GraphQL query.

Two modes, each on a server of its own: ``uncached`` (response cache off: a feed GET against
a GraphQL POST) and ``cached`` (response cache on and warm: a feed GET against a GraphQL
GET). Languages and feed formats rotate; GraphQL and feeds are measured in turns, and the
figures printed side by side with the feed / GraphQL throughput ratio, and written as JSON.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from rich.console import Console
from rich.table import Table

from bench.load import Outcome, Request, run_load
from bench.run import Options as RunOptions
from bench.run import machine, pressroom_server, write_results
from publishing.feeds.model import FeedFormat

# What a feed shows of each article, asked through GraphQL.
FEED_LISTING = """query FeedListing($language: String!) {
  articles(language: $language, first: 50) {
    edges { node {
      id title url excerpt subtitle publishedAt updatedAt
      authors { name url } tags { slug name }
      featuredImage { url(width: 1200, fit: CONTAIN, format: JPEG) }
    } }
  }
}"""
LANGUAGES = ("en", "tr", "ru")
MODES = ("uncached", "cached")


@dataclass
class Options:
    database_url: str
    url: str | None = None  # a running Pressroom (measured in the mode it runs in)
    workers: int = 1
    concurrency: int = 10
    duration: float = 15.0  # seconds measured per request kind, over all turns
    warmup: float = 1.0  # before each turn
    turns: int = 4  # even: each kind goes first as often as the other
    modes: tuple[str, ...] = MODES
    port: int = 8767
    results_dir: Path = Path("bench/results")


def graphql_for(mode: str, language: str) -> Request:
    """The listing as a client asks it: POST (uncached), or GET (cacheable)."""
    variables = {"language": language}
    if mode == "cached":
        params = {
            "query": FEED_LISTING,
            "operationName": "FeedListing",
            "variables": json.dumps(variables),
        }
        return Request("GET", "/graphql?" + urlencode(params))
    body = json.dumps({"query": FEED_LISTING, "variables": variables}).encode()
    return Request("POST", "/graphql", body)


def graphql_request(mode: str) -> Any:
    return lambda rng: graphql_for(mode, rng.choice(LANGUAGES))


def feed_request(rng: random.Random) -> Request:
    feed_format = rng.choice(list(FeedFormat))
    return Request("GET", f"/feeds/{rng.choice(LANGUAGES)}/{feed_format.value}")


async def _check(base: str, mode: str) -> None:
    """Every request once, looked at: a benchmark of error answers measures nothing (and the
    cached mode starts warm)."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for language in LANGUAGES:
            for feed_format in FeedFormat:
                response = await client.get(f"/feeds/{language}/{feed_format.value}")
                if response.status_code != 200:
                    raise SystemExit(f"{response.url} answered {response.status_code}")
            request = graphql_for(mode, language)
            response = await client.request(
                request.method,
                request.target,
                content=request.body or None,
                headers={"Content-Type": "application/json", "Accept": "application/json"},
            )
            answer = response.json()
            if response.status_code != 200 or answer.get("errors"):
                raise SystemExit(f"GraphQL answered {response.text[:500]}")


async def run(options: Options, console: Console | None = None) -> dict[str, Any]:
    console = console or Console()
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(),
        "machine": machine(),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(options).items()},
        "runs": [],
    }
    server_options = RunOptions(
        database_url=options.database_url,
        url=options.url,
        workers=options.workers,
        port=options.port,
    )
    for mode in options.modes:
        with pressroom_server(server_options, cached=mode == "cached") as (base, _pid):
            await _check(base, mode)
            # In turns, each kind first as often as the other, so a machine whose load changes
            # during the run weighs on both alike.
            outcomes = {"graphql": Outcome(), "feed": Outcome()}
            for turn in range(options.turns):
                kinds = [("graphql", graphql_request(mode)), ("feed", feed_request)]
                for name, make in kinds if turn % 2 == 0 else reversed(kinds):
                    console.print(f"[bold]{mode}[/]: {name}, turn {turn + 1} of {options.turns}")
                    outcomes[name].add(
                        await run_load(
                            base,
                            make,
                            concurrency=options.concurrency,
                            duration=options.duration / options.turns,
                            warmup=options.warmup,
                        ),
                    )
            figures = {name: outcome.summary() for name, outcome in outcomes.items()}
            graphql, feed = figures["graphql"]["throughput"], figures["feed"]["throughput"]
            results["runs"].append(
                {"mode": mode, **figures, "ratio": feed / graphql if graphql else None}
            )
    _report(console, results)
    write_results(console, options.results_dir, "feeds", results)
    return results


def _report(console: Console, results: dict[str, Any]) -> None:
    table = Table(title="A feed against the same listing through GraphQL (50 articles)")
    columns = ("mode", "GraphQL req/s", "GraphQL p50 ms", "feed req/s", "feed p50 ms")
    for column in (*columns, "feed / GraphQL"):
        table.add_column(column, justify="left" if column == "mode" else "right")
    for entry in results["runs"]:
        graphql, feed = entry["graphql"], entry["feed"]
        table.add_row(
            entry["mode"],
            f"{graphql['throughput']:.0f}",
            f"{graphql['p50_ms']:.1f}",
            f"{feed['throughput']:.0f}",
            f"{feed['p50_ms']:.1f}",
            f"{entry['ratio']:.2f}x" if entry["ratio"] else "",
        )
    console.print(table)


def main(options: Options) -> None:
    asyncio.run(run(options))
