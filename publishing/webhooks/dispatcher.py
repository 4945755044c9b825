"""The dispatcher: claims due deliveries, sends them, records what happened, and announces
scheduled publications when their time comes.

At least once: a delivery is claimed for a lease (``claimed_until``) in one transaction, sent
outside any transaction, and its outcome recorded only by the claim's holder. A dispatcher
that dies mid-delivery leaves a claim that lapses; any dispatcher then sends it again.

Never twice at once: on PostgreSQL, candidates are locked with ``FOR UPDATE SKIP LOCKED`` so
concurrent dispatchers (API processes, workers) take different rows; on every backend the
claim itself is a conditional UPDATE, so a row already claimed matches nothing. SQLite runs
one writer at a time, which makes the same claim safe between processes on one machine.

Due times, leases and signatures follow the dispatcher's clock, read once per round and once
per recorded outcome; the pause between idle polls and the time limit of an attempt are real
waits on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from publishing.clock import Clock
from publishing.db import (
    DATABASE_UNAVAILABLE,
    create_engine,
    create_sessionmaker,
    describe_database_error,
)
from publishing.webhooks.delivery import Outcome, Parcel, new_client, send
from publishing.webhooks.models import (
    DeliveryStatus,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
)
from publishing.webhooks.outbox import announce_due_publications, due_publications_query

log = logging.getLogger("pressroom.webhooks")

PRUNE_EVERY = dt.timedelta(hours=1)
MAX_IDLE_AFTER_ERRORS = 30.0  # seconds between polls while the database keeps failing


@dataclass(frozen=True, slots=True)
class DispatcherConfig:
    timeout: float = 10.0  # seconds one attempt may take, connecting included
    max_attempts: int = 12  # then FAILED
    retry_delay: float = 30.0  # before the first retry; doubles with each further one
    retry_delay_max: float = 6 * 3600.0
    poll_interval: float = 2.0
    lease: float = 60.0  # a claim lapses after this; longer than any attempt
    allow_private: bool = False
    batch_size: int = 10  # deliveries claimed, and sent concurrently, per round
    retention: dt.timedelta = field(default=dt.timedelta(days=30))

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.poll_interval <= 0:
            raise ValueError("The webhook timeout and poll interval must be positive.")
        if self.lease <= self.timeout:
            # Otherwise a slow attempt could still be running when another dispatcher retries.
            raise ValueError(
                f"The webhook lease ({self.lease:g} s) must be longer than the timeout "
                f"({self.timeout:g} s)."
            )
        if self.max_attempts < 1 or self.batch_size < 1:
            raise ValueError("Webhook attempts and batch size must be at least 1.")

    def retry_after(self, attempts: int) -> dt.timedelta:
        """How long after a failed attempt (the ``attempts``-th) to try again: exponential,
        capped, with a little jitter so many failed deliveries do not return in lockstep."""
        base = min(self.retry_delay * 2 ** (attempts - 1), self.retry_delay_max)
        return dt.timedelta(seconds=base * random.uniform(1.0, 1.1))


def _due(now: dt.datetime):  # type: ignore[no-untyped-def]
    return or_(
        and_(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= now,
        ),
        # Claimed by a dispatcher that has not reported back in time: retried (at least once).
        and_(
            WebhookDelivery.status == DeliveryStatus.DELIVERING,
            WebhookDelivery.claimed_until <= now,
        ),
    )


class Dispatcher:
    """Delivers the outbox. ``read_sessions`` serve the cheap "anything to do?" poll;
    ``write_sessions`` claim and record (on SQLite they take the write lock up front)."""

    def __init__(
        self,
        read_sessions: async_sessionmaker[AsyncSession],
        write_sessions: async_sessionmaker[AsyncSession],
        config: DispatcherConfig,
        client: httpx.AsyncClient,
        *,
        clock: Clock,
    ) -> None:
        self.read_sessions = read_sessions
        self.write_sessions = write_sessions
        self.config = config
        self.client = client
        self.clock = clock
        self._pruned_at: dt.datetime | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set; the round in progress finishes first.

        A database that fails is one warning when the first round fails and one line when
        a round succeeds again, however many rounds fail in between (they back off, up to
        ``MAX_IDLE_AFTER_ERRORS``); only an error that is not the database's carries its
        traceback, once."""
        failures = 0
        outage_began = 0.0
        while not stop.is_set():
            try:
                busy = await self.run_once()
            except Exception as error:
                failures += 1
                busy = 0
                if failures == 1:
                    outage_began = time.monotonic()
                    unavailable = isinstance(error, DATABASE_UNAVAILABLE)
                    log.warning(
                        "Webhook dispatcher paused until the database answers: %s",
                        describe_database_error(error) if unavailable else repr(error),
                        exc_info=not unavailable,
                    )
            else:
                if failures:
                    log.warning(
                        "Webhook dispatcher resumed: the database answers again, after %d "
                        "failed rounds (%.0f s)",
                        failures,
                        time.monotonic() - outage_began,
                    )
                failures = 0
            if busy >= self.config.batch_size:
                continue  # more may be waiting
            idle = self.config.poll_interval * (2 ** min(failures, 5))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), min(idle, MAX_IDLE_AFTER_ERRORS))

    async def drain(self) -> int:
        """Rounds until nothing is due now; returns how many deliveries were attempted."""
        total = 0
        while attempted := await self.run_once():
            total += attempted
        return total

    async def run_once(self) -> int:
        """One round: announce due publications, claim due deliveries, send them, record the
        outcomes. Returns the number of deliveries attempted (plus announcements)."""
        now = self.clock.now()
        deliveries_due, publications_due = await self._anything_due(now)
        if not (deliveries_due or publications_due):
            await self._prune(now)
            return 0
        announced = 0
        async with self.write_sessions() as session, session.begin():
            if publications_due:
                announced = await announce_due_publications(session, now)
            parcels = await self._claim(session, now)
        outcomes = await asyncio.gather(
            *(self._deliver(parcel) for parcel in parcels), return_exceptions=True
        )
        failed = [o for o in outcomes if isinstance(o, BaseException)]
        if failed:
            # Not recorded (the database went away, say): the claims lapse and are retried.
            log.warning(
                "Recording %d webhook deliveries failed (%s); they are sent again after the lease",
                len(failed),
                describe_database_error(failed[0]),
                exc_info=None if isinstance(failed[0], DATABASE_UNAVAILABLE) else failed[0],
            )
        return len(parcels) + announced

    async def _anything_due(self, now: dt.datetime) -> tuple[bool, bool]:
        """The idle poll: one read, no lock."""
        deliveries = (
            select(WebhookDelivery.id)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .where(_due(now), Webhook.active.is_(True))
            .exists()
        )
        publications = due_publications_query(now).exists()
        async with self.read_sessions() as session:
            row = (await session.execute(select(deliveries, publications))).one()
        return bool(row[0]), bool(row[1])

    async def _claim(self, session: AsyncSession, now: dt.datetime) -> list[Parcel]:
        candidates = list(
            await session.scalars(
                select(WebhookDelivery.id)
                .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
                .where(_due(now), Webhook.active.is_(True))
                .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
                .limit(self.config.batch_size)
                # PostgreSQL: rows another dispatcher is claiming are skipped, not waited for.
                .with_for_update(of=WebhookDelivery, skip_locked=True)
            )
        )
        if not candidates:
            return []
        token = uuid.uuid4().hex
        await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(candidates), _due(now))
            .values(
                status=DeliveryStatus.DELIVERING,
                claim_token=token,
                claimed_until=now + dt.timedelta(seconds=self.config.lease),
                attempts=WebhookDelivery.attempts + 1,
                last_attempt_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        rows = await session.execute(
            select(
                WebhookDelivery.id,
                WebhookDelivery.attempts,
                Webhook.id,
                Webhook.url,
                Webhook.secret,
                WebhookEvent.public_id,
                WebhookEvent.type,
                WebhookEvent.body,
            )
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.claim_token == token)
            .order_by(WebhookDelivery.id)
        )
        return [
            Parcel(
                delivery_id=delivery_id,
                claim_token=token,
                attempts=attempts,
                webhook_id=webhook_id,
                url=url,
                secret=secret,
                event_id=event_id,
                event_type=event_type,
                body=body,
            )
            for delivery_id, attempts, webhook_id, url, secret, event_id, event_type, body in rows
        ]

    async def _deliver(self, parcel: Parcel) -> None:
        try:
            outcome = await send(
                self.client,
                parcel,
                time_limit=self.config.timeout,
                allow_private=self.config.allow_private,
                now=self.clock.now(),
            )
        except Exception as error:  # a bug must not lose the delivery: it is recorded and retried
            log.exception("Webhook delivery %d failed unexpectedly", parcel.delivery_id)
            outcome = Outcome(False, error=f"Unexpected error: {type(error).__name__}")
        if outcome.delivered:
            log.info(
                "Webhook %d, event %s (%s), attempt %d: delivered",
                parcel.webhook_id,
                parcel.event_id,
                parcel.event_type.value,
                parcel.attempts,
            )
        else:
            log.warning(
                "Webhook %d, event %s (%s), attempt %d: %s",
                parcel.webhook_id,
                parcel.event_id,
                parcel.event_type.value,
                parcel.attempts,
                outcome.error,
            )
        await self._record(parcel, outcome)

    async def _record(self, parcel: Parcel, outcome: Outcome) -> None:
        now = self.clock.now()
        if outcome.delivered:
            values = {
                "status": DeliveryStatus.DELIVERED,
                "delivered_at": now,
                "next_attempt_at": None,
            }
        elif parcel.attempts >= self.config.max_attempts:
            values = {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
        else:
            values = {
                "status": DeliveryStatus.PENDING,
                "next_attempt_at": now + self.config.retry_after(parcel.attempts),
            }
        async with self.write_sessions() as session, session.begin():
            # Only the claim's holder records: a lapsed claim may already be someone else's.
            await session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == parcel.delivery_id,
                    WebhookDelivery.claim_token == parcel.claim_token,
                )
                .values(
                    last_status_code=outcome.status_code,
                    last_error=outcome.error[:500] if outcome.error else None,
                    claim_token=None,
                    claimed_until=None,
                    **values,
                )
                .execution_options(synchronize_session=False)
            )

    async def _prune(self, now: dt.datetime) -> None:
        """Finished deliveries, and events nobody waits for, older than the retention."""
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        cutoff = now - self.config.retention
        old_deliveries = WebhookDelivery.status.in_(
            [DeliveryStatus.DELIVERED, DeliveryStatus.FAILED]
        ) & (WebhookDelivery.created_at < cutoff)
        old_events = (WebhookEvent.occurred_at < cutoff) & ~exists().where(
            WebhookDelivery.event_id == WebhookEvent.id
        )
        async with self.read_sessions() as session:
            row = (
                await session.execute(
                    select(exists().where(old_deliveries), exists().where(old_events))
                )
            ).one()
        if not (row[0] or row[1]):
            return  # the usual case: no write, so no lock
        async with self.write_sessions() as session, session.begin():
            await session.execute(delete(WebhookDelivery).where(old_deliveries))
            await session.execute(delete(WebhookEvent).where(old_events))


