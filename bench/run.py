"""The benchmark: Pressroom against the hand-written floor, on the same data, in one run.

For each mode (``uncached``: response cache off, POST queries; ``cached``: response cache on,
persisted-query GETs over a working set of hot pages) and each scenario (the ArticlePage query
of DESIGN.md; a 50-article listing with authors and tags), it drives Pressroom, then the floor,
with the same requests, and reports throughput, p50/p90/p99 latency, Pressroom / floor ratios
and the peak memory of Pressroom's workers. Results are printed and written as JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from bench.load import Outcome, Request, run_load
from publishing.db import create_engine

ARTICLE_FIELDS = """id title subtitle publishedAt
    language { code nativeName direction }
    body { html }
    authors { name slug bio(language: $language) { html } avatarUrl }
    translations { language { code nativeName } slug title }
    footnotes { number label content { html } source { title publisher url accessedOn } citation }
    tags { slug name }"""
SIMILAR_FIELDS = "\n    similar(first: 5) { title slug excerpt publishedAt }"
LISTING_QUERY = """query Listing($language: String!, $first: Int!, $before: DateTime) {
  articles(language: $language, first: $first, filter: {publishedBefore: $before}) {
    edges { cursor node {
      id title slug excerpt publishedAt authors { name slug } tags { slug name } } }
    pageInfo { hasNextPage endCursor }
  }
}"""
MODES = ("uncached", "cached")
SCENARIOS = ("article", "listing")


def article_query(similar: bool) -> str:
    fields = ARTICLE_FIELDS + (SIMILAR_FIELDS if similar else "")
    return (
        "query ArticlePage($language: String!, $slug: String!) {\n"
        f"  article(language: $language, slug: $slug) {{\n    {fields}\n  }}\n}}"
    )


def schema_has_similar() -> bool:
    """Whether this checkout's schema offers ``Article.similar`` (added by another feature)."""
    from schema import schema

    article = schema.get_type_by_name("Article")
    return article is not None and any(
        f.python_name == "similar" for f in getattr(article, "fields", [])
    )


@dataclass
class Options:
    database_url: str
    url: str | None = None  # a running Pressroom; None starts one per mode
    workers: int = 1
    concurrency: int = 10
    duration: float = 20.0
    warmup: float = 3.0
    modes: tuple[str, ...] = MODES
    scenarios: tuple[str, ...] = SCENARIOS
    floor: bool = True
    port: int = 8765
    floor_port: int = 8766
    sample: int = 5_000  # distinct articles drawn for uncached runs
    working_set: int = 200  # distinct article pages and listings in cached runs
    results_dir: Path = Path("bench/results")
    seed: int = 1


@dataclass
class Workload:
    pages: list[tuple[str, str]]  # (language, slug) of visible articles
    listings: list[tuple[str, str | None]]  # (language, publishedBefore)
    similar: bool
    queries: dict[str, str] = field(default_factory=dict)


async def sample_workload(options: Options) -> Workload:
    """Visible articles drawn at random from the database, and listing windows spread over
    its publication dates."""
    engine = create_engine(options.database_url)
    try:
        async with engine.connect() as connection:
            random_fn = "random()"
            rows = await connection.execute(
                text(
                    "SELECT language, slug FROM articles WHERE status = 'PUBLISHED' "
                    f"AND published_at <= :now ORDER BY {random_fn} LIMIT :n"
                ),
                {"now": dt.datetime.now(dt.UTC), "n": options.sample},
            )
            pages = [(language, slug) for language, slug in rows]
            span = (
                await connection.execute(
                    text(
                        "SELECT min(published_at), max(published_at) FROM articles "
                        "WHERE status = 'PUBLISHED'"
                    )
                )
            ).one()
    finally:
        await engine.dispose()
    if not pages:
        raise SystemExit("No published articles: run `pressroom bench generate` first.")
    rng = random.Random(options.seed)
    oldest, newest = (_aware(v) for v in span)
    listings: list[tuple[str, str | None]] = []
    for _ in range(options.sample):
        language = rng.choice(("en", "tr", "ru"))
        if rng.random() < 0.3:
            listings.append((language, None))  # the front page of a language
        else:
            at = oldest + (newest - oldest) * rng.random()
            listings.append((language, at.isoformat()))
    similar = schema_has_similar()
    return Workload(
        pages,
        listings,
        similar,
        {"article": article_query(similar), "listing": LISTING_QUERY},
    )


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _variables(scenario: str, rng: random.Random, workload: Workload, limit: int) -> dict[str, Any]:
    if scenario == "article":
        language, slug = workload.pages[rng.randrange(min(limit, len(workload.pages)))]
        return {"language": language, "slug": slug}
    language, before = workload.listings[rng.randrange(min(limit, len(workload.listings)))]
    return {"language": language, "first": 50, "before": before}


