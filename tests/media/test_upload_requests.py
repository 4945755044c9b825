"""Multipart requests at the HTTP edge: refused without a preflight header or a token, held
to the upload limit (not the small JSON one) even without a Content-Length, passed through
the caching edge unread."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from publishing.access import Role
from publishing.changes.models import ContentChange
from publishing.db import create_engine, create_sessionmaker
from publishing.media.models import MediaAsset, MediaText
from publishing.webhooks.models import WebhookEvent
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

PREFLIGHT = {"GraphQL-Require-Preflight": "1"}
OPERATION = {"query": "{ __typename }", "variables": {"file": None}}


def _form(size: int) -> tuple[dict[str, str], dict[str, tuple[str, bytes, str]]]:
    data = {"operations": json.dumps(OPERATION), "map": json.dumps({"0": ["variables.file"]})}
    return data, {"0": ("notes.txt", b"x" * size, "text/plain")}


async def test_an_upload_without_a_preflight_header_is_refused_unread(fresh_demo_url: str) -> None:
    token = await issue_token(fresh_demo_url, Role.EDITOR)
    async with api_client(fresh_demo_url) as api:
        data, files = _form(10)
        response = await api.http.post("/graphql", data=data, files=files, headers=bearer(token))
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PREFLIGHT_HEADER_MISSING"


async def test_an_upload_without_a_token_is_refused(fresh_demo_url: str) -> None:
    async with api_client(fresh_demo_url) as api:
        data, files = _form(10)
        response = await api.http.post("/graphql", data=data, files=files, headers=PREFLIGHT)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_upload_may_pass_the_json_body_limit_up_to_the_media_limit(
    fresh_demo_url: str,
) -> None:
    token = await issue_token(fresh_demo_url, Role.EDITOR)
    headers = {**PREFLIGHT, **bearer(token)}
    async with api_client(fresh_demo_url, max_body_bytes=100_000, media_max_bytes=300_000) as api:
        data, files = _form(200_000)
        passed = await api.http.post("/graphql", data=data, files=files, headers=headers)
        data, files = _form(1_400_000)
        refused = await api.http.post("/graphql", data=data, files=files, headers=headers)
        json_body = await api.http.post(
            "/graphql", json={"query": "{ __typename }", "pad": "x" * 200_000}, headers=headers
        )
    # Through the limit and the caching edge to the endpoint, which ran the operation.
    assert passed.status_code == 200, passed.text
    assert passed.json()["data"] == {"__typename": "Query"}
    assert refused.status_code == 413
    assert refused.json()["errors"][0]["extensions"]["limit"] == 300_000 + 1_048_576
    # JSON keeps its own, small limit.
    assert json_body.status_code == 413


async def test_a_chunked_upload_past_the_limit_is_refused_and_leaves_nothing(
    fresh_demo_url: str, tmp_path: Path
) -> None:
    token = await issue_token(fresh_demo_url, Role.EDITOR)
    media = tmp_path / "media"
    boundary = "pressroom-test-boundary"
    operations = {
        "query": "mutation ($file: Upload!) { createMedia(input: {file: $file}) { __typename } }",
        "variables": {"file": None},
    }
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="operations"\r\n\r\n'
        f"{json.dumps(operations)}\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="map"\r\n\r\n'
        '{"0": ["variables.file"]}\r\n'
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="0"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()
    sent: list[int] = []

    async def body() -> AsyncIterator[bytes]:
        # No Content-Length: the limit can only be found out while the body arrives.
        yield head
        for _ in range(40):  # 40 x 64 KiB: past 300,000 + 1 MiB mid-stream
            sent.append(1)
            yield b"0" * 65_536
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {
        **PREFLIGHT,
        **bearer(token),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    before = await _counts(fresh_demo_url)
    async with api_client(fresh_demo_url, media_url=media.as_uri(), media_max_bytes=300_000) as api:
        response = await api.http.post("/graphql", content=body(), headers=headers)
        assert "content-length" not in response.request.headers
        assert response.request.headers["transfer-encoding"] == "chunked"
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"] == {
            "code": "BODY_TOO_LARGE",
            "limit": 300_000 + 1_048_576,
        }
        # Refused as the limit passed: the rest of the body was never read.
        assert len(sent) < 40, len(sent)
        # The app still answers, and the storage holds nothing.
        assert (await api.http.get("/healthz")).status_code == 200
    assert await _counts(fresh_demo_url) == before
    assert not media.exists() or [p for p in media.rglob("*") if p.is_file()] == []


async def _counts(url: str) -> tuple[int, int, int, int]:
    """Rows of media assets and texts, change-log rows and webhook events."""
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            counts = [
                await session.scalar(select(func.count()).select_from(model))
                for model in (MediaAsset, MediaText, ContentChange, WebhookEvent)
            ]
    finally:
        await engine.dispose()
    return tuple(c or 0 for c in counts)  # type: ignore[return-value]
