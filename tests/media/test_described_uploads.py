"""An upload with its description is one write (version 1, one MEDIA_CREATED event, one
change-log row); the same bytes again are found by their hash before any decoding, and keep
the description they have."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from publishing.access import SYSTEM, Role
from publishing.changes.models import ContentChange
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.media import images, ingest
from publishing.media.models import MediaAsset, MediaText
from publishing.webhooks.models import EventType, WebhookEvent
from publishing.webhooks.subscriptions import NewWebhook, create_webhook
from tests.media.files import jpeg, pdf
from tests.media.test_media_mutations import Newsroom
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

FROM_URL = """
mutation ($input: CreateMediaFromUrlInput!) {
  createMediaFromUrl(input: $input) {
    __typename
    ... on CreateMediaFromUrlSuccess {
      created media { id version credit ... on Image { alt caption focalPoint { x y } } }
    }
    ... on ValidationError { issues { path code } }
  }
}
"""


@pytest.fixture
async def newsroom(fresh_demo_url: str, tmp_path: Path) -> AsyncIterator[Newsroom]:
    editor = await issue_token(fresh_demo_url, Role.EDITOR, "editor-ed")
    contributor = await issue_token(fresh_demo_url, Role.CONTRIBUTOR, "contributor-cy")
    engine = create_engine(fresh_demo_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await create_webhook(
                session,
                SYSTEM,
                NewWebhook(
                    "http://127.0.0.1:9/hook",
                    [EventType.MEDIA_CREATED, EventType.MEDIA_UPDATED, EventType.MEDIA_DELETED],
                ),
                allow_private=True,
                now=SYSTEM_CLOCK.now(),
            )
    finally:
        await engine.dispose()
    async with api_client(
        fresh_demo_url,
        media_url=(tmp_path / "media").as_uri(),
        media_max_bytes=200_000,
        # URL ingest from the test's own loopback server below.
        webhooks_allow_private=True,
    ) as api:
        yield Newsroom(api, fresh_demo_url, bearer(editor), bearer(contributor))


async def _written(url: str) -> tuple[list[dict[str, Any]], int, int]:
    """The webhook events, the change-log rows and the media texts there are now."""
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            bodies = (
                await session.scalars(select(WebhookEvent.body).order_by(WebhookEvent.id))
            ).all()
            changes = await session.scalar(select(func.count()).select_from(ContentChange))
            texts = await session.scalar(select(func.count()).select_from(MediaText))
    finally:
        await engine.dispose()
    return [json.loads(body) for body in bodies], changes or 0, texts or 0


async def test_an_upload_with_its_description_is_one_write(newsroom: Newsroom) -> None:
    events_before, changes_before, texts_before = await _written(newsroom.url)
    result = await newsroom.upload(
        jpeg(64, 48),
        "harbour.jpg",
        alt="Cranes at dusk",
        caption="The harbour",
        language="tr",
        credit="Photo: AP",
        focalPoint={"x": 0.25, "y": 0.7},
    )
    assert result["created"] is True
    assert result["media"]["version"] == 1
    events, changes, texts = await _written(newsroom.url)
    new_events = events[len(events_before) :]
    assert [e["type"] for e in new_events] == ["MEDIA_CREATED"]
    assert new_events[0]["media"] == {
        "id": result["media"]["id"],
        "fileName": "harbour.jpg",
        "mediaType": "image/jpeg",
        "version": 1,
    }
    assert changes == changes_before + 1
    assert texts == texts_before + 1
    described = await newsroom.api.data(
        """query ($id: ID!) { node(id: $id) { ... on Image {
             version credit focalPoint { x y } alt(language: "tr") caption(language: "tr")
           } } }""",
        {"id": result["media"]["id"]},
        headers=newsroom.editor,
    )
    assert described["node"] == {
        "version": 1,
        "credit": "Photo: AP",
        "focalPoint": {"x": 0.25, "y": 0.7},
        "alt": "Cranes at dusk",
        "caption": "The harbour",
    }


async def test_the_same_bytes_again_are_not_decoded_and_keep_their_description(
    newsroom: Newsroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    decoded: list[str] = []

    def counted(source: Path, *args: Any, **kwargs: Any) -> images.PreparedImage:
        decoded.append(source.name)
        return images.prepare_image(source, *args, **kwargs)

    monkeypatch.setattr(ingest, "prepare_image", counted)
    content = jpeg(80, 60)
    first = await newsroom.upload(content, "first.jpg", alt="The first words", credit="AP")
    assert len(decoded) == 1
    before = await _written(newsroom.url)

    again = await newsroom.upload(
        content, "again.jpg", alt="Other words", credit="Reuters", focalPoint={"x": 0, "y": 0}
    )
    assert len(decoded) == 1  # found by its hash before the decode
    assert again["created"] is False
    assert again["media"]["id"] == first["media"]["id"]
    assert again["media"]["version"] == 1
    assert (again["media"]["alt"], again["media"]["credit"]) == ("The first words", "AP")
    assert again["media"]["focalPoint"] == {"x": 0.5, "y": 0.5}
    assert await _written(newsroom.url) == before  # nothing written

    # The description is checked all the same: the same request is valid or not whether or
    # not its bytes are new.
    refused = await newsroom.upload(content, "again.jpg", language="xx", alt="Words")
    assert refused == {
        "__typename": "ValidationError",
        "issues": [{"path": ["language"], "code": "NOT_ENABLED"}],
    }
    assert len(decoded) == 1


async def test_a_refused_description_stores_nothing(newsroom: Newsroom, tmp_path: Path) -> None:
    result = await newsroom.upload(pdf(), "report.pdf", focalPoint={"x": 0.5, "y": 0.5})
    assert result == {
        "__typename": "ValidationError",
        "issues": [{"path": ["focalPoint"], "code": "NOT_AN_IMAGE"}],
    }
    stored = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert stored == []
    engine = create_engine(newsroom.url)
    try:
        async with create_sessionmaker(engine)() as session:
            names = (await session.scalars(select(MediaAsset.file_name))).all()
    finally:
        await engine.dispose()
    assert "report.pdf" not in names


PHOTO = jpeg(72, 40)


class _PhotoHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(PHOTO)))
        self.end_headers()
        self.wfile.write(PHOTO)

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def photo_url() -> Iterator[str]:
    """A real HTTP server on loopback serving one photo (the app allows private addresses)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PhotoHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/pier.jpg"
    finally:
        server.shutdown()
        server.server_close()


