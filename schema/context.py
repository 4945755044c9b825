"""The per-request context: how resolvers reach the store, and the request's loaders."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from dataclasses import InitVar, dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from publishing.access import Actor
from publishing.articles.visibility import Visibility
from publishing.clock import Clock
from publishing.languages.service import EnabledLanguages, load_enabled_languages
from publishing.media.limits import MediaLimits
from publishing.media.storage import MediaStorage
from publishing.site.reading import SiteProfile, load_site
from publishing.translations.machine import Provider
from schema.fairness import Budget, HeavyExecutor, HeavyLane
from schema.live.feed import LiveAccess
from schema.media.access import KeyProvider, MediaAccess
from schema.reads import Reads

if TYPE_CHECKING:
    from schema.loaders import Loaders


@dataclass
class Context:
    """Created once per HTTP request (never shared between requests or users).

    Reads go through ``reads``: one session, which concurrent loader batches take in turn.
    Whoever creates a context closes it.
    """

    # Only for `reads`: resolvers have that one way to read the database.
    sessionmaker: InitVar[async_sessionmaker[AsyncSession]]
    # Mutations write through this one (on SQLite it takes the write lock up front).
    write_sessionmaker: async_sessionmaker[AsyncSession]
    # The app's clock: read once here, and again by each mutation (schema.mutations).
    clock: Clock
    # The editor behind the request's token; None for a public reader.
    actor: Actor | None = None
    # Whether webhook URLs may point at private or loopback addresses (a setting).
    webhooks_allow_private: bool = False
    # Where uploads are stored, and the limits they are taken in within; None where no
    # media is configured (a schema exported or run without the app).
    media_storage: MediaStorage | None = None
    media_limits: MediaLimits = field(default_factory=MediaLimits)
    # When the operation is cut off (``loop.time()`` seconds; schema.deadline); None: never.
    deadline: float | None = None
    # Where media URLs get their signing key (the API caches it per process); None: read
    # from the database once per request.
    media_key: KeyProvider | None = None
    # The only widths rendition URLs are handed out for (a setting); empty: any.
    media_widths: tuple[int, ...] = ()
    # The API's address as the request reached it (``https://api.example.org``): absolute
    # media URLs (structured data, social images) start with it; None outside a request.
    origin: str | None = None
    # The budget of cost points the operation is charged from (schema.fairness); None: not
    # limited. Whether its state goes into `extensions.cost` (not in an answer many readers
    # share: the response cache's).
    budget: Budget | None = None
    report_budget: bool = True
    # Where operations estimated as heavy wait their turn (one per process); None: they don't.
    heavy_lane: HeavyLane | None = None
    # Where heavy queries then execute, apart from the loop serving requests; None: here.
    heavy_executor: HeavyExecutor | None = None
    # The machine translation provider prefillTranslation uses; None: off (a setting).
    machine_translation: Provider | None = None
    # Live updates (subscriptions); None where the process serves none.
    live: LiveAccess | None = None
    # What a WebSocket client sent with connection_init (its token, api.graphql).
    connection_params: object = None
    # One reading per request, so every visibility check in a response agrees.
    now: dt.datetime = field(init=False)
    reads: Reads = field(init=False)

    def __post_init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.now = self.clock.now()
        self.reads = Reads(sessionmaker)

    async def close(self) -> None:
        await self.reads.close()

    def apart(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        write_sessionmaker: async_sessionmaker[AsyncSession],
        home: asyncio.AbstractEventLoop,
    ) -> Context:
        """This request's context for executing on another event loop, through that loop's
        sessionmakers (schema.fairness.execute_apart): the same reader, clock reading,
        deadline and settings; the media key is still asked of ``home``, the loop serving
        the request, which keeps it. Already charged and placed: no budget, no lane."""
        key = self.media_key
        copy = dataclasses.replace(
            self,
            sessionmaker=sessionmaker,
            write_sessionmaker=write_sessionmaker,
            media_key=None if key is None else _KeyFrom(key, home),
            budget=None,
            heavy_lane=None,
            heavy_executor=None,
        )
        copy.now = self.now  # one reading per request, wherever it executes
        return copy

    def refresh(self) -> None:
        """Read the clock again and drop what loaders hold: a WebSocket's context lives as
        long as its connection, and each subscription event is read at its own moment."""
        self.now = self.clock.now()
        for cached in ("loaders", "media", "_languages_loader", "_site_loader"):
            self.__dict__.pop(cached, None)

    @property
    def visibility(self) -> Visibility:
        # Any token holder reads drafts, scheduled and archived articles too.
        return Visibility(self.now, include_unpublished=self.actor is not None)

    @cached_property
    def media(self) -> MediaAccess:
        return MediaAccess(self.media_key, self.media_widths, self.write_sessionmaker, self.now)

    @cached_property
    def loaders(self) -> Loaders:
        from schema.loaders import Loaders

        return Loaders(self.reads, self.visibility, self.actor)

    @cached_property
    def _languages_loader(self) -> DataLoader[None, EnabledLanguages]:
        async def load(keys: list[None]) -> list[EnabledLanguages]:
            async with self.reads.session() as session:
                languages = await load_enabled_languages(session)
            return [languages for _ in keys]

        return DataLoader(load_fn=load)

    async def languages(self) -> EnabledLanguages:
        """The enabled languages, read once per request however many fields ask."""
        return await self._languages_loader.load(None)

    @cached_property
    def _site_loader(self) -> DataLoader[None, SiteProfile]:
        async def load(keys: list[None]) -> list[SiteProfile]:
            async with self.reads.session() as session:
                site = await load_site(session)
            return [site for _ in keys]

        return DataLoader(load_fn=load)

    async def site(self) -> SiteProfile:
        """The site (its address and permalink patterns), read once per request."""
        return await self._site_loader.load(None)


@dataclass(frozen=True, slots=True)
class _KeyFrom:
    """A media key provider of another event loop's, called from this one."""

    provider: KeyProvider
    loop: asyncio.AbstractEventLoop

    async def __call__(self) -> bytes:
        async def provide() -> bytes:
            return await self.provider()

        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(provide(), self.loop))
