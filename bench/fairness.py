"""Fairness: a simple article query's latency alone, and while eight clients send the
heaviest operation the cost limit allows.

One server (production, response cache off: every request executes), one client sending the
light query back to back; first alone (unloaded), then beside ``heavy_clients`` clients each
sending the heavy listing back to back (loaded). Rate limiting is off in the server: this
measures isolation inside one process, not the budgets. Each phase runs ``turns`` times,
alternating, so a machine whose load changes weighs on both alike. Prints p50/p95/p99 of the
light query in each phase and the loaded / unloaded p95 ratio; writes JSON.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from bench.load import Outcome, Request, run_load
from bench.run import Options as RunOptions
from bench.run import Workload, machine, pressroom_server, sample_workload, write_results

LIGHT_QUERY = """query Light($language: String!, $slug: String!) {
  article(language: $language, slug: $slug) { id title publishedAt }
}"""
# 49,805 by the estimate, under the default limit of 50,000: the heaviest listing allowed.
HEAVY_QUERY = """query Heavy($language: String!, $before: DateTime) {
  articles(language: $language, first: 100, filter: {publishedBefore: $before}) {
    edges { cursor node {
      id title subtitle slug excerpt publishedAt
      language { code nativeName direction }
      body { html }
      authors { name slug avatarUrl bio(language: $language) { html } }
      tags { id slug name }
      translations { slug title language { code nativeName direction } }
      footnotes { number label content { html } source { title publisher url accessedOn } citation }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""


@dataclass
class Options:
    database_url: str
    url: str | None = None  # a running Pressroom (started with rate limiting off)
    heavy_clients: int = 8
    duration: float = 20.0  # seconds measured per phase, over all turns
    warmup: float = 2.0  # before each turn
    turns: int = 2
    port: int = 8768
    results_dir: Path = Path("bench/results")


def light_request(workload: Workload) -> Any:
    def make(rng: random.Random) -> Request:
        language, slug = workload.pages[rng.randrange(len(workload.pages))]
        variables = {"language": language, "slug": slug}
        body = json.dumps({"query": LIGHT_QUERY, "variables": variables})
        return Request("POST", "/graphql", body.encode())

    return make


def heavy_request(workload: Workload) -> Any:
    def make(rng: random.Random) -> Request:
        language, before = workload.listings[rng.randrange(len(workload.listings))]
        variables = {"language": language, "before": before}
        body = json.dumps({"query": HEAVY_QUERY, "variables": variables})
        return Request("POST", "/graphql", body.encode())

    return make


async def _check(base: str, workload: Workload) -> int:
    """Both queries answer without errors; returns the heavy answer's estimated cost."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        for make in (light_request(workload), heavy_request(workload)):
            request = make(random.Random(1))
            answer = (await http.post("/graphql", content=request.body, headers={
                "content-type": "application/json"})).json()  # fmt: skip
            if answer.get("errors"):
                raise SystemExit(f"the benchmark's query failed: {answer['errors']}")
    cost: int = answer["extensions"]["cost"]["requested"]
    return cost


async def run(options: Options, console: Console | None = None) -> dict[str, Any]:
    console = console or Console()
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(),
        "machine": machine(),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(options).items()},
    }
    server_options = RunOptions(
        database_url=options.database_url, url=options.url, port=options.port, sample=2_000
    )
    workload = await sample_workload(server_options)
    extra = {"PRESSROOM_RATE_LIMIT": "false"}
    with pressroom_server(server_options, cached=False, environment=extra) as (base, _pid):
        results["heavy_cost"] = await _check(base, workload)
        unloaded, loaded, heavy = Outcome(), Outcome(), Outcome()
        per_turn = options.duration / options.turns
        for turn in range(options.turns):
            for phase in ("unloaded", "loaded") if turn % 2 == 0 else ("loaded", "unloaded"):
                console.print(f"[bold]{phase}[/], turn {turn + 1} of {options.turns}")
                light = run_load(
                    base, light_request(workload), concurrency=1, duration=per_turn,
                    warmup=options.warmup, seed=turn + 1,
                )  # fmt: skip
                if phase == "unloaded":
                    unloaded.add(await light)
                    continue
                load = run_load(
                    base, heavy_request(workload), concurrency=options.heavy_clients,
                    duration=per_turn, warmup=options.warmup, seed=turn + 101,
                )  # fmt: skip
                light_outcome, heavy_outcome = await asyncio.gather(light, load)
                loaded.add(light_outcome)
                heavy.add(heavy_outcome)
    results["unloaded"] = unloaded.summary()
    results["loaded"] = loaded.summary()
    results["heavy"] = {**heavy.summary(), "statuses": heavy.statuses}
    p95 = results["unloaded"]["p95_ms"]
    results["p95_ratio"] = results["loaded"]["p95_ms"] / p95 if p95 else None
    _report(console, results, options)
    write_results(console, options.results_dir, "fairness", results)
    return results


def _report(console: Console, results: dict[str, Any], options: Options) -> None:
    table = Table(title=f"A simple article query beside {options.heavy_clients} heavy clients")
    for column in ("phase", "requests", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(column, justify="left" if column == "phase" else "right")
    for phase in ("unloaded", "loaded"):
        figures = results[phase]
        table.add_row(
            phase,
            f"{figures['requests']:.0f}",
            f"{figures['p50_ms']:.1f}",
            f"{figures['p95_ms']:.1f}",
            f"{figures['p99_ms']:.1f}",
        )
    console.print(table)
    heavy = results["heavy"]
    console.print(
        f"heavy (cost {results['heavy_cost']:,}): {heavy['throughput']:.1f} req/s, "
        f"p50 {heavy['p50_ms']:.0f} ms, statuses {heavy['statuses']}; "
        f"light p95 loaded / unloaded: {results['p95_ratio']:.2f}x"
    )


def main(options: Options) -> None:
    asyncio.run(run(options))
