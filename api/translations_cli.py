"""``pressroom translations export|import``: XLIFF files for translation tools, from the shell
(the same services as the exportTranslation query and the importTranslation mutation)."""

from __future__ import annotations

import asyncio
import base64
import binascii
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from api.cli_common import DatabaseUrl, database_errors, settings_with
from publishing.access import Actor, Role
from publishing.articles.models import Article
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.errors import PublishingError, ValidationFailed
from publishing.translations import exchange, importing
from publishing.translations.xliff import XliffVersion

translations = typer.Typer(help="Translation files (XLIFF).", no_args_is_help=True)


class Format(StrEnum):
    XLIFF_2_1 = "xliff-2.1"
    XLIFF_1_2 = "xliff-1.2"


_VERSIONS = {Format.XLIFF_2_1: XliffVersion.XLIFF_2_1, Format.XLIFF_1_2: XliffVersion.XLIFF_1_2}


def _fail(message: str) -> typer.Exit:
    typer.echo(f"pressroom: {message}", err=True)
    return typer.Exit(code=1)


def _report(error: PublishingError) -> typer.Exit:
    if isinstance(error, ValidationFailed):
        for issue in error.issues:
            path = ".".join(str(part) for part in issue.path)
            typer.echo(f"{path}: {issue.code}: {issue.message}", err=True)
        return _fail(f"{len(error.issues)} problem(s); nothing was written.")
    return _fail(error.message)


async def _article_pk(url: str, reference: str) -> int:
    """An article named by its API id, or as LANGUAGE/SLUG."""
    language, _, slug = reference.partition("/")
    if slug:
        engine = create_engine(url)
        try:
            async with create_sessionmaker(engine)() as session:
                found = await session.scalar(
                    select(Article.id).where(Article.language == language, Article.slug == slug)
                )
        finally:
            await engine.dispose()
        if found is None:
            raise _fail(f"no article {reference!r}.")
        return found
    try:
        kind, _, number = base64.b64decode(reference, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        kind, number = "", ""
    if kind != "Article" or not number.isdigit():
        raise _fail(f"{reference!r} is neither an article id nor LANGUAGE/SLUG.")
    return int(number)


@translations.command("export")
def export_command(
    article: Annotated[
        str, typer.Argument(help="The article: its id, or LANGUAGE/SLUG (e.g. en/my-analysis).")
    ],
    to: Annotated[str, typer.Option("--to", help="The target language (e.g. tr).")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write (default: the suggested name)."),
    ] = None,
    format: Annotated[Format, typer.Option(help="The XLIFF version.")] = Format.XLIFF_2_1,
    only_changed: Annotated[
        bool,
        typer.Option(help="Only segments changed since the existing translation was made."),
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Write an article's XLIFF file for translating it into another language."""
    settings = settings_with(database_url)

    async def run() -> exchange.ExportedTranslation:
        pk = await _article_pk(settings.database_url, article)
        engine = create_engine(settings.database_url, timeout=settings.database_timeout)
        try:
            async with create_sessionmaker(engine)() as session:
                return await exchange.export_translation(
                    session,
                    Actor("cli", Role.EDITOR),
                    pk,
                    to,
                    version=_VERSIONS[format],
                    only_changed=only_changed,
                )
        finally:
            await engine.dispose()

    try:
        with database_errors(settings.database_url):
            exported = asyncio.run(run())
    except PublishingError as error:
        raise _report(error) from None
    target = output or Path(exported.file_name)
    target.write_text(exported.content, encoding="utf-8")
    typer.echo(f"Wrote {exported.segment_count} segments to {target}.")


@translations.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="The translated XLIFF file.", exists=True)],
    expected_version: Annotated[
        int | None,
        typer.Option(help="The existing translation's version (when there is one)."),
    ] = None,
    by: Annotated[
        str, typer.Option(help="Who translated it (recorded on the revision).")
    ] = "translations-import",
    database_url: DatabaseUrl = None,
) -> None:
    """Create (or update) the translation an XLIFF file holds, as a draft."""
    settings = settings_with(database_url)
    data = file.read_bytes()

    async def run() -> importing.ImportedTranslation:
        engine = create_engine(settings.database_url, timeout=settings.database_timeout)
        try:
            async with create_sessionmaker(engine)() as session, session.begin():
                return await importing.import_translation(
                    session,
                    Actor(by, Role.EDITOR),
                    data,
                    expected_version=expected_version,
                    now=SYSTEM_CLOCK.now(),
                )
        finally:
            await engine.dispose()

    try:
        with database_errors(settings.database_url):
            imported = asyncio.run(run())
    except PublishingError as error:
        raise _report(error) from None
    article = imported.article
    verb = "Created" if imported.created else "Updated"
    typer.echo(
        f"{verb} the {article.language} translation {article.slug!r}: version "
        f"{article.version}, {article.status.value.lower()}, translated from version "
        f"{imported.source_version} of the original."
    )
