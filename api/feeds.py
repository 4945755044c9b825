"""``/feeds/...``: RSS 2.0, Atom and JSON Feed 1.1 of the newest published articles.

    GET /feeds/<language>/rss.xml | atom.xml | feed.json                  a language
    GET /feeds/<language>/authors/<author slug>/rss.xml | atom.xml | feed.json
    GET /feeds/<language>/tags/<tag slug>/rss.xml | atom.xml | feed.json
    GET /feeds/<language>/sections/<section slug>/rss.xml | atom.xml | feed.json

A feed is cached like an anonymous GraphQL GET (``api.caching``): kept in the response cache
until a change to anything it shows, tagged with its surrogate keys, public to HTTP caches,
with an ``ETag`` and a ``Last-Modified`` (when the answer was computed, which stays put while
it is served from the cache), so ``If-None-Match`` and ``If-Modified-Since`` answer ``304``.
It is compressed as the client asks (``api.compression``), its coded forms kept with it.
An unknown language, section, author or tag is ``404``; a language spelled in another case is
redirected to its canonical form.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from api.cache_store import Entry
from api.caching import Caching, look_up, store
from api.compression import etag_matches
from api.edge_http import etag, send_answer
from api.faults import unavailable_response
from publishing.changes.tracking import tracking
from publishing.errors import UnknownLanguageError
from publishing.feeds.atom import write_atom
from publishing.feeds.content import MediaLinks
from publishing.feeds.jsonfeed import write_json_feed
from publishing.feeds.model import Feed, FeedFormat, FeedScope, ScopeKind
from publishing.feeds.reading import load_feed
from publishing.feeds.rss import write_rss
from publishing.languages.service import load_enabled_languages
from publishing.surrogate import listing_key

__all__ = ["feed_routes"]

CACHE_STATUS = "x-pressroom-cache"
WRITERS: dict[FeedFormat, Callable[[Feed], bytes]] = {
    FeedFormat.RSS: write_rss,
    FeedFormat.ATOM: write_atom,
    FeedFormat.JSON: write_json_feed,
}
_SCOPE_SEGMENTS = {
    ScopeKind.AUTHOR: "authors",
    ScopeKind.TAG: "tags",
    ScopeKind.SECTION: "sections",
}


def feed_path(scope: FeedScope, feed_format: FeedFormat) -> str:
    """The path of a feed on this API."""
    if scope.kind is ScopeKind.LANGUAGE or scope.slug is None:
        return f"/feeds/{scope.language}/{feed_format.value}"
    slug = quote(scope.slug, safe="")
    return f"/feeds/{scope.language}/{_SCOPE_SEGMENTS[scope.kind]}/{slug}/{feed_format}"


def _not_found(what: str) -> Response:
    return PlainTextResponse(f"No such feed: {what}.", status_code=404)


def _last_modified(entry: Entry) -> str:
    # Whole seconds, rounded up: the answer was computed at or before this moment.
    return formatdate(math.ceil(entry.computed_at), usegmt=True)


def _not_modified(headers: Headers, entry: Entry) -> bool:
    """RFC 9110: If-None-Match decides when sent; If-Modified-Since only without it."""
    if "if-none-match" in headers:
        return etag_matches(headers, entry.etag)
    since = headers.get("if-modified-since")
    if since is None:
        return False
    try:
        asked = parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False  # a malformed date is ignored, as the RFC says
    return math.ceil(entry.computed_at) <= asked


async def _answer(
    scope: Scope, send: Send, caching: Caching, entry: Entry, feed_format: FeedFormat, status: str
) -> None:
    settings = caching.settings
    request_headers = Headers(scope=scope)
    coded = caching.compression.code(request_headers, entry.body, entry.etag, entry.encoded)
    headers = {
        **coded.headers(),
        "content-type": f"{feed_format.media_type}; charset=utf-8",
        "last-modified": _last_modified(entry),
        "cache-control": f"public, max-age={settings.cache_max_age}, "
        f"stale-while-revalidate={settings.cache_stale_while_revalidate}",
        CACHE_STATUS: status,
    }
    if entry.keys:
        headers["surrogate-key"] = " ".join(sorted(entry.keys))
    # The edge's own writer: a raw ASGI answer, as the GraphQL edge sends its cached ones.
    if _not_modified(request_headers, entry):
        headers.pop("content-encoding", None)  # a 304 has no body to be coded
        await send_answer(send, 304, b"", headers, [])
        return
    await send_answer(send, 200, coded.body, headers, [])


class FeedEndpoint:
    """ASGI endpoint of one kind of feed (see the module's docstring)."""

    def __init__(self, kind: ScopeKind) -> None:
        self.kind = kind

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.serve(Request(scope), send)
        if response is not None:
            await response(scope, receive, send)

    async def serve(self, request: Request, send: Send) -> Response | None:
        """Answers itself (None), or returns what to answer: a refusal or a redirect."""
        kind = self.kind
        try:
            feed_format = FeedFormat(request.path_params["format"])
        except ValueError:
            return _not_found("a feed is rss.xml, atom.xml or feed.json")
        asked = request.path_params["language"]
        slug: str | None = request.path_params.get("slug")
        scope = FeedScope(asked, kind, slug)
        state = request.state
        caching: Caching = state.caching
        settings = caching.settings
        origin = str(request.base_url).rstrip("/")
        key = f"feed\0{settings.feed_content}\0{origin}\0{feed_path(scope, feed_format)}"

        lookup = await look_up(caching, key)
        if lookup.unavailable:
            return unavailable_response()
        if lookup.entry is not None:
            await _answer(request.scope, send, caching, lookup.entry, feed_format, "hit")
            return None

        computed_at = caching.clock.now().timestamp()
        now = state.clock.now()
        secret = await state.media.secret(request)
        with tracking() as read:
            async with state.sessionmaker() as session:
                languages = await load_enabled_languages(session)
                try:
                    language = languages.resolve(asked)
                except UnknownLanguageError:
                    return _not_found(f"no language {asked!r} is published")
                if language != asked:
                    canonical = FeedScope(language, kind, slug)
                    return RedirectResponse(feed_path(canonical, feed_format), status_code=301)
                feed = await load_feed(
                    session,
                    scope,
                    now=now,
                    mode=settings.feed_content,
                    media=MediaLinks(secret, state.media.widths, origin),
                    feed_urls={f: origin + feed_path(scope, f) for f in FeedFormat},
                    languages=languages,
                )
        if feed is None:
            return _not_found(f"no {kind.value} {slug!r}")
        body = WRITERS[feed_format](feed)
        # What the feed read, and what may add to it without changing any of that: a newly
        # visible article of its language. (A change of the site drops every cached answer.)
        keys = frozenset(read | {listing_key(language)})
        encoded = caching.compression.encode_all(body) if lookup.store is not None else {}
        entry = Entry(body, etag(body), keys, lookup.seen, computed_at, encoded)
        await store(lookup, key, entry)
        await _answer(request.scope, send, caching, entry, feed_format, lookup.status)
        return None


def feed_routes() -> list[Route]:
    return [
        Route("/feeds/{language}/{format}", FeedEndpoint(ScopeKind.LANGUAGE), methods=["GET"]),
        Route(
            "/feeds/{language}/authors/{slug}/{format}",
            FeedEndpoint(ScopeKind.AUTHOR),
            methods=["GET"],
        ),
        Route(
            "/feeds/{language}/tags/{slug}/{format}", FeedEndpoint(ScopeKind.TAG), methods=["GET"]
        ),
        Route(
            "/feeds/{language}/sections/{slug}/{format}",
            FeedEndpoint(ScopeKind.SECTION),
            methods=["GET"],
        ),
    ]
