"""Probes: /healthz answers while the process runs, /readyz only while the database does."""

from __future__ import annotations

from tests.support.client import ApiClient, api_client


async def test_healthz_and_readyz(client: ApiClient) -> None:
    health = await client.http.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok"}

    ready = await client.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok"}


async def test_readyz_is_503_with_a_reason_when_the_database_is_unreachable() -> None:
    async with api_client(
        "postgresql+asyncpg://nobody@127.0.0.1:1/nothing", database_timeout=2.0
    ) as api:
        health = await api.http.get("/healthz")
        ready = await api.http.get("/readyz")
    assert health.status_code == 200
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert "refused" in body["reason"].lower() or "connect" in body["reason"].lower()
