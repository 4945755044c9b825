"""``pressroom bench``: generate a benchmark data set, and run the benchmark against it.

A command group of the ``pressroom`` command line that the product does not import: it is
registered under the ``pressroom.commands`` entry point group (pyproject.toml), which
``api.cli`` reads when it starts.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from api.cli_common import DatabaseUrl, database_errors, settings_with
from api.errors import safe_url

bench = typer.Typer(
    help="Benchmarks: a generated data set, and Pressroom measured against a hand-written floor.",
    no_args_is_help=True,
)


@bench.command()
def generate(
    stories: Annotated[int, typer.Option(min=1, help="Stories to add (three articles each).")],
    database_url: DatabaseUrl = None,
    seed: Annotated[int, typer.Option(help="Same seed, same content.")] = 1,
) -> None:
    """Add STORIES generated stories (en, tr, ru versions; ~4 KB bodies, ~8 footnotes each),
    2,000 authors, 200 tags and 5,000 sources; migrates the database first."""
    from bench.generate import generate as run

    settings = settings_with(database_url)
    with database_errors(settings.database_url):
        asyncio.run(run(settings.database_url, stories, seed=seed))
    typer.echo(f"Added {stories:,} stories to {safe_url(settings.database_url)}.")


@bench.command("run")
def run_benchmark(
    database_url: DatabaseUrl = None,
    url: Annotated[
        str | None,
        typer.Option(help="A running Pressroom to measure; by default one is started per mode."),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes of each server.")] = 1,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests in flight.")] = 10,
    duration: Annotated[float, typer.Option(min=1, help="Seconds measured per run.")] = 20.0,
    warmup: Annotated[float, typer.Option(min=0, help="Seconds before measuring.")] = 3.0,
    mode: Annotated[
        list[str] | None,
        typer.Option(help="uncached (POST, response cache off) and/or cached (persisted GETs)."),
    ] = None,
    scenario: Annotated[
        list[str] | None, typer.Option(help="article (ArticlePage) and/or listing (50 articles).")
    ] = None,
    floor: Annotated[bool, typer.Option(help="Measure the hand-written floor too.")] = True,
    working_set: Annotated[
        int, typer.Option(min=1, help="Distinct pages and listings requested in cached runs.")
    ] = 200,
    results_dir: Annotated[Path, typer.Option(help="Where the JSON results go.")] = Path(
        "bench/results"
    ),
) -> None:
    """Measure throughput and latency of Pressroom and of the floor on the same data."""
    from bench.run import MODES, SCENARIOS, Options, main

    settings = settings_with(database_url)
    modes = tuple(mode or MODES)
    scenarios = tuple(scenario or SCENARIOS)
    for value, allowed in ((modes, MODES), (scenarios, SCENARIOS)):
        unknown = set(value) - set(allowed)
        if unknown:
            raise typer.BadParameter(
                f"{', '.join(sorted(unknown))}: choose from {', '.join(allowed)}"
            )
    with database_errors(settings.database_url):
        main(
            Options(
                database_url=settings.database_url,
                url=url,
                workers=workers,
                concurrency=concurrency,
                duration=duration,
                warmup=warmup,
                modes=modes,
                scenarios=scenarios,
                floor=floor,
                working_set=working_set,
                results_dir=results_dir,
            )
        )


@bench.command()
def media(
    runs: Annotated[int, typer.Option(min=1, help="Renditions timed on one core.")] = 5,
    duration: Annotated[float, typer.Option(min=1, help="Seconds per serving run.")] = 10.0,
) -> None:
    """Media: a 1200-px WebP of a 24 MP JPEG on one core, a worker's memory with four made at
    once, and a stored rendition served against Starlette's StaticFiles."""
    from bench.media import main as run

    run(runs=runs, duration=duration)


@bench.command()
def feeds(
    database_url: DatabaseUrl = None,
    url: Annotated[
        str | None,
        typer.Option(help="A running Pressroom to measure; by default one is started per mode."),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes of each server.")] = 1,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests in flight.")] = 10,
    duration: Annotated[
        float, typer.Option(min=1, help="Seconds measured per kind of request.")
    ] = 15.0,
    warmup: Annotated[float, typer.Option(min=0, help="Seconds before each turn.")] = 1.0,
    turns: Annotated[
        int, typer.Option(min=1, help="Turns of GraphQL and feeds, each first in every other.")
    ] = 4,
    mode: Annotated[
        list[str] | None,
        typer.Option(help="uncached (response cache off) and/or cached (warm response cache)."),
    ] = None,
) -> None:
    """A feed against the same 50-article listing through GraphQL, uncached (feed GET vs
    GraphQL POST) and cached (feed GET vs GraphQL GET), side by side."""
    from bench.feeds import MODES, Options, main

    settings = settings_with(database_url)
    modes = tuple(mode or MODES)
    unknown = set(modes) - set(MODES)
    if unknown:
        raise typer.BadParameter(f"{', '.join(sorted(unknown))}: choose from {', '.join(MODES)}")
    with database_errors(settings.database_url):
        main(
            Options(
                database_url=settings.database_url,
                url=url,
                workers=workers,
                concurrency=concurrency,
                duration=duration,
                warmup=warmup,
                turns=turns,
                modes=modes,
            )
        )


