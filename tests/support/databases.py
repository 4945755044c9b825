"""Creates and drops the test databases on SQLite (files) and PostgreSQL (a server)."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

import migrations
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine
from publishing.demo.seed import seed_demo_content


class Databases:
    def __init__(self, workdir: Path, postgres_url: str | None) -> None:
        self.workdir = workdir
        self.postgres_url = postgres_url
        self.run_id = uuid.uuid4().hex[:8]
        self._demo: dict[str, str] = {}
        self._created: list[str] = []

    def require_postgres(self) -> None:
        """Skip the calling test without a PostgreSQL server; fail it where CI demands one."""
        if self.postgres_url is None:
            if os.environ.get("PRESSROOM_REQUIRE_POSTGRES"):
                pytest.fail(
                    "PRESSROOM_REQUIRE_POSTGRES is set but PRESSROOM_TEST_POSTGRES_URL is not"
                )
            pytest.skip("PRESSROOM_TEST_POSTGRES_URL is not set")

    # -- naming -------------------------------------------------------------------------

    def _new_url(self, backend: str) -> str:
        name = f"pressroom_test_{self.run_id}_{len(self._created)}"
        if backend == "sqlite":
            url = f"sqlite+aiosqlite:///{self.workdir / (name + '.db')}"
        else:
            assert self.postgres_url is not None
            url = make_url(self.postgres_url).set(database=name).render_as_string(False)
            self._admin(f'CREATE DATABASE "{name}"')
        self._created.append(url)
        return url

    def _admin(self, *statements: str) -> None:
        assert self.postgres_url is not None

        async def run() -> None:
            engine = create_engine(self.postgres_url, isolation_level="AUTOCOMMIT")
            try:
                async with engine.connect() as connection:
                    for statement in statements:
                        await connection.execute(text(statement))
            finally:
                await engine.dispose()

        asyncio.run(run())

    # -- databases ----------------------------------------------------------------------

    def empty(self, backend: str) -> str:
        return self._new_url(backend)

    def demo(self, backend: str) -> str:
        if backend not in self._demo:
            url = self._new_url(backend)
            migrations.upgrade(url)
            asyncio.run(seed_demo_content(url, now=SYSTEM_CLOCK.now()))
            self._demo[backend] = url
        return self._demo[backend]

    def copy_of(self, backend: str, url: str) -> str:
        if backend == "sqlite":
            target = self._new_url(backend)
            shutil.copyfile(make_url(url).database or "", make_url(target).database or "")
            return target
        name = f"pressroom_test_{self.run_id}_{len(self._created)}"
        template = make_url(url).database
        # A template must have no other sessions; the test apps dispose their engines.
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        assert self.postgres_url is not None
        copy = make_url(self.postgres_url).set(database=name).render_as_string(False)
        self._created.append(copy)
        return copy

    def close(self) -> None:
        if self.postgres_url is None:
            return
        names = [make_url(url).database for url in self._created if url.startswith("postgresql")]
        if names:
            self._admin(*(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in names))
