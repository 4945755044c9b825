"""Taking files in from URLs: the webhooks' address rules on every hop, limits, and the same
checks as uploads (reported at ``url``).

HTTP goes through transports handed to the client: a mock answering for a public address
(no packet leaves the machine), or the ASGI app of a small file server.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from publishing.errors import ValidationFailed
from publishing.media.fetching import ingest_url, new_client
from publishing.media.ingest import Ingested
from publishing.media.limits import MediaLimits
from publishing.media.models import MediaKind
from publishing.media.storage import MediaStorage
from tests.media import files
from tests.media.conftest import EDITOR, NOW, session_on

PUBLIC = "93.184.215.14"  # a public address; the mock transport answers for it
OPEN = MediaLimits(fetch_allow_private=True, fetch_timeout=5.0)
CLOSED = MediaLimits(fetch_allow_private=False, fetch_timeout=5.0)


def _file_server() -> Starlette:
    photo = files.jpeg(48, 32)

    async def photo_file(_request: Request) -> Response:
        return Response(photo, media_type="text/plain")  # the header is not believed

    async def hop(request: Request) -> Response:
        remaining = int(request.path_params["n"])
        target = "/photo.jpg" if remaining == 0 else f"/hop/{remaining - 1}"
        return RedirectResponse(target, status_code=302)

    async def missing(_request: Request) -> Response:
        return Response("no", status_code=404)

    async def huge(_request: Request) -> Response:
        return Response(b"%PDF-" + b"0" * 5_000, media_type="application/pdf")

    async def svg(_request: Request) -> Response:
        return Response(files.SVG, media_type="image/png")

    async def dynamic(_request: Request) -> Response:
        return Response(photo, media_type="image/jpeg")

    return Starlette(
        routes=[
            Route("/photo.jpg", photo_file),
            Route("/hop/{n}", hop),
            Route("/missing", missing),
            Route("/huge.pdf", huge),
            Route("/logo.png", svg),
            Route("/render.php", dynamic),
        ]
    )


async def _fetch(
    url: str,
    database_url: str,
    storage: MediaStorage,
    transport: httpx.AsyncBaseTransport,
    limits: MediaLimits,
) -> Ingested:
    async with session_on(database_url) as session, new_client(transport) as client:
        return await ingest_url(
            session, EDITOR, storage, url, now=NOW, limits=limits, client=client
        )


async def _refused(*args: Any) -> tuple[str, tuple[str | int, ...], str]:
    with pytest.raises(ValidationFailed) as caught:
        await _fetch(*args)
    (issue,) = caught.value.issues
    return issue.code, issue.path, issue.message


async def test_a_file_is_fetched_through_redirects(
    fresh_demo_url: str, local_storage: MediaStorage
) -> None:
    transport = httpx.ASGITransport(app=_file_server())
    done = await _fetch("http://files.test/hop/2", fresh_demo_url, local_storage, transport, OPEN)
    asset = done.asset
    assert (asset.kind, asset.media_type, asset.file_name) == (
        MediaKind.IMAGE,
        "image/jpeg",
        "photo.jpg",
    )
    assert (asset.width, asset.height) == (48, 32)

    # A dynamic page's name says nothing: the type's extension replaces it.
    done = await _fetch(
        "http://files.test/render.php?id=3", fresh_demo_url, local_storage, transport, OPEN
    )
    assert done.asset.id == asset.id  # the same bytes again


@pytest.mark.parametrize(
    ("path", "limits", "code"),
    [
        ("/hop/9", OPEN, "TOO_MANY_REDIRECTS"),
        ("/missing", OPEN, "FETCH_FAILED"),
        ("/huge.pdf", MediaLimits(fetch_allow_private=True, max_bytes=1_000), "TOO_LARGE"),
        ("/logo.png", OPEN, "UNSUPPORTED_TYPE"),
    ],
)
async def test_refusals_are_reported_at_url(
    fresh_demo_url: str,
    local_storage: MediaStorage,
    path: str,
    limits: MediaLimits,
    code: str,
) -> None:
    transport = httpx.ASGITransport(app=_file_server())
    found = await _refused(
        f"http://files.test{path}", fresh_demo_url, local_storage, transport, limits
    )
    assert found[:2] == (code, ("url",)), found


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://127.0.0.1:8000/photo.jpg", "PRIVATE_ADDRESS"),
        ("http://[::1]/photo.jpg", "PRIVATE_ADDRESS"),
        ("http://10.1.2.3/photo.jpg", "PRIVATE_ADDRESS"),
        ("http://169.254.169.254/latest/meta-data/", "PRIVATE_ADDRESS"),
        ("ftp://example.org/photo.jpg", "INVALID_URL"),
        ("http://user:secret@example.org/photo.jpg", "INVALID_URL"),
        ("/relative/photo.jpg", "INVALID_URL"),
    ],
)
async def test_private_and_malformed_addresses_are_refused(
    fresh_demo_url: str, local_storage: MediaStorage, url: str, code: str
) -> None:
    requested: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requested.append(request)
        return httpx.Response(200, content=files.jpeg())

    found = await _refused(url, fresh_demo_url, local_storage, httpx.MockTransport(answer), CLOSED)
    assert found[:2] == (code, ("url",)), found
    assert requested == []  # refused before any request


async def test_a_redirect_to_a_private_address_is_refused(
    fresh_demo_url: str, local_storage: MediaStorage
) -> None:
    requested: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://127.0.0.1:9000/admin.jpg"})

    found = await _refused(
        f"http://{PUBLIC}/photo.jpg",
        fresh_demo_url,
        local_storage,
        httpx.MockTransport(answer),
        CLOSED,
    )
    assert found[:2] == ("PRIVATE_ADDRESS", ("url",))
    assert "redirect" in found[2].lower()
    assert requested == [f"http://{PUBLIC}/photo.jpg"]  # the loopback hop was never asked


async def test_public_addresses_are_fetched(
    fresh_demo_url: str, local_storage: MediaStorage
) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=files.pdf())

    done = await _fetch(
        f"http://{PUBLIC}/papers/brief.pdf",
        fresh_demo_url,
        local_storage,
        httpx.MockTransport(answer),
        CLOSED,
    )
    assert done.asset.media_type == "application/pdf"
    assert done.asset.file_name == "brief.pdf"
    assert seen[0].url.host == PUBLIC


async def test_a_slow_server_times_out(fresh_demo_url: str, local_storage: MediaStorage) -> None:
    async def answer(_request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        return httpx.Response(200, content=files.pdf())

    found = await _refused(
        f"http://{PUBLIC}/slow.pdf",
        fresh_demo_url,
        local_storage,
        httpx.MockTransport(answer),
        MediaLimits(fetch_timeout=0.2),
    )
    assert found[:2] == ("FETCH_TIMEOUT", ("url",))
