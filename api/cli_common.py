"""What the command groups share: settings overrides, and database problems as one line (a
URL that cannot work is a usage error, exit status 2; a database that fails, status 1)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Annotated, NoReturn

import typer
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from api.errors import describe_database_error, safe_url
from api.settings import Settings
from publishing.db import database_url_problem

USAGE_ERROR = 2  # as for a bad option
DATABASE_ERRORS = (DBAPIError, OSError, ArgumentError, NoSuchModuleError, TimeoutError)


def _fail(url: str, reason: str, code: int) -> NoReturn:
    typer.echo(f"pressroom: database {safe_url(url)}: {reason}", err=True)
    raise typer.Exit(code=code)


@contextlib.contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turn a bad or unreachable database into one clear line and a non-zero exit."""
    try:
        yield
    except DATABASE_ERRORS as exc:
        bad_url = isinstance(exc, ArgumentError | NoSuchModuleError)
        _fail(url, describe_database_error(exc), USAGE_ERROR if bad_url else 1)


DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="Overrides PRESSROOM_DATABASE_URL.", show_default=False),
]


def settings_with(database_url: str | None = None) -> Settings:
    """The settings, ``database_url`` (the option) over the environment's; a database URL
    that cannot work ends the command here, with one line naming the URL that would."""
    settings = Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    problem = database_url_problem(settings.database_url)
    if problem is not None:
        _fail(settings.database_url, problem, USAGE_ERROR)
    return settings
