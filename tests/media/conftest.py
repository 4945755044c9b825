"""Storages for media tests: a local folder, and S3 served by moto's standalone server on a
free loopback port (started once per test run, so the S3 path always runs)."""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor, Role
from publishing.db import create_engine, create_sessionmaker
from publishing.media.storage import MediaStorage, S3Options, open_storage

NOW = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
EDITOR = Actor("editor-token", Role.EDITOR)
CONTRIBUTOR = Actor("contributor-token", Role.CONTRIBUTOR)
STORAGES = ("local", "s3")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3-compatible server, for the whole run."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{endpoint}/moto-api/", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("moto's S3 server did not start")
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def s3_options(endpoint: str) -> S3Options:
    return S3Options(
        endpoint=endpoint, region="us-east-1", access_key_id="test", secret_access_key="test"
    )


def new_bucket(endpoint: str) -> str:
    bucket = f"media-{secrets.token_hex(4)}"
    httpx.put(f"{endpoint}/{bucket}").raise_for_status()
    return bucket


@pytest.fixture(params=STORAGES)
def storage_settings(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """Settings (``PRESSROOM_MEDIA_*``) for a new, empty storage of each kind."""
    if request.param == "local":
        return {"media_url": (tmp_path / "media").as_uri()}
    endpoint = request.getfixturevalue("s3_endpoint")
    return {
        "media_url": f"s3://{new_bucket(endpoint)}/pressroom",
        "media_s3_endpoint": endpoint,
        "media_s3_region": "us-east-1",
        "media_s3_access_key_id": "test",
        "media_s3_secret_access_key": "test",
    }


@pytest.fixture
def local_settings(tmp_path: Path) -> dict[str, Any]:
    return {"media_url": (tmp_path / "media").as_uri()}


def storage_from(settings: dict[str, Any], database_url: str = "sqlite://") -> MediaStorage:
    return open_storage(
        settings["media_url"],
        database_url=database_url,
        s3=S3Options(
            endpoint=settings.get("media_s3_endpoint"),
            region=settings.get("media_s3_region"),
            access_key_id=settings.get("media_s3_access_key_id"),
            secret_access_key=settings.get("media_s3_secret_access_key"),
        ),
    )


@pytest.fixture
def storage(storage_settings: dict[str, Any]) -> MediaStorage:
    return storage_from(storage_settings)


@pytest.fixture
def local_storage(local_settings: dict[str, Any]) -> MediaStorage:
    return storage_from(local_settings)


@contextlib.asynccontextmanager
async def session_on(database_url: str) -> AsyncIterator[AsyncSession]:
    """A session in a transaction that commits when the block ends without an error; on
    SQLite it takes the write lock when it begins, as the app's writers do (which is also
    what makes savepoints work with SQLite's driver)."""
    engine = create_engine(database_url, for_writes=True)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            yield session
    finally:
        await engine.dispose()


async def chunks_of(data: bytes, size: int = 7_000) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]
