"""Configuration read from ``PRESSROOM_*`` environment variables."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from api.access_log import LogFormat
from publishing.db import DEFAULT_DATABASE_URL
from publishing.feeds.model import FeedContent
from publishing.translations.machine import PROVIDERS, Provider


class Settings(BaseSettings):
    """Everything an operator can set; each field is ``PRESSROOM_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="PRESSROOM_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    # Production turns off the GraphiQL IDE and masks unexpected errors.
    production: bool = False
    # Seconds a request may take, from its arrival, before whatever it still waits for on the
    # database (a pooled connection, connecting, a statement) is cancelled and it answers
    # UNAVAILABLE, its transaction rolled back; /readyz answers 503 then. Each statement and
    # each connection attempt is bounded by it too. It cuts off merely slow requests as well:
    # keep it above the slowest legitimate one.
    database_timeout: float = 5.0
    # Webhooks: run a dispatcher inside each API process (off when `pressroom webhooks run`
    # workers deliver instead); whether URLs may point at private, loopback or link-local
    # addresses (tests and closed networks only); seconds one attempt may take; attempts
    # before a delivery is marked failed; seconds before the first retry (doubled each time,
    # capped); seconds between polls for due work; seconds a claimed delivery stays claimed
    # before another dispatcher retries it (longer than the timeout); days history is kept.
    webhooks_dispatcher: bool = True
    webhooks_allow_private: bool = False
    webhooks_timeout: float = 10.0
    webhooks_max_attempts: int = 12
    webhooks_retry_delay: float = 30.0
    webhooks_retry_delay_max: float = 21600.0
    webhooks_poll_interval: float = 2.0
    webhooks_lease: float = 60.0
    webhooks_retention_days: int = 30
    # Guards on every GraphQL operation (errors name the limit hit): nesting depth, aliases,
    # lexical tokens, and estimated cost (each field 1; a list multiplies what it holds by
    # its `first`, default 20). Every response reports its estimate in `extensions.cost`.
    max_depth: int = 15
    max_aliases: int = 30
    max_tokens: int = 5000
    max_cost: int = 50_000
    # Rate limiting by cost, as Shopify and GitHub do: each token, and each anonymous client
    # address, has a budget of rate_limit_points that refills at rate_limit_restore_rate
    # points a second; an operation is charged its estimated cost (a response-cache hit 1
    # point) and refused with 429 THROTTLED while its budget holds less. Shared through Redis
    # when redis_url is set, else per process.
    rate_limit: bool = True
    rate_limit_points: Annotated[int, Field(ge=1)] = 100_000
    rate_limit_restore_rate: Annotated[float, Field(gt=0)] = 10_000.0
    # Addresses or networks (comma-separated CIDRs) of proxies whose X-Forwarded-For and
    # X-Forwarded-Proto `pressroom serve` believes: the client address budgets are kept by.
    trusted_proxies: Annotated[list[str], NoDecode] = ["127.0.0.1", "::1"]
    # Isolation: operations estimated above heavy_cost run at most heavy_concurrency at once
    # per process; up to heavy_queue more wait their turn (within their request's deadline),
    # more are refused with 503 OVERLOADED. Lighter operations never wait.
    heavy_cost: Annotated[int, Field(ge=0)] = 10_000
    heavy_concurrency: Annotated[int, Field(ge=1)] = 1
    heavy_queue: Annotated[int, Field(ge=0)] = 16
    # Request bodies above this many bytes are refused with 413 before they are read whole.
    max_body_bytes: int = 1_048_576
    # Schema introspection: unset means on in development, off in production (the committed
    # schema/schema.graphql is the contract clients generate code from).
    introspection: bool | None = None
    # Browser origins allowed to call the API (CORS), comma-separated, e.g.
    # "https://www.example.org,https://editor.example.org"; none by default.
    cors_origins: Annotated[list[str], NoDecode] = []

    # Observability: Prometheus metrics at /metrics (off unless set); on metrics_port instead
    # when set (the API's port then has no /metrics). The access log's lines: "json", "text",
    # or "auto" (text on a terminal, JSON otherwise).
    metrics: bool = False
    metrics_port: Annotated[int, Field(ge=1, le=65535)] | None = None
    log_format: LogFormat = "auto"

    # Caching of anonymous reads. HTTP: GET answers say `Cache-Control: public,
    # max-age=<cache_max_age>, stale-while-revalidate=<cache_stale_while_revalidate>`
    # (seconds). Response cache: in this process (up to response_cache_max_bytes), or in
    # Redis when redis_url is set (shared by every process); an entry lives at most
    # response_cache_ttl seconds. Writes are noticed through the database's change log before
    # every cached read, or at most every response_cache_check_interval seconds when above 0.
    cache_max_age: int = 60
    cache_stale_while_revalidate: int = 300
    response_cache: bool = True
    response_cache_max_bytes: int = 64 * 1024 * 1024
    response_cache_ttl: float = 3600.0
    response_cache_check_interval: float = 0.0
    redis_url: str | None = None
    # Answers of the GraphQL endpoint, feeds and sitemaps of at least this many bytes are sent
    # gzip-, Brotli- or Zstandard-coded, as the client's Accept-Encoding prefers.
    compression_min_bytes: Annotated[int, Field(ge=0)] = 1024
    # A manifest of trusted documents (JSON: Apollo's persisted-query manifest or
    # {sha256: document}); when set, only the operations it lists run.
    trusted_documents: str | None = None

    # Live updates (GraphQL subscriptions over WebSocket and SSE, README "Live updates"):
    # subscriptions one connection may hold; one token (or, without one, one client address)
    # across its connections; one process in all; changes a subscription resuming with
    # `after` may catch up on (more: RESUME_TOO_OLD, refetch); changes held for a subscriber
    # that reads slowly before it is ended (FELL_BEHIND); seconds between reads of the change
    # log when nothing announced a change (writers in other processes on SQLite).
    live_updates: bool = True
    live_max_per_connection: Annotated[int, Field(ge=1)] = 10
    live_max_per_token: Annotated[int, Field(ge=1)] = 100
    live_max_subscriptions: Annotated[int, Field(ge=1)] = 10_000
    live_resume_limit: Annotated[int, Field(ge=1)] = 1_000
    live_queue: Annotated[int, Field(ge=1)] = 100
    live_poll_interval: Annotated[float, Field(gt=0)] = 2.0

    # Media: where files go (unset: a folder next to the SQLite file, else ./pressroom-media;
    # or file:///path; or s3://bucket/prefix, reached with the S3 settings below, which fall
    # back to the usual AWS_* variables); the largest file taken in (bytes); the most pixels
    # an image may have (all frames together); seconds a URL fetch may take; the widths
    # rendition URLs are handed out for (comma-separated; unset: any up to 4096); renditions
    # made at once per process.
    media_url: str | None = None
    media_s3_endpoint: str | None = None
    media_s3_region: str | None = None
    media_s3_access_key_id: str | None = None
    media_s3_secret_access_key: str | None = None
    media_max_bytes: int = 50 * 1024 * 1024
    media_max_pixels: int = 50_000_000
    media_fetch_timeout: float = 30.0
    media_widths: Annotated[list[int], NoDecode] = []
    media_rendition_workers: int = 2

    # Feeds (/feeds/...): "summary" gives each item its excerpt; "full" also the whole body
    # as HTML, with its notes.
    feed_content: FeedContent = FeedContent.SUMMARY

    # URLs per sitemap file (the sitemaps.org limit is 50,000). The site's address, name and
    # permalinks are the database's (updateSite), not settings.
    sitemap_max_urls: Annotated[int, Field(ge=1, le=50_000)] = 50_000

    # Machine-translation drafts (prefillTranslation): a provider, "deepl" or
    # "libretranslate" (unset: off); its address (DeepL's default: https://api.deepl.com; use
    # https://api-free.deepl.com for a free key; LibreTranslate's must be given); its key; the
    # seconds one request may take.
    machine_translation: Literal["deepl", "libretranslate"] | None = None
    machine_translation_url: str | None = None
    machine_translation_key: str | None = None
    machine_translation_timeout: float = 30.0

    @model_validator(mode="after")
    def _machine_translation_url(self) -> Settings:
        if self.machine_translation == "libretranslate" and not self.machine_translation_url:
            raise ValueError(
                "PRESSROOM_MACHINE_TRANSLATION=libretranslate needs "
                "PRESSROOM_MACHINE_TRANSLATION_URL (the server's address)."
            )
        return self

    @property
    def machine_translation_provider(self) -> Provider | None:
        """The configured provider; None when machine translation is off."""
        if self.machine_translation is None:
            return None
        url = self.machine_translation_url or "https://api.deepl.com"
        return PROVIDERS[self.machine_translation](
            url=url, key=self.machine_translation_key, timeout=self.machine_translation_timeout
        )

    @field_validator("media_widths", mode="before")
    @classmethod
    def _split_widths(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(width) for width in value.split(",") if width.strip()]
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            return [proxy.strip() for proxy in value.split(",") if proxy.strip()]
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @property
    def introspection_enabled(self) -> bool:
        return (not self.production) if self.introspection is None else self.introspection
