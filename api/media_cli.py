"""``pressroom media sweep``: remove stored files that no asset owns."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

import typer

from api.cli_common import DatabaseUrl, database_errors, settings_with
from api.media import open_media
from api.settings import Settings
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.media.storage import StorageConfigError
from publishing.media.sweep import SweepReport
from publishing.media.sweep import sweep as sweep_files

media = typer.Typer(help="Media files.", no_args_is_help=True)


async def _sweep(settings: Settings, before: dt.datetime, dry_run: bool) -> SweepReport:
    state = open_media(settings)
    engine = create_engine(settings.database_url, timeout=settings.database_timeout)
    try:
        async with create_sessionmaker(engine)() as session:
            return await sweep_files(session, state.storage, before=before, dry_run=dry_run)
    finally:
        await engine.dispose()
        await state.aclose()


@media.command()
def sweep(
    database_url: DatabaseUrl = None,
    older_than: Annotated[
        float,
        typer.Option(
            min=0.1,
            help="Leave files younger than this many hours (their upload may be under way).",
        ),
    ] = 24.0,
    dry_run: Annotated[bool, typer.Option(help="Report what would go; remove nothing.")] = False,
) -> None:
    """Remove the files (and renditions) of assets that no longer exist or never committed:
    left by a rolled-back upload or an interrupted deletion. Safe while the API runs."""
    settings = settings_with(database_url)
    before = SYSTEM_CLOCK.now() - dt.timedelta(hours=older_than)
    try:
        with database_errors(settings.database_url):
            report = asyncio.run(_sweep(settings, before, dry_run))
    except StorageConfigError as error:
        typer.echo(f"pressroom: {error}", err=True)
        raise typer.Exit(code=1) from None
    verb = "Would remove" if dry_run else "Removed"
    typer.echo(
        f"{verb} {report.files:,} files ({report.bytes:,} bytes) of {len(report.keys):,} "
        "assets that no longer exist."
    )