@contextlib.asynccontextmanager
async def dispatcher_for(
    database_url: str,
    config: DispatcherConfig,
    *,
    clock: Clock,
    database_timeout: float = 5.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[Dispatcher]:
    """A dispatcher with engines and an HTTP client of its own, closed on exit; ``transport``
    replaces the network (tests)."""
    engine = create_engine(database_url, timeout=database_timeout)
    write_engine = (
        create_engine(database_url, timeout=database_timeout, for_writes=True)
        if database_url.startswith("sqlite")
        else engine
    )
    try:
        async with new_client(transport) as client:
            yield Dispatcher(
                create_sessionmaker(engine),
                create_sessionmaker(write_engine),
                config,
                client,
                clock=clock,
            )
    finally:
        await engine.dispose()
        await write_engine.dispose()


class BackgroundDispatcher:
    """A dispatcher running as a task of the current event loop (inside the API process)."""

    def __init__(
        self,
        database_url: str,
        config: DispatcherConfig,
        *,
        clock: Clock,
        database_timeout: float = 5.0,
    ) -> None:
        self._stop = asyncio.Event()
        self._grace = config.timeout + database_timeout
        self._task = asyncio.create_task(
            self._main(database_url, config, clock, database_timeout), name="webhook-dispatcher"
        )

    async def _main(
        self, database_url: str, config: DispatcherConfig, clock: Clock, database_timeout: float
    ) -> None:
        async with dispatcher_for(
            database_url, config, clock=clock, database_timeout=database_timeout
        ) as dispatcher:
            await dispatcher.run(self._stop)

    async def stop(self) -> None:
        """Finish the round in progress (bounded by the timeouts), then close; cancelled if
        it takes longer (its claims lapse and are retried)."""
        self._stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), self._grace)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        except Exception:  # a failed start (bad URL, say) was logged; shutting down anyway
            log.warning("The webhook dispatcher ended with an error", exc_info=True)