async def test_a_url_ingest_with_its_description_is_one_write(
    newsroom: Newsroom, photo_url: str
) -> None:
    events_before, changes_before, _texts = await _written(newsroom.url)
    data = await newsroom.api.data(
        FROM_URL,
        {"input": {"url": photo_url, "alt": "A pier", "credit": "Photo: us"}},
        headers=newsroom.editor,
    )
    result = data["createMediaFromUrl"]
    assert result["__typename"] == "CreateMediaFromUrlSuccess", result
    assert (result["created"], result["media"]["version"]) == (True, 1)
    assert (result["media"]["alt"], result["media"]["credit"]) == ("A pier", "Photo: us")
    events, changes, _texts = await _written(newsroom.url)
    assert [e["type"] for e in events[len(events_before) :]] == ["MEDIA_CREATED"]
    assert changes == changes_before + 1

    again = await newsroom.api.data(
        FROM_URL,
        {"input": {"url": photo_url, "alt": "Not applied", "focalPoint": {"x": 2, "y": 0}}},
        headers=newsroom.editor,
    )
    # Checked before the decode, new bytes or not; valid, it would give the asset unchanged.
    assert again["createMediaFromUrl"] == {
        "__typename": "ValidationError",
        "issues": [{"path": ["focalPoint", "x"], "code": "OUT_OF_RANGE"}],
    }
