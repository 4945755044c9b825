"""`pressroom import ...`: bring a publication over from another system."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from api.cli_common import DatabaseUrl, database_errors, settings_with
from api.media import media_limits, media_storage
from publishing.clock import SYSTEM_CLOCK
from publishing.imports.report import ImportReport
from publishing.media.storage import StorageConfigError

imports = typer.Typer(
    help="Bring content over from other systems, through the same checks as the API.",
    no_args_is_help=True,
)


class _Bars:
    """The importer's progress as rich bars: bytes read while indexing, then posts."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._reading: TaskID | None = None
        self._posts: TaskID | None = None

    def reading(self, done: int, total: int) -> None:
        if self._reading is None:
            self._reading = self._progress.add_task("Reading export", total=total)
        self._progress.update(self._reading, completed=done)

    def fetching(self, total: int) -> None:
        self._posts = self._progress.add_task("Taking in media", total=total)

    def importing(self, total: int) -> None:
        if self._posts is not None:
            self._progress.update(self._posts, visible=False)
        self._posts = self._progress.add_task("Importing posts", total=total)

    def finishing(self, total: int) -> None:
        if self._posts is not None:
            self._progress.update(self._posts, visible=False)
        self._posts = self._progress.add_task("Search and similar posts", total=total)

    def advance(self, step: int = 1) -> None:
        if self._posts is not None:
            self._progress.advance(self._posts, step)


@contextlib.contextmanager
def _bars() -> Iterator[_Bars | None]:
    """Bars on a terminal only: a log file or a pipe gets the report alone."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        yield _Bars(progress)


@imports.command("wordpress")
def wordpress(
    file: Annotated[
        Path, typer.Argument(help="A WordPress export (Tools → Export), WXR 1.0 to 1.2.")
    ],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check and report everything; write nothing."),
    ] = False,
    default_language: Annotated[
        str | None,
        typer.Option(
            "--default-language",
            help="Language of posts that name none (default: the publication's default).",
            show_default=False,
        ),
    ] = None,
    media_from: Annotated[
        Path | None,
        typer.Option(
            "--media-from",
            help="A copy of the site's wp-content/uploads folder: media is read from it, "
            "nothing is fetched.",
            exists=True,
            file_okay=False,
            dir_okay=True,
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Import posts, their translations, authors, tags, footnotes and media; again to update.

    Posts already imported and unchanged are left alone; changed ones get a new revision.
    Attachments are fetched from the site (or read from --media-from) into the media
    storage (PRESSROOM_MEDIA_URL); files that cannot be had are reported and tried again by
    the next import.
    """
    # Imported here: the HTML and XML machinery is for this command only.
    from publishing.imports.wordpress.importer import (
        ImportAborted,
        MediaSource,
        WxrError,
        import_wordpress,
    )

    settings = settings_with(database_url)
    url = settings.database_url
    try:
        storage = media_storage(settings)
    except StorageConfigError as error:
        typer.echo(f"pressroom: media storage: {error}", err=True)
        raise typer.Exit(code=1) from None
    source = MediaSource(storage, media_limits(settings), folder=media_from)

    async def run(bars: _Bars | None) -> ImportReport:
        try:
            return await import_wordpress(
                url,
                file,
                now=SYSTEM_CLOCK.now(),
                dry_run=dry_run,
                default_language=default_language,
                progress=bars,
                media=source,
            )
        finally:
            await storage.aclose()

    with database_errors(url):
        try:
            with _bars() as bars:
                report = asyncio.run(run(bars))
        except (WxrError, ImportAborted) as error:
            typer.echo(f"pressroom: {error}", err=True)
            raise typer.Exit(code=1) from None
    typer.echo(report.render())
    sys.stdout.flush()
