"""Webhook delivery as the settings configure it: the dispatcher's configuration, shared by
the one that runs inside each API process and by `pressroom webhooks run` workers."""

from __future__ import annotations

import datetime as dt

from api.settings import Settings
from publishing.clock import Clock
from publishing.webhooks.dispatcher import BackgroundDispatcher, DispatcherConfig


def dispatcher_config(settings: Settings) -> DispatcherConfig:
    return DispatcherConfig(
        timeout=settings.webhooks_timeout,
        max_attempts=settings.webhooks_max_attempts,
        retry_delay=settings.webhooks_retry_delay,
        retry_delay_max=settings.webhooks_retry_delay_max,
        poll_interval=settings.webhooks_poll_interval,
        lease=settings.webhooks_lease,
        allow_private=settings.webhooks_allow_private,
        retention=dt.timedelta(days=settings.webhooks_retention_days),
    )


def start_webhook_dispatcher(settings: Settings, clock: Clock) -> BackgroundDispatcher | None:
    """The in-process dispatcher, unless turned off; call from a running event loop."""
    if not settings.webhooks_dispatcher:
        return None
    return BackgroundDispatcher(
        settings.database_url,
        dispatcher_config(settings),
        clock=clock,
        database_timeout=settings.database_timeout,
    )