@bench.command()
def sitemaps(
    database_url: DatabaseUrl = None,
    stories: Annotated[
        int, typer.Option(min=0, help="Stories to add first (three versions each); 0: none.")
    ] = 100_000,
) -> None:
    """Sitemaps: add STORIES published stories in en, tr and ru in bulk, then serve the index
    and every file through one uvicorn worker; prints time, bytes and URLs per file and the
    worker's peak memory."""
    from bench.sitemaps import main as run

    settings = settings_with(database_url)
    with database_errors(settings.database_url):
        run(settings.database_url, stories)


@bench.command()
def compression(
    database_url: DatabaseUrl = None,
    language: Annotated[str, typer.Option(help="Language of both answers.")] = "en",
    slug: Annotated[
        str, typer.Option(help="The article of the ArticlePage answer (the demo's by default).")
    ] = "turkiyes-gas-hub-ambition",
) -> None:
    """Bytes of the ArticlePage answer and of a 50-article listing, as the identity and
    gzip-, Brotli- and Zstandard-coded, through the app in this process."""
    from bench.compression import main as run

    settings = settings_with(database_url)
    with database_errors(settings.database_url):
        run(settings.database_url, language, slug)


@bench.command()
def fairness(
    database_url: DatabaseUrl = None,
    url: Annotated[
        str | None,
        typer.Option(help="A running Pressroom to measure (rate limiting off); else one starts."),
    ] = None,
    heavy_clients: Annotated[
        int, typer.Option(min=1, help="Clients sending the heaviest allowed query.")
    ] = 8,
    duration: Annotated[float, typer.Option(min=1, help="Seconds measured per phase.")] = 20.0,
    warmup: Annotated[float, typer.Option(min=0, help="Seconds before each turn.")] = 2.0,
    turns: Annotated[
        int, typer.Option(min=1, help="Turns of the unloaded and loaded phases, alternating.")
    ] = 2,
) -> None:
    """A simple article query's latency alone and beside HEAVY_CLIENTS clients sending the
    heaviest query the cost limit allows (response cache off): p50/p95/p99 and the ratio."""
    from bench.fairness import Options, main

    settings = settings_with(database_url)
    with database_errors(settings.database_url):
        main(
            Options(
                database_url=settings.database_url,
                url=url,
                heavy_clients=heavy_clients,
                duration=duration,
                warmup=warmup,
                turns=turns,
            )
        )


@bench.command()
def metrics(
    database_url: DatabaseUrl = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests in flight.")] = 10,
    duration: Annotated[float, typer.Option(min=1, help="Seconds measured per setting.")] = 20.0,
    warmup: Annotated[float, typer.Option(min=0, help="Seconds before each turn.")] = 2.0,
    turns: Annotated[int, typer.Option(min=1, help="Turns of off and on, alternating.")] = 4,
) -> None:
    """Throughput of ArticlePage (response cache off) with metrics off and on, and what
    timing each request costs with them off; works on the demo content."""
    from bench.metrics import Options, main

    settings = settings_with(database_url)
    with database_errors(settings.database_url):
        main(
            Options(
                database_url=settings.database_url,
                concurrency=concurrency,
                duration=duration,
                warmup=warmup,
                turns=turns,
            )
        )


@bench.command()
def subscriptions(
    database_url: DatabaseUrl = None,
    subscribers: Annotated[int, typer.Option(min=1, help="Subscriptions held open.")] = 1_000,
    rounds: Annotated[int, typer.Option(min=1, help="Edits sent, one after another.")] = 5,
    transport: Annotated[str, typer.Option(help="websocket or sse.")] = "websocket",
) -> None:
    """Live updates: one server holds SUBSCRIBERS subscriptions to one published article
    (needs one: `pressroom seed-demo`); prints its memory before and with them, and how long
    each of ROUNDS edits took to reach every subscriber (p50, p99, max)."""
    from bench.subscriptions import Options, main

    if transport not in ("websocket", "sse"):
        raise typer.BadParameter("websocket or sse", param_hint="--transport")
    settings = settings_with(database_url)
    with database_errors(settings.database_url):
        main(Options(settings.database_url, subscribers, rounds, transport))
