"""Live updates in one API process: the feed behind the GraphQL subscriptions.

One task per process follows the change log (``publishing.changes.log``), the same log the
caches read. It wakes when the log advances: on PostgreSQL at every ``NOTIFY`` (each writer,
in any process, notifies at commit; this process listens on a dedicated connection), in
this process after each commit that appended, and at the latest every ``poll_interval``
seconds (writers elsewhere on SQLite, a listening connection being re-opened). Woken, it
reads the new rows once, loads their articles once, and hands each change to every
subscriber that wants it: one read per change per process, however many subscribe.

With Redis configured (``PRESSROOM_REDIS_URL``), a process also publishes on ``CHANNEL``
after each of its commits that appended, and every process's follower subscribes to it:
processes on a shared SQLite file wake at once instead of at the next poll (on PostgreSQL
this doubles ``NOTIFY``; a wake-up with nothing new costs one read).

No write marks the moment a scheduled article becomes visible, so the follower also wakes
then and announces it (``announce_due_publications``, as the webhook dispatcher does): the
claim in that transaction lets exactly one process, follower or dispatcher, write its
PUBLISHED row, whichever processes run.

A subscriber resuming with ``after`` first gets what it missed, read from the log, then the
live changes: it is registered before that read, and live changes it already got from the
read are skipped, so nothing falls between the two.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from publishing.articles.models import Article
from publishing.articles.reading import articles_by_id
from publishing.articles.visibility import Visibility
from publishing.changes import log
from publishing.changes.log import ArticleChange
from publishing.clock import Clock
from publishing.webhooks.outbox import announce_due_publications, next_announcement
from schema.live.feed import (
    FELL_BEHIND,
    RESUME_TOO_OLD,
    TOO_MANY_SUBSCRIPTIONS,
    Delivery,
    LiveError,
    Wanted,
)

logger = logging.getLogger(__name__)

# The Redis pub/sub channel a committed append is announced on; its Redis database number is
# appended (channels are shared by all of a server's databases, processes are not).
CHANNEL = "pressroom:changes:"
# Seconds before subscribing to Redis again after losing it (polling goes on meanwhile).
_REDIS_RETRY = 5.0

# Rows read per statement while catching up.
_BATCH = 500


class _Subscriber:
    def __init__(self, wanted: Wanted, holder: str, queue_size: int) -> None:
        self.wanted = wanted
        self.holder = holder
        # None: it fell behind (its queue overflowed) and is ended.
        self.queue: asyncio.Queue[Delivery | None] = asyncio.Queue(maxsize=queue_size)

    def offer(self, delivery: Delivery) -> None:
        try:
            self.queue.put_nowait(delivery)
        except asyncio.QueueFull:
            # A subscriber that reads slower than changes come is ended, not buffered
            # without bound; it resumes from the last change it got.
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(None)


class LiveChanges:
    """The change feed of one process (``schema.live.feed.ChangeFeed``)."""

    def __init__(
        self,
        engine: AsyncEngine,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        write_sessions: async_sessionmaker[AsyncSession],
        max_subscriptions: int,
        max_per_holder: int,
        resume_limit: int,
        queue_size: int,
        poll_interval: float,
        redis_url: str | None = None,
    ) -> None:
        self.engine = engine
        self.sessionmaker = sessionmaker
        # Announcing a publication writes (on SQLite, sessions that take the write lock).
        self.write_sessions = write_sessions
        self.clock = clock
        self.max_subscriptions = max_subscriptions
        self.max_per_holder = max_per_holder
        self.resume_limit = resume_limit
        self.queue_size = queue_size
        self.poll_interval = poll_interval
        # The newest change id handed out (every subscriber has been offered all up to it);
        # None until the follower has read where the log stands.
        self.seen: int | None = None
        # How many times the log was read: once per wake-up, whatever the subscribers.
        self.reads = 0
        self._subscribers: set[_Subscriber] = set()
        self._holders: Counter[str] = Counter()
        # When the earliest unannounced publication is due (None: none is scheduled).
        self.next_due: dt.datetime | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stop_hook: Callable[[], None] | None = None
        self._listening: Any = None  # the asyncpg connection LISTENing, on PostgreSQL
        self.redis_url = redis_url
        self._redis: Any = None
        self._channel = CHANNEL
        self._relay: asyncio.Task[None] | None = None
        # Set by a commit in this process that appended: told to the others through Redis.
        self._committed = False

    @property
    def subscriptions(self) -> int:
        return len(self._subscribers)

    async def start(self) -> None:
        # Nothing read here: the process starts whether or not the database answers yet;
        # the follower finds its place in the log first thing.
        self._stop_hook = log.on_commit(self._local_commit)
        if self.redis_url:
            import redis.asyncio as redis_asyncio

            self._redis = redis_asyncio.from_url(self.redis_url)
            database = self._redis.connection_pool.connection_kwargs.get("db", 0)
            self._channel = f"{CHANNEL}{database}"
            self._relay = asyncio.create_task(self._hear_redis(), name="pressroom-live-redis")
        self._task = asyncio.create_task(self._follow(), name="pressroom-live")

    async def aclose(self) -> None:
        if self._stop_hook is not None:
            self._stop_hook()
        for task in (self._task, self._relay):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self._unlisten()
        if self._redis is not None:
            await self._redis.aclose()

    def _local_commit(self) -> None:
        self._committed = True
        self.wake()

    def wake(self, *_: object) -> None:
        self._wake.set()

    # -- following the log ------------------------------------------------------------------

    async def _follow(self) -> None:
        self.wake()  # the first read at once
        while True:
            if self.engine.dialect.name == "postgresql" and self._listening is None:
                await self._listen()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._pause()):
                    await self._wake.wait()
            self._wake.clear()
            if self._committed:
                self._committed = False
                await self._tell_redis()
            try:
                if self.seen is None:
                    async with self.engine.connect() as connection:
                        self.seen = (await log.bounds(connection))[1]
                await self.announce_due()
                await self._advance()
            except log_errors() as error:
                # The database is away: subscribers keep their place; the next wake-up or
                # poll reads on from it.
                logger.warning("live updates: the change log cannot be read: %s", error)

    def _pause(self) -> float:
        """Seconds until the next poll, or until the next publication is due if sooner."""
        if self.next_due is None:
            return self.poll_interval
        until = (self.next_due - self.clock.now()).total_seconds()
        return min(self.poll_interval, max(until, 0.0))

    async def announce_due(self) -> None:
        """Announce the publications whose time has come, then note when the next is due."""
        now = self.clock.now()
        async with self.sessionmaker() as session:
            due = _aware(await next_announcement(session))
        if due is not None and due <= now:
            async with self.write_sessions() as session, session.begin():
                await announce_due_publications(session, now)
            async with self.sessionmaker() as session:
                due = _aware(await next_announcement(session))
            if due is not None and due <= now:
                # More were due than one round announces: go on after this read.
                self.wake()
        self.next_due = due

    async def _advance(self) -> None:
        while self.seen is not None:
            changes, articles = await self._read(self.seen, _BATCH, load=bool(self._subscribers))
            self.reads += 1
            for change in changes:
                self.seen = change.id
                delivery = Delivery(change, articles.get(change.subject.article_id))
                for subscriber in tuple(self._subscribers):
                    if subscriber.wanted.matches(change):
                        subscriber.offer(delivery)
            if len(changes) < _BATCH:
                return

    async def _read(
        self, after: int, limit: int, *, load: bool
    ) -> tuple[list[ArticleChange], dict[int, Article]]:
        async with self.sessionmaker() as session:
            changes = await log.article_changes_since(session, after, limit=limit)
            articles: dict[int, Article] = {}
            if changes and load:
                ids = sorted({change.subject.article_id for change in changes})
                # Every status: each subscriber's visibility is checked when it is handed over.
                everything = Visibility(self.clock.now(), include_unpublished=True)
                articles = await articles_by_id(session, ids, everything)
        return changes, articles

    async def _listen(self) -> None:
        import asyncpg  # PostgreSQL only

        url = self.engine.url.set(drivername="postgresql")
        try:
            connection = await asyncpg.connect(url.render_as_string(hide_password=False))
            await connection.add_listener(log.CHANNEL, self.wake)
        except (OSError, asyncpg.PostgresError) as error:
            logger.warning("live updates: cannot LISTEN, polling meanwhile: %s", error)
            return
        connection.add_termination_listener(self._lost)
        self._listening = connection
        # Changes committed while nobody listened.
        self.wake()

    async def _tell_redis(self) -> None:
        if self._redis is None:
            return
        from redis.exceptions import RedisError

        try:
            await self._redis.publish(self._channel, b"")
        except (RedisError, OSError) as error:
            # The others find the change at their next poll.
            logger.warning("live updates: cannot publish to Redis: %s", error)

    async def _hear_redis(self) -> None:
        """Wake at every advance another process announces through Redis; subscribed again
        after a lost connection (what was announced meanwhile is read at once)."""
        from redis.exceptions import RedisError

        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self._channel)
                    self.wake()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.wake()
            except (RedisError, OSError) as error:
                logger.warning("live updates: Redis unreachable, polling meanwhile: %s", error)
            await asyncio.sleep(_REDIS_RETRY)

    def _lost(self, _connection: object) -> None:
        self._listening = None

    async def _unlisten(self) -> None:
        connection, self._listening = self._listening, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close(timeout=2)

    # -- subscribers --------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def listen(
        self, wanted: Wanted, *, holder: str, after: int | None
    ) -> AsyncIterator[AsyncIterator[Delivery]]:
        if len(self._subscribers) >= self.max_subscriptions:
            raise LiveError(
                "This server holds as many subscriptions as it may; try again later.",
                TOO_MANY_SUBSCRIPTIONS,
            )
        if self._holders[holder] >= self.max_per_holder:
            raise LiveError(
                f"A token (or, without one, an address) may hold at most "
                f"{self.max_per_holder} subscriptions at once; end one first.",
                TOO_MANY_SUBSCRIPTIONS,
            )
        subscriber = _Subscriber(wanted, holder, self.queue_size)
        self._subscribers.add(subscriber)
        self._holders[holder] += 1
        try:
            missed = [] if after is None else await self._missed(wanted, after)
            yield self._deliveries(subscriber, missed, after or 0)
        finally:
            self._subscribers.discard(subscriber)
            self._holders[holder] -= 1
            if not self._holders[holder]:
                del self._holders[holder]

    async def _missed(self, wanted: Wanted, after: int) -> list[Delivery]:
        async with self.engine.connect() as connection:
            oldest, newest = await log.bounds(connection)
            too_old = after > newest or (oldest and after < oldest - 1)
            if not too_old:
                too_old = await log.pending(connection, after) > self.resume_limit
        if too_old:
            raise LiveError(
                f"Cannot resume after change {after}: the log no longer holds what came after "
                f"it (or more than {self.resume_limit} changes did). Fetch the articles "
                "again, then subscribe without `after`.",
                RESUME_TOO_OLD,
            )
        changes, articles = await self._read(after, self.resume_limit, load=True)
        return [
            Delivery(change, articles.get(change.subject.article_id))
            for change in changes
            if wanted.matches(change)
        ]

    async def _deliveries(
        self, subscriber: _Subscriber, missed: list[Delivery], after: int
    ) -> AsyncIterator[Delivery]:
        last = after
        for delivery in missed:
            last = delivery.change.id
            yield delivery
        while True:
            delivery = await subscriber.queue.get()
            if delivery is None:
                raise LiveError(
                    "This subscription fell behind the changes and was ended: subscribe "
                    "again with `after` set to the last `changeId` received.",
                    FELL_BEHIND,
                )
            if delivery.change.id <= last:
                continue  # read with what it missed already
            last = delivery.change.id
            yield delivery


def log_errors() -> tuple[type[BaseException], ...]:
    """What reading the change log fails with while the database is away."""
    return (SQLAlchemyError, OSError, TimeoutError)


def _aware(value: dt.datetime | str | None) -> dt.datetime | None:
    if isinstance(value, str):  # SQLite returns min() of a column as text
        value = dt.datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value