def request_maker(scenario: str, mode: str, workload: Workload, working_set: int) -> Any:
    """Requests as a client sends them: POST with the query (uncached), or a persisted-query
    GET naming the query by hash (cached; cacheable by HTTP caches too)."""
    query = workload.queries[scenario]
    name = "ArticlePage" if scenario == "article" else "Listing"
    limit = working_set if mode == "cached" else len(workload.pages)
    extensions = json.dumps(
        {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}
    )

    def make(rng: random.Random) -> Request:
        variables = _variables(scenario, rng, workload, limit)
        if mode == "cached":
            params = {
                "operationName": name,
                "variables": json.dumps(variables),
                "extensions": extensions,
            }
            return Request("GET", "/graphql?" + urlencode(params))
        body = json.dumps({"query": query, "operationName": name, "variables": variables})
        return Request("POST", "/graphql", body.encode())

    return make


# -- processes -------------------------------------------------------------------------------


def _wait_until_up(
    url: str, process: subprocess.Popen[bytes], log: deque[str], timeout: float = 60.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = "".join(log).strip()
            raise SystemExit(
                f"the server at {url} exited with status {process.returncode}"
                + (f":\n{said}" if said else "")
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not come up within {timeout:g} s")


@contextlib.contextmanager
def _process(command: list[str], env: dict[str, str], ready_url: str) -> Iterator[int]:
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    # Read all along: a server whose log pipe fills (a line per WebSocket opened, say) blocks
    # on its next write, event loop and all. The last lines say why it failed to start.
    log: deque[str] = deque(maxlen=40)
    threading.Thread(target=_drain, args=(process, log), daemon=True).start()
    try:
        _wait_until_up(ready_url, process, log)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _drain(process: subprocess.Popen[bytes], log: deque[str]) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        log.append(line.decode(errors="replace"))


def _pressroom_command(workers: int) -> list[str]:
    script = Path(sys.executable).with_name("pressroom")
    launcher = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from api.cli import main; main()"]
    )
    return [*launcher, "serve", "--workers", str(workers), "--no-access-log"]


@contextlib.contextmanager
def pressroom_server(
    options: Options, *, cached: bool, environment: dict[str, str] | None = None
) -> Iterator[tuple[str, int | None]]:
    if options.url:
        yield options.url.rstrip("/"), None
        return
    env = {
        "PRESSROOM_DATABASE_URL": options.database_url,
        "PRESSROOM_PORT": str(options.port),
        "PRESSROOM_PRODUCTION": "true",
        "PRESSROOM_RESPONSE_CACHE": "true" if cached else "false",
        **(environment or {}),
    }
    base = f"http://127.0.0.1:{options.port}"
    with _process(_pressroom_command(options.workers), env, base + "/healthz") as pid:
        yield base, pid


@contextlib.contextmanager
def floor_server(options: Options, similar: bool) -> Iterator[str]:
    command = [
        sys.executable, "-m", "uvicorn", "bench.floor:create_floor_app", "--factory",
        "--port", str(options.floor_port), "--workers", str(options.workers),
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    env = {"FLOOR_DATABASE_URL": options.database_url, "FLOOR_SIMILAR": "1" if similar else ""}
    base = f"http://127.0.0.1:{options.floor_port}"
    with _process(command, env, base + "/graphql?operationName=none"):
        yield base


def peak_memory_mb(pid: int | None) -> float | None:
    """The largest peak resident size (VmHWM) among the server process and its children: with
    several workers, the supervisor's children serve."""
    if pid is None:
        return None
    pids = [pid]
    with contextlib.suppress(OSError):
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                stat = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
                if int(stat[1]) == pid:
                    pids.append(int(entry.name))
    peaks = []
    for p in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
    return max(peaks) if peaks else None


# -- the run ---------------------------------------------------------------------------------


async def _register_persisted(base: str, workload: Workload) -> None:
    """Send each query once with its hash, as an APQ client does after PersistedQueryNotFound."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for query in workload.queries.values():
            sha = hashlib.sha256(query.encode()).hexdigest()
            response = await client.post(
                "/graphql",
                json={
                    "query": query,
                    "variables": {"language": "en", "slug": "-", "first": 1},
                    "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}},
                },
            )
            response.raise_for_status()


async def _check_answers(base: str, workload: Workload, mode: str, working_set: int) -> None:
    """One request per scenario, looked at: a benchmark of error answers measures nothing."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for scenario in SCENARIOS:
            request = request_maker(scenario, mode, workload, working_set)(random.Random(0))
            response = await client.request(
                request.method,
                request.target,
                content=request.body or None,
                headers={"Content-Type": "application/json", "Accept": "application/json"},
            )
            answer = response.json()
            if response.status_code != 200 or answer.get("errors") or not answer.get("data"):
                raise SystemExit(f"{base} answered {scenario} with {response.text[:500]}")


async def _prewarm(base: str, scenario: str, workload: Workload, options: Options) -> None:
    """Ask every request of the cached working set once, so the run measures a warm cache
    (and the floor gets the same head start for its rendering caches)."""
    make = request_maker(scenario, "cached", workload, options.working_set)
    distinct = {make(random.Random(n)) for n in range(options.working_set * 20)}
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        semaphore = asyncio.Semaphore(options.concurrency)

        async def one(request: Request) -> None:
            async with semaphore:
                await client.request(
                    request.method,
                    request.target,
                    content=request.body or None,
                    headers={"Content-Type": "application/json", "Accept": "application/json"},
                )

        await asyncio.gather(*(one(r) for r in distinct))


async def _measure(
    base: str, scenario: str, mode: str, workload: Workload, options: Options
) -> Outcome:
    if mode == "cached":
        await _prewarm(base, scenario, workload, options)
    make = request_maker(scenario, mode, workload, options.working_set)
    return await run_load(
        base,
        make,
        concurrency=options.concurrency,
        duration=options.duration,
        warmup=options.warmup,
        seed=options.seed,
    )


async def run_benchmark(options: Options, console: Console | None = None) -> dict[str, Any]:
    console = console or Console()
    workload = await sample_workload(options)
    console.print(
        f"{len(workload.pages):,} articles sampled; similar posts "
        f"{'included' if workload.similar else 'not in this schema'}; "
        f"concurrency {options.concurrency}, {options.duration:g} s per run, "
        f"{options.workers} worker(s)"
    )
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(),
        "machine": machine(),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(options).items()},
        "database": _safe(options.database_url),
        "articles": await _count_articles(options.database_url),
        "runs": [],
    }
    floor_context = (
        floor_server(options, workload.similar) if options.floor else contextlib.nullcontext(None)
    )
    with floor_context as floor_base:
        for mode in options.modes:
            with pressroom_server(options, cached=mode == "cached") as (base, pid):
                if mode == "cached":
                    await _register_persisted(base, workload)
                await _check_answers(base, workload, mode, options.working_set)
                for scenario in options.scenarios:
                    console.print(f"[bold]{mode} {scenario}[/]: Pressroom ...")
                    ours = (await _measure(base, scenario, mode, workload, options)).summary()
                    run: dict[str, Any] = {"mode": mode, "scenario": scenario, "pressroom": ours}
                    if floor_base is not None:
                        console.print(f"[bold]{mode} {scenario}[/]: floor ...")
                        floor = (
                            await _measure(floor_base, scenario, mode, workload, options)
                        ).summary()
                        run["floor"] = floor
                        run["ratio"] = (
                            ours["throughput"] / floor["throughput"]
                            if floor["throughput"]
                            else None
                        )
                    results["runs"].append(run)
                results.setdefault("peak_memory_mb", {})[mode] = peak_memory_mb(pid)
    _report(console, results)
    write_results(console, options.results_dir, "run", results)
    return results


