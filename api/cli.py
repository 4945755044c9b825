"""The ``pressroom`` command line."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated

import typer

from api.cli_common import DatabaseUrl, database_errors, settings_with
from api.errors import safe_url
from api.import_cli import imports
from api.media_cli import media
from api.tokens_cli import tokens
from api.translations_cli import translations
from api.webhooks_cli import webhooks

# Command groups that live outside the product (the benchmarks) register under this entry
# point group, each as a Typer app named by its entry point: `pressroom NAME ...`.
COMMANDS_GROUP = "pressroom.commands"

cli = typer.Typer(
    name="pressroom",
    help="Pressroom: a headless publishing API for multilingual publishers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@cli.command()
def migrate(database_url: DatabaseUrl = None) -> None:
    """Upgrade the database schema to the newest revision."""
    from publishing.migrating import upgrade

    settings = settings_with(database_url)
    with database_errors(settings.database_url):
        upgrade(settings.database_url)
    typer.echo(f"Database {safe_url(settings.database_url)} is at the newest revision.")


@cli.command("seed-demo")
def seed_demo(
    database_url: DatabaseUrl = None,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Only when the database holds no articles yet.")
    ] = False,
) -> None:
    """Load the demo publication (idempotent: what exists already is left alone)."""
    from api.media import open_media
    from publishing.clock import SYSTEM_CLOCK
    from publishing.demo.seed import seed_demo_content

    settings = settings_with(database_url)

    async def seed() -> str:
        # The demo's images and report go where the server reads media from.
        media = open_media(settings)
        try:
            return await seed_demo_content(
                settings.database_url,
                now=SYSTEM_CLOCK.now(),
                only_if_empty=if_empty,
                storage=media.storage,
            )
        finally:
            await media.aclose()

    with database_errors(settings.database_url):
        report = asyncio.run(seed())
    typer.echo(report)


@cli.command()
def serve(
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
    access_log: Annotated[
        bool, typer.Option(help="Log every request (off behind a proxy that logs them).")
    ] = True,
) -> None:
    """Serve the API on PRESSROOM_HOST:PRESSROOM_PORT."""
    import uvicorn

    from api.access_log import logging_config

    # Checked here: a URL that cannot work would otherwise fail each worker's start.
    settings = settings_with()
    with metrics_directory(settings.metrics and workers > 1):
        uvicorn.run(
            "api.app:create_app_from_environment",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=workers,
            reload=reload,
            # The client's address (its rate-limit budget) and scheme come from X-Forwarded-For
            # and X-Forwarded-Proto only on connections from these proxies.
            proxy_headers=True,
            forwarded_allow_ips=settings.trusted_proxies,
            log_level="info",
            # Events are small JSON documents: compressing them gains little, and each
            # WebSocket's compression contexts would cost the server some 40 KB.
            ws_per_message_deflate=False,
            # The app logs each request itself (api.access_log), with what uvicorn's line lacks.
            access_log=False,
            log_config=logging_config(settings.log_format, access_log=access_log),
        )


@contextlib.contextmanager
def metrics_directory(needed: bool) -> Iterator[None]:
    """Where worker processes keep their metrics for a scrape to add up (prometheus_client's
    multiprocess mode): PROMETHEUS_MULTIPROC_DIR if set, emptied first (what a previous run
    left would be counted again), else a temporary directory removed afterwards."""
    if not needed:
        yield
        return
    from api.metrics import MULTIPROCESS_DIR

    given = os.environ.get(MULTIPROCESS_DIR)
    if given:
        folder = Path(given)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()
        yield
        return
    with tempfile.TemporaryDirectory(prefix="pressroom-metrics-") as folder:
        os.environ[MULTIPROCESS_DIR] = folder
        try:
            yield
        finally:
            del os.environ[MULTIPROCESS_DIR]


@cli.command("export-schema")
def export_schema(
    output: Annotated[Path | None, typer.Option(help="Where to write the SDL.")] = None,
) -> None:
    """Write the GraphQL schema (SDL) to schema/schema.graphql."""
    from schema import SDL_PATH, schema

    target = output or SDL_PATH
    target.write_text(schema.as_str() + "\n", encoding="utf-8")
    typer.echo(f"Wrote {target}")


cli.add_typer(tokens, name="token")
cli.add_typer(imports, name="import")
cli.add_typer(webhooks, name="webhooks")
cli.add_typer(media, name="media")
cli.add_typer(translations, name="translations")
for _plugin in entry_points(group=COMMANDS_GROUP):
    cli.add_typer(_plugin.load(), name=_plugin.name)


def main() -> None:
    cli()
