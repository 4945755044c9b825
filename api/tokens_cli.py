"""`pressroom token ...`: editorial tokens are made, listed and revoked from the command line."""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from api.cli_common import DatabaseUrl, database_errors, settings_with
from api.errors import safe_url
from publishing.access import Role
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.errors import PublishingError
from publishing.tokens import service

T = TypeVar("T")

tokens = typer.Typer(
    help="Editorial API tokens (only their hashes are stored).", no_args_is_help=True
)


class RoleName(enum.StrEnum):
    contributor = "contributor"
    editor = "editor"
    admin = "admin"


def _run(database_url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = create_engine(database_url)
        try:
            async with create_sessionmaker(engine)() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    with database_errors(database_url):
        try:
            return asyncio.run(run())
        except PublishingError as error:
            typer.echo(f"pressroom: {error.message}", err=True)
            raise typer.Exit(code=1) from None


def _url(database_url: str | None) -> str:
    return settings_with(database_url).database_url


@tokens.command("create")
def create(
    name: Annotated[str, typer.Option(help="Who or what uses it, e.g. 'cms' or 'ayse'.")],
    role: Annotated[RoleName, typer.Option(help="What it may do.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Create a token and print it once: it cannot be shown again."""
    url = _url(database_url)
    issued = _run(
        url,
        lambda s: service.create_token(s, name, Role(role.value.upper()), now=SYSTEM_CLOCK.now()),
    )
    typer.echo(issued.token)
    typer.echo(
        f"Token {issued.name!r} ({role.value}) for {safe_url(url)}: store it now, it is not "
        "kept in readable form.",
        err=True,
    )


@tokens.command("list")
def list_(database_url: DatabaseUrl = None) -> None:
    """Names, roles and state of every token (never the tokens themselves)."""
    rows = _run(_url(database_url), service.list_tokens)
    if not rows:
        typer.echo("No tokens.")
    for token in rows:
        state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
        created = f"{token.created_at:%Y-%m-%d %H:%M}"
        typer.echo(f"{token.name}\t{token.role.value.lower()}\tcreated {created}\t{state}")


@tokens.command("revoke")
def revoke(name: str, database_url: DatabaseUrl = None) -> None:
    """Stop a token working, from its next request on."""
    _run(_url(database_url), lambda s: service.revoke_token(s, name, now=SYSTEM_CLOCK.now()))
    typer.echo(f"Token {name!r} revoked.")
