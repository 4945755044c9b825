"""`pressroom webhooks run`: the webhook dispatcher as a worker of its own."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Annotated

import typer

from api.cli_common import DatabaseUrl, database_errors, settings_with
from api.errors import safe_url
from api.settings import Settings
from api.webhooks import dispatcher_config
from publishing.clock import SYSTEM_CLOCK
from publishing.webhooks.dispatcher import DispatcherConfig, dispatcher_for

webhooks = typer.Typer(help="Webhook deliveries.", no_args_is_help=True)


async def _serve(settings: Settings, config: DispatcherConfig, *, once: bool) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # The round in progress finishes; claims of a killed worker lapse and are retried.
        loop.add_signal_handler(signum, stop.set)
    async with dispatcher_for(
        settings.database_url,
        config,
        clock=SYSTEM_CLOCK,
        database_timeout=settings.database_timeout,
    ) as dispatcher:
        if once:
            return await dispatcher.drain()
        await dispatcher.run(stop)
    return 0


@webhooks.command("run")
def run(
    database_url: DatabaseUrl = None,
    once: Annotated[
        bool, typer.Option("--once", help="Deliver what is due now, then exit (for cron).")
    ] = False,
) -> None:
    """Deliver webhook events until stopped (SIGTERM or Ctrl-C).

    Run as many as you like on PostgreSQL: they share the work and never send one delivery
    at the same time. On SQLite, run them on the machine that holds the database file.
    """
    settings = settings_with(database_url)
    try:
        config = dispatcher_config(settings)
    except ValueError as error:
        typer.echo(f"pressroom: {error}", err=True)
        raise typer.Exit(code=2) from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per delivery is ours
    if not once:
        typer.echo(f"Delivering webhooks from {safe_url(settings.database_url)}.", err=True)
    with database_errors(settings.database_url):
        attempted = asyncio.run(_serve(settings, config, once=once))
    if once:
        typer.echo(f"Attempted {attempted} deliveries.")
