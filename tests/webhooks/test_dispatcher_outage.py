"""A database outage costs the dispatcher's log two lines, not a traceback per round: one
warning when rounds start failing, one when they succeed again.

PostgreSQL goes away behind the tests' TCP proxy (new connections refused) and comes back;
SQLite's file is not there yet (its folder missing) and then is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from publishing.clock import SYSTEM_CLOCK
from publishing.webhooks.dispatcher import DispatcherConfig, dispatcher_for
from tests.hardening.tcp_proxy import proxy_to

CONFIG = DispatcherConfig(poll_interval=0.01, timeout=1.0, lease=2.0)


@contextlib.asynccontextmanager
async def down_then_up(
    backend: str, database_url: str, tmp_path: Path
) -> AsyncIterator[tuple[str, Callable[[], Awaitable[None]]]]:
    """A URL whose database does not answer yet, and what brings it back."""
    if backend == "postgres":
        async with proxy_to(database_url) as proxy:
            await proxy.stop_database()
            yield proxy.url_for(database_url), proxy.start_database
        return
    source = Path(str(make_url(database_url).database))
    later = tmp_path / "later" / source.name

    async def arrive() -> None:
        later.parent.mkdir()
        shutil.copy(source, later)

    yield f"sqlite+aiosqlite:///{later}", arrive


async def test_an_outage_is_one_warning_and_its_end_one_line(
    backend: str, fresh_demo_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="pressroom.webhooks")
    stop = asyncio.Event()
    async with (
        down_then_up(backend, fresh_demo_url, tmp_path) as (url, mend),
        dispatcher_for(url, CONFIG, clock=SYSTEM_CLOCK, database_timeout=1.0) as dispatcher,
    ):
        running = asyncio.create_task(dispatcher.run(stop))
        # Rounds back off from 0.02 s to 0.32 s apart while they fail: seven or more.
        await asyncio.sleep(2.0)
        during = [r.getMessage() for r in caplog.records]
        await mend()
        for _ in range(100):
            if len(caplog.records) > len(during):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # healthy rounds after it log nothing
        stop.set()
        await running

    records = [r for r in caplog.records if r.name == "pressroom.webhooks"]
    assert len(during) == 1 and during[0].startswith("Webhook dispatcher paused"), during
    assert len(records) == 2, [r.getMessage() for r in records]
    paused, resumed = records
    assert paused.levelno == logging.WARNING and not paused.exc_info
    assert "\n" not in paused.getMessage()
    assert resumed.getMessage().startswith("Webhook dispatcher resumed"), resumed.getMessage()
    assert not resumed.exc_info
    rounds = re.search(r"after (\d+) failed rounds", resumed.getMessage())
    assert rounds is not None and int(rounds.group(1)) >= 5, resumed.getMessage()
