"""Test set-up: real SQLite and real PostgreSQL databases, built by the migrations.

Every database test runs once per backend. PostgreSQL runs when PRESSROOM_TEST_POSTGRES_URL
names a server (any database on it; each run creates and drops databases of its own).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.support.client import ApiClient, api_client
from tests.support.databases import Databases

pytest_plugins = ["anyio"]

BACKENDS = ("sqlite", "postgres")


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(
        workdir=tmp_path_factory.mktemp("databases"),
        postgres_url=os.environ.get("PRESSROOM_TEST_POSTGRES_URL") or None,
    )
    yield dbs
    dbs.close()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest, databases: Databases) -> str:
    name: str = request.param
    if name == "postgres":
        databases.require_postgres()
    return name


@pytest.fixture(scope="session")
def demo_url(backend: str, databases: Databases) -> str:
    """A migrated database with the demo publication, shared: tests must not write to it."""
    return databases.demo(backend)


@pytest.fixture
def fresh_demo_url(backend: str, databases: Databases, demo_url: str) -> str:
    """A private copy of the demo database, for a test that writes."""
    return databases.copy_of(backend, demo_url)


@pytest.fixture
def empty_url(backend: str, databases: Databases) -> str:
    """A new database with no schema at all (for migration tests)."""
    return databases.empty(backend)


@pytest.fixture
async def client(demo_url: str) -> AsyncIterator[ApiClient]:
    """The app on the shared demo database (read-only tests)."""
    async with api_client(demo_url) as api:
        yield api


@pytest.fixture
async def writable_client(fresh_demo_url: str) -> AsyncIterator[ApiClient]:
    """The app on a private copy of the demo database."""
    async with api_client(fresh_demo_url) as api:
        yield api
