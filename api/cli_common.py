"""What the command groups share: settings overrides and database failures as one line."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated

import typer
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from api.errors import describe_database_error, safe_url
from api.settings import Settings

DATABASE_ERRORS = (DBAPIError, OSError, ArgumentError, NoSuchModuleError, TimeoutError)


@contextlib.contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turn a bad or unreachable database into one clear line and a non-zero exit."""
    try:
        yield
    except DATABASE_ERRORS as exc:
        typer.echo(f"pressroom: database {safe_url(url)}: {describe_database_error(exc)}", err=True)
        raise typer.Exit(code=1) from None


DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="Overrides PRESSROOM_DATABASE_URL.", show_default=False),
]


def settings_with(database_url: str | None = None) -> Settings:
    settings = Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return settings
