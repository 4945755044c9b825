"""What metrics cost: throughput with PRESSROOM_METRICS off and on, on the same data.

Two servers (production, response cache off so every request executes, rate limiting on as
in production, access log off), one with metrics off, one with them on, driven in turn with
the same ArticlePage requests; the turns alternate so a machine whose load changes weighs on
both alike. Metrics off still times each request for its log line (``api.metrics.Observe``):
that part is measured apart, per request, against the time a request takes. Prints and
writes JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from bench.load import Outcome, run_load
from bench.run import Options as RunOptions
from bench.run import machine, pressroom_server, request_maker, sample_workload, write_results


@dataclass
class Options:
    database_url: str
    concurrency: int = 10
    duration: float = 20.0  # seconds measured per setting, over all turns
    warmup: float = 2.0  # before each turn
    turns: int = 4
    port: int = 8770
    results_dir: Path = Path("bench/results")


async def observe_cost_us(requests: int = 200_000) -> float:
    """Microseconds ``Observe`` adds to a request with metrics off (record, timing, the
    disabled log call), around an app that answers at once."""
    from api.metrics import Observe

    async def app(_scope: Any, _receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def receive() -> Any:
        return {"type": "http.request"}

    async def send(_message: Any) -> None:
        return None

    observed = Observe(app)

    async def loop(target: Any) -> float:
        started = time.perf_counter()
        for _ in range(requests):
            scope = {"type": "http", "method": "GET", "path": "/graphql", "state": {}}
            await target(scope, receive, send)
        return time.perf_counter() - started

    bare, wrapped = await loop(app), await loop(observed)
    return (wrapped - bare) / requests * 1e6


async def run(options: Options, console: Console | None = None) -> dict[str, Any]:
    console = console or Console()
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(),
        "machine": machine(),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(options).items()},
    }
    servers = {
        setting: RunOptions(database_url=options.database_url, port=options.port + n, sample=2_000)
        for n, setting in enumerate(("off", "on"))
    }
    workload = await sample_workload(servers["off"])
    make = request_maker("article", "uncached", workload, len(workload.pages))
    outcomes = {setting: Outcome() for setting in servers}
    with contextlib.ExitStack() as stack:
        bases = {
            setting: stack.enter_context(
                pressroom_server(
                    server,
                    cached=False,
                    environment={"PRESSROOM_METRICS": "true" if setting == "on" else "false"},
                )
            )[0]
            for setting, server in servers.items()
        }
        await _check(bases, make)
        per_turn = options.duration / options.turns
        for turn in range(options.turns):
            order = ("off", "on") if turn % 2 == 0 else ("on", "off")
            for setting in order:
                console.print(f"[bold]metrics {setting}[/], turn {turn + 1} of {options.turns}")
                outcome = await run_load(
                    bases[setting],
                    make,
                    concurrency=options.concurrency,
                    duration=per_turn,
                    warmup=options.warmup,
                    seed=turn + 1,
                )
                outcomes[setting].add(outcome)
    for setting, outcome in outcomes.items():
        results[setting] = outcome.summary()
    off, on = results["off"]["throughput"], results["on"]["throughput"]
    results["on_cost_percent"] = (off - on) / off * 100 if off else None
    observe_us = await observe_cost_us()
    # A saturated worker's time per request (not a request's latency, which includes its
    # wait behind the others in flight): the conservative measure.
    request_us = 1e6 / off if off else None
    results["observe_us"] = observe_us
    results["off_cost_percent"] = observe_us / request_us * 100 if request_us else None
    _report(console, results)
    write_results(console, options.results_dir, "metrics", results)
    return results


async def _check(bases: dict[str, str], make: Any) -> None:
    """Both servers answer the request without errors, and only the one with metrics on has
    /metrics: a benchmark of error answers, or of two alike servers, measures nothing."""
    async with httpx.AsyncClient(timeout=30) as http:
        for setting, base in bases.items():
            request = make(random.Random(0))
            answer = (
                await http.post(
                    base + request.target,
                    content=request.body,
                    headers={"content-type": "application/json"},
                )
            ).json()
            if answer.get("errors") or not answer.get("data"):
                raise SystemExit(f"metrics {setting}: the query failed: {answer}")
            status = (await http.get(base + "/metrics")).status_code
            if (status == 200) != (setting == "on"):
                raise SystemExit(f"metrics {setting}: /metrics answered {status}")


def _report(console: Console, results: dict[str, Any]) -> None:
    table = Table(title="ArticlePage, response cache off: metrics off and on")
    for column in ("metrics", "requests", "req/s", "p50 ms", "p99 ms"):
        table.add_column(column, justify="left" if column == "metrics" else "right")
    for setting in ("off", "on"):
        figures = results[setting]
        table.add_row(
            setting,
            f"{figures['requests']:.0f}",
            f"{figures['throughput']:.1f}",
            f"{figures['p50_ms']:.1f}",
            f"{figures['p99_ms']:.1f}",
        )
    console.print(table)
    console.print(
        f"metrics on cost {results['on_cost_percent']:.1f} % of throughput; "
        f"off: {results['observe_us']:.1f} µs a request for timing and the log record, "
        f"{results['off_cost_percent']:.2f} % of a request's time"
    )


def main(options: Options) -> None:
    asyncio.run(run(options))
