"""Fixtures of the hardening tests: PostgreSQL-only databases and API servers in subprocesses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hardening.servers import ApiServer, running_server
from tests.support.databases import Databases


@pytest.fixture
def postgres_demo_copy(databases: Databases) -> str:
    """A private PostgreSQL copy of the demo database, for tests the issue sets on PostgreSQL."""
    databases.require_postgres()
    return databases.copy_of("postgres", databases.demo("postgres"))


@pytest.fixture(scope="module")
def module_server(
    backend: str, databases: Databases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiServer]:
    """`pressroom serve` on a private copy of the demo database, shared by a module's tests
    (which only read)."""
    url = databases.copy_of(backend, databases.demo(backend))
    with running_server(url, tmp_path_factory.mktemp("server")) as server:
        yield server
