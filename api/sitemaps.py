"""Sitemaps over HTTP.

    GET /sitemap.xml                      the index: every file below
    GET /sitemaps/<language>-<n>.xml      a language's URLs, file n (from 1), at most
                                          ``sitemap_max_urls`` (50,000) each
    GET /sitemaps/news.xml                articles (not pages) published in the last 48
                                          hours; 404 (and left out of the index) when
                                          there are none

Caching, like the GraphQL edge's: answers carry ``Cache-Control: public``, an ``ETag``,
``Last-Modified`` and ``Surrogate-Key`` (the article and page listings of every language, and
``sitemaps``, which author, tag and section writes carry), and a matching ``If-None-Match``
or ``If-Modified-Since`` gets ``304``. The ETag comes from the change log
(``api.freshness``): it changes when a write touching those keys commits, a scheduled article
becomes visible, the languages change or the site's address or permalinks change
(``updateSite`` drops every cached answer), so a 304 costs no read of the content at all.

The index and the news sitemap are small (a few hundred files, 1,000 articles at most): they
are kept in the response cache like GraphQL answers. A language file is up to 50,000 URLs
(tens of MB): it is never held whole, in the cache or anywhere else, but streamed as it is
read, in keyset-paged batches; repeated requests for it are answered by the ETag (304 here)
or by a CDN holding it under its surrogate keys.

Every answer is compressed as the client asks (``api.compression``): the small ones kept with
their coded forms, a language's file coded as it streams (whatever its size: one URL's entry
is most of a kilobyte already).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from api.cache_store import Entry, StoreUnavailable
from api.caching import CACHE_STATUS, CHANGE_LOG_ERRORS, Caching
from api.compression import (
    Compression,
    coded_etag,
    encode_stream,
    etag_matches,
    matching_tag,
    negotiate,
)
from api.freshness import Freshness
from api.settings import Settings
from publishing.site.reading import SiteProfile, load_site
from publishing.sitemaps import news, reading, writing
from publishing.sitemaps.reading import ImageLinks, SitemapPlan
from publishing.surrogate import sitemaps_key

__all__ = ["sitemap_routes"]

_FILE = re.compile(r"^(?P<language>[A-Za-z0-9-]{1,35})-(?P<number>[1-9][0-9]{0,5})\.xml$")
_CACHE_PREFIX = "sitemap:"
_NO_NEWS = "No article was published in the last 48 hours, so there is no news sitemap."
# A small answer: its body, and when what it lists last changed; None when it would list
# nothing (a sitemap must list something, so there is none: 404).
_Built = tuple[bytes, dt.datetime | None] | None
_Builder = Callable[[Request], Awaitable[_Built]]


def sitemap_routes() -> list[Route]:
    return [
        Route("/sitemap.xml", sitemap_index, methods=["GET", "HEAD"]),
        Route("/sitemaps/news.xml", news_sitemap, methods=["GET", "HEAD"]),
        Route("/sitemaps/{name}", language_sitemap, methods=["GET", "HEAD"]),
    ]


# -- validators -------------------------------------------------------------------------------


def _origin(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _compression(request: Request) -> Compression:
    caching: Caching | None = request.state.caching
    if caching is not None:
        return caching.compression
    settings: Settings = request.state.settings
    return Compression(settings.compression_min_bytes)


async def _validate(request: Request) -> tuple[str | None, frozenset[str]]:
    """The answer's surrogate keys, and what its ETag is made from: the change log's state
    for those keys (None when the response cache, and so the log's reader, is off, or the
    log cannot be read)."""
    caching: Caching | None = request.state.caching
    freshness: Freshness | None = caching.freshness if caching is not None else None
    if freshness is None:
        return None, frozenset({sitemaps_key()})
    try:
        await freshness.sync()
    except CHANGE_LOG_ERRORS:
        return None, frozenset({sitemaps_key()})
    # Read after the check: the enabled languages are known from it on.
    keys = frozenset({*freshness.listing_keys, *freshness.page_listing_keys, sitemaps_key()})
    newest = max((freshness.versions.get(key, 0) for key in keys), default=0)
    languages = " ".join(sorted(freshness.languages))
    return f"{freshness.floor}.{newest}.{freshness.time_floor}.{languages}", keys


def _etag(request: Request, version: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    settings: Settings = request.state.settings
    # The site's address and permalinks are not in it: changing them (updateSite) drops
    # everything the change log vouched for, so `version` itself changes.
    for part in (request.url.path, _origin(request), version):
        digest.update(part.encode() + b"\0")
    digest.update(str(settings.sitemap_max_urls).encode())
    return f'"{digest.hexdigest()}"'


def _not_modified(request: Request, etag: str | None, last_modified: dt.datetime | None) -> bool:
    if "if-none-match" in request.headers:
        return etag_matches(request.headers, etag)
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    with contextlib.suppress(TypeError, ValueError):
        return last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
    return False


def _headers(
    request: Request, etag: str | None, last_modified: dt.datetime | None, keys: frozenset[str]
) -> dict[str, str]:
    settings: Settings = request.state.settings
    headers = {
        "cache-control": f"public, max-age={settings.cache_max_age}, "
        f"stale-while-revalidate={settings.cache_stale_while_revalidate}",
        "surrogate-key": " ".join(sorted(keys)),
        "x-content-type-options": "nosniff",
        "vary": "Accept-Encoding",
    }
    if etag is not None:
        headers["etag"] = etag
    if last_modified is not None:
        headers["last-modified"] = format_datetime(last_modified.astimezone(dt.UTC), usegmt=True)
    return headers


# -- small answers, kept in the response cache ------------------------------------------------


def _pack(built: _Built) -> bytes:
    if built is None:
        return b"\n"  # no sitemap is ever empty, so an empty body stands for none
    body, last_modified = built
    stamp = last_modified.isoformat() if last_modified is not None else ""
    return stamp.encode() + b"\n" + body


def _unpack(packed: bytes) -> _Built:
    stamp, _, body = packed.partition(b"\n")
    if not body:
        return None
    return body, dt.datetime.fromisoformat(stamp.decode()) if stamp else None


async def _cached(request: Request, build: _Builder) -> Response:
    """Answer from the response cache, or build, keep and answer."""
    caching: Caching | None = request.state.caching
    version, keys = await _validate(request)
    etag = _etag(request, version) if version is not None else None
    if etag is not None and _not_modified(request, etag, None):
        sent = matching_tag(request.headers, etag)
        return Response(status_code=304, headers=_headers(request, sent, None, keys))
    store = caching.store if caching is not None else None
    freshness = caching.freshness if caching is not None else None
    cache_key = (
        _CACHE_PREFIX
        + hashlib.sha256(f"{request.url.path}\0{_origin(request)}".encode()).hexdigest()
    )
    if store is not None and freshness is not None and version is not None:
        with contextlib.suppress(StoreUnavailable):
            entry = await store.get(cache_key)
            if entry is not None and freshness.valid(entry) and entry.etag == etag:
                return _answer(request, _unpack(entry.body), etag, keys, "hit", entry.encoded)
    seen = freshness.seen if freshness is not None and freshness.seen is not None else -1
    computed_at = request.state.clock.now().timestamp()
    built = await build(request)
    encoded: dict[str, bytes] = {}
    if store is not None and etag is not None:
        if built is not None:
            # The sitemap's coded forms, kept beside its packed identity: a hit codes nothing.
            encoded = _compression(request).encode_all(built[0])
        entry = Entry(_pack(built), etag, keys, seen, computed_at, encoded)
        with contextlib.suppress(StoreUnavailable):
            await store.put(cache_key, entry)
    return _answer(request, built, etag, keys, "miss", encoded)


def _answer(
    request: Request,
    built: _Built,
    etag: str | None,
    keys: frozenset[str],
    status: str,
    encoded: dict[str, bytes],
) -> Response:
    if built is None:
        # Cacheable and purged like the sitemap it stands for (the first article published
        # carries its language's key); no validators, since conditions apply to 2xx only.
        headers = {**_headers(request, None, None, keys), CACHE_STATUS: status}
        return PlainTextResponse(_NO_NEWS, 404, headers=headers)
    body, last_modified = built
    coded = _compression(request).code(request.headers, body, etag, encoded)
    headers = {**_headers(request, coded.etag, last_modified, keys), CACHE_STATUS: status}
    if _not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=headers)
    headers.update(coded.headers())
    return Response(coded.body, media_type=writing.CONTENT_TYPE, headers=headers)


async def _build_index(request: Request) -> _Built:
    settings: Settings = request.state.settings
    now = request.state.clock.now()
    async with request.state.sessionmaker() as session:
        site = await load_site(session)
        sitemap = await reading.plan(session, now, site.links)
        latest_news = await news.latest_news(session, links=site.links, now=now)
    origin = _origin(request)
    files: list[tuple[str, dt.datetime | None]] = [
        (f"{origin}/sitemaps/{p.language}-{n}.xml", p.lastmod)
        for p in sitemap.languages
        for n in range(1, p.files(settings.sitemap_max_urls) + 1)
    ]
    if latest_news is not None:  # with no news there is no news sitemap to list
        files.append((f"{origin}/sitemaps/news.xml", latest_news))
    stamps = [stamp for _, stamp in files if stamp is not None]
    return writing.sitemap_index(files).encode(), max(stamps, default=None)


async def _build_news(request: Request) -> _Built:
    now = request.state.clock.now()
    async with request.state.sessionmaker() as session:
        site = await load_site(session)
        entries = await news.news_entries(session, links=site.links, now=now)
    if not entries:
        return None
    return writing.news_sitemap(entries, site.name).encode(), entries[0].published_at


async def sitemap_index(request: Request) -> Response:
    return await _cached(request, _build_index)


async def news_sitemap(request: Request) -> Response:
    return await _cached(request, _build_news)


# -- a language's file, streamed ---------------------------------------------------------------


def _not_found() -> Response:
    return PlainTextResponse(
        "No such sitemap.", 404, headers={"cache-control": "no-store", "vary": "Accept"}
    )


async def language_sitemap(request: Request) -> Response:
    match = _FILE.match(request.path_params["name"])
    if match is None:
        return _not_found()
    language, number = match["language"], int(match["number"])
    settings: Settings = request.state.settings
    version, keys = await _validate(request)
    etag = _etag(request, version) if version is not None else None
    if etag is not None and _not_modified(request, etag, None):
        sent = matching_tag(request.headers, etag)
        return Response(status_code=304, headers=_headers(request, sent, None, keys))
    coding = negotiate(request.headers.get("accept-encoding"))
    if etag is not None:
        etag = coded_etag(etag, coding)
    now = request.state.clock.now()
    async with request.state.sessionmaker() as session:
        site = await load_site(session)
        sitemap = await reading.plan(session, now, site.links)
    planned = sitemap.language(language)
    if planned is None or number > planned.files(settings.sitemap_max_urls):
        return _not_found()
    headers = {**_headers(request, etag, planned.lastmod, keys), CACHE_STATUS: "bypass"}
    if _not_modified(request, etag, planned.lastmod):
        return Response(status_code=304, headers=headers)
    if coding is not None:
        headers["content-encoding"] = coding
    if request.method == "HEAD":
        return Response(media_type=writing.CONTENT_TYPE, headers=headers)
    images = ImageLinks.make(
        _origin(request),
        await request.state.media.secret(request),
        request.state.media.widths,
    )
    body = _stream(request, site, sitemap, language, number, now, images)
    if coding is not None:
        body = encode_stream(body, coding)
    return StreamingResponse(body, media_type=writing.CONTENT_TYPE, headers=headers)


async def _stream(
    request: Request,
    site: SiteProfile,
    sitemap: SitemapPlan,
    language: str,
    number: int,
    now: dt.datetime,
    images: ImageLinks,
) -> AsyncIterator[bytes]:
    settings: Settings = request.state.settings
    yield writing.URLSET_OPEN.encode()
    async with request.state.sessionmaker() as session:
        async for batch in reading.url_entries(
            session,
            links=site.links,
            sitemap=sitemap,
            language=language,
            number=number,
            limit=settings.sitemap_max_urls,
            now=now,
            images=images,
        ):
            yield "".join(writing.url_element(entry) for entry in batch).encode()
    yield writing.URLSET_CLOSE.encode()
