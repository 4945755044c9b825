"""Taking a file in from an http(s) URL, with the address rules webhooks follow.

Every hop is checked before it is requested: only http and https, no credentials in the URL,
and a host that resolves to public addresses only (no private, loopback, link-local or
reserved ones); the request then goes to the address that was checked, so a second DNS answer
cannot steer it elsewhere. Redirects are followed by hand, each new location checked the same
way, at most five. The whole fetch (every hop and the body) has one time limit, and the body
the size limit of uploads; then the file goes through the same ingest as an upload.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor
from publishing.errors import Issue, ValidationFailed, invalid
from publishing.media.editing import MediaChanges
from publishing.media.ingest import (
    UPLOAD_MEDIA,
    Ingested,
    ReadSession,
    Received,
    ingest_received,
    receive,
)
from publishing.media.limits import MediaLimits
from publishing.media.sniffing import FILE_PATH, KNOWN_EXTENSIONS
from publishing.media.storage import MediaStorage
from publishing.webhooks.addresses import AddressRefused, Target, parse_url, public_addresses

__all__ = ["MAX_REDIRECTS", "ingest_url", "new_client"]

URL_PATH = ("url",)
MAX_REDIRECTS = 5
USER_AGENT = "Pressroom-Media/1"


def new_client(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    # No proxies from the environment: the address checked is the address connected to.
    return httpx.AsyncClient(
        trust_env=False,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        transport=transport,
    )


def _refusal(refused: AddressRefused, url: str, hop: int) -> ValidationFailed:
    where = f"The URL {url[:100]!r}" if hop == 0 else f"A redirect to {url[:100]!r}"
    messages = {
        "TOO_LONG": f"{where} is too long.",
        "INVALID_URL": f"{where} is not an absolute http or https URL without credentials.",
        "HOST_NOT_FOUND": f"{where} names a host that does not resolve.",
        "PRIVATE_ADDRESS": (
            f"{where} leads to a private, loopback or reserved address; media is fetched "
            "from public addresses only."
        ),
    }
    return ValidationFailed([Issue(URL_PATH, refused.code, messages.get(refused.code, where))])


async def _request(
    client: httpx.AsyncClient, url: str, target: Target, *, allow_private: bool, time_limit: float
) -> httpx.Response:
    request_url = httpx.URL(url)
    headers: dict[str, str] = {}
    extensions: dict[str, str] = {}
    if not allow_private:
        # Pinned to the address that passed, the name kept for the Host header and TLS.
        address = (await public_addresses(target, time_limit=time_limit))[0]
        headers["Host"] = request_url.netloc.decode("ascii")
        extensions["sni_hostname"] = target.host
        request_url = request_url.copy_with(host=str(address))
    request = client.build_request(
        "GET", request_url, headers=headers, extensions=extensions, timeout=time_limit
    )
    return await client.send(request, stream=True)


async def _follow(
    client: httpx.AsyncClient, url: str, limits: MediaLimits, stack: contextlib.AsyncExitStack
) -> tuple[httpx.Response, str]:
    """The final answer (open, closed by ``stack``) and the URL that gave it."""
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        try:
            target = parse_url(current)
            response = await _request(
                client,
                current,
                target,
                allow_private=limits.fetch_allow_private,
                time_limit=limits.fetch_timeout,
            )
        except AddressRefused as refused:
            raise _refusal(refused, current, hop) from None
        except httpx.InvalidURL:
            # Passed our checks but not the HTTP client's parser: malformed all the same.
            raise _refusal(AddressRefused("INVALID_URL", ""), current, hop) from None
        location = response.headers.get("location")
        if response.is_redirect and location:
            await response.aclose()
            try:
                current = str(httpx.URL(current).join(location))
            except httpx.InvalidURL:
                raise _refusal(AddressRefused("INVALID_URL", ""), location, hop + 1) from None
            continue
        stack.push_async_callback(response.aclose)
        return response, current
    invalid(URL_PATH, "TOO_MANY_REDIRECTS", f"The URL redirects more than {MAX_REDIRECTS} times.")


def _file_name(url: str) -> str:
    """The URL's last path segment; an extension no accepted type has (``.php``) is dropped,
    since a dynamic page's name says nothing about what it sends."""
    name = PurePosixPath(unquote(urlsplit(url).path)).name
    path = PurePosixPath(name)
    if path.suffix and path.suffix.lower() not in KNOWN_EXTENSIONS:
        name = path.stem
    return name or "download"


@contextlib.asynccontextmanager
async def fetched(
    client: httpx.AsyncClient, url: str, limits: MediaLimits
) -> AsyncIterator[tuple[Received, str]]:
    """The body at ``url`` in a temporary file, and a file name taken from the final URL."""
    async with contextlib.AsyncExitStack() as stack:
        try:
            async with _deadline(limits.fetch_timeout):
                response, final_url = await _follow(client, url, limits, stack)
                if response.status_code != 200:
                    invalid(
                        URL_PATH,
                        "FETCH_FAILED",
                        f"The server answered HTTP {response.status_code}, not 200.",
                    )
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limits.max_bytes:
                    invalid(
                        URL_PATH,
                        "TOO_LARGE",
                        f"The file is larger than the limit of {limits.max_bytes:,} bytes.",
                    )
                received = await stack.enter_async_context(
                    receive(response.aiter_bytes(), max_bytes=limits.max_bytes)
                )
        except httpx.HTTPError as error:
            detail = f"{type(error).__name__}: {error}"[:200]
            invalid(URL_PATH, "FETCH_FAILED", f"The URL could not be fetched ({detail}).")
        yield received, _file_name(final_url)


@contextlib.asynccontextmanager
async def _deadline(seconds: float) -> AsyncIterator[None]:
    try:
        async with asyncio.timeout(seconds):
            yield
    except TimeoutError:
        invalid(
            URL_PATH, "FETCH_TIMEOUT", f"The URL did not deliver the file within {seconds:g} s."
        )


def _at_url(error: ValidationFailed) -> ValidationFailed:
    """Problems of the fetched file, reported at the ``url`` field that brought it."""
    return ValidationFailed(
        [Issue(URL_PATH, i.code, i.message) if i.path == FILE_PATH else i for i in error.issues]
    )


async def ingest_url(
    session: AsyncSession,
    actor: Actor,
    storage: MediaStorage,
    url: str,
    *,
    now: dt.datetime,
    limits: MediaLimits,
    client: httpx.AsyncClient | None = None,
    description: MediaChanges | None = None,
    reads: ReadSession | None = None,
) -> Ingested:
    """Fetch ``url`` and take the file in as an upload would be (``description`` and
    ``reads`` as for ``ingest_received``). Problems are reported at ``url``; the file's own
    (type, size, damage) with the same codes as uploads."""
    actor.require(UPLOAD_MEDIA)
    async with contextlib.AsyncExitStack() as stack:
        if client is None:
            client = await stack.enter_async_context(new_client())
        try:
            async with fetched(client, url, limits) as (received, file_name):
                return await ingest_received(
                    session,
                    actor,
                    storage,
                    received,
                    file_name,
                    now=now,
                    limits=limits,
                    description=description,
                    reads=reads,
                )
        except ValidationFailed as error:
            raise _at_url(error) from None