async def _count_articles(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(text("SELECT count(*) FROM articles")) or 0)
    finally:
        await engine.dispose()


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def machine() -> dict[str, Any]:
    memory = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _report(console: Console, results: dict[str, Any]) -> None:
    table = Table(title=f"Pressroom vs floor, {results['articles']:,} articles")
    for column in ("mode", "scenario", "server", "req/s", "p50 ms", "p90 ms", "p99 ms", "ratio"):
        table.add_column(
            column, justify="right" if column not in ("mode", "scenario", "server") else "left"
        )
    for run in results["runs"]:
        for server in ("pressroom", "floor"):
            if server not in run:
                continue
            figures = run[server]
            ratio = f"{run['ratio']:.2f}x" if server == "pressroom" and run.get("ratio") else ""
            table.add_row(
                run["mode"],
                run["scenario"],
                server,
                f"{figures['throughput']:.0f}",
                f"{figures['p50_ms']:.1f}",
                f"{figures['p90_ms']:.1f}",
                f"{figures['p99_ms']:.1f}",
                ratio,
            )
    console.print(table)
    for mode, peak in results.get("peak_memory_mb", {}).items():
        if peak is not None:
            console.print(f"Peak memory of a Pressroom worker ({mode}): {peak:.0f} MB")


def main(options: Options) -> None:
    asyncio.run(run_benchmark(options))


def write_results(console: Console, directory: Path, name: str, results: dict[str, Any]) -> Path:
    """Keep a benchmark's figures as ``<name>-<UTC time>.json`` in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"{name}-{stamp}.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    console.print(f"Results written to {path}")
    return path
