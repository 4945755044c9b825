"""Access: tokens stored only as hashes, compared in constant time, refused once revoked, never
logged; production hides crashes and the IDE; CORS answers configured origins only."""

from __future__ import annotations

import hmac
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from api.settings import Settings
from publishing.access import Role
from publishing.db import create_engine
from publishing.models import Base
from tests.hardening.servers import running_server
from tests.support.client import ApiClient, api_client
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

PRESSROOM = str(Path(sys.executable).with_name("pressroom"))
VIEWER = "{ viewer { name role } }"


async def every_stored_value(database_url: str) -> list[str]:
    """Every value in every table, as text."""
    engine = create_engine(database_url)
    values: list[str] = []
    try:
        async with engine.connect() as connection:
            for table in Base.metadata.sorted_tables:
                for row in await connection.execute(select(table)):
                    values.extend(str(value) for value in row)
    finally:
        await engine.dispose()
    return values


async def test_tokens_are_stored_only_as_hashes(fresh_demo_url: str) -> None:
    token = await issue_token(fresh_demo_url, Role.ADMIN, "keeper")
    secret = token.split("_", 2)[2]
    assert len(secret) >= 20
    stored = await every_stored_value(fresh_demo_url)
    assert "keeper" in stored  # the scan does reach the tokens table
    assert not [value for value in stored if token in value or secret in value]


async def test_secrets_are_compared_in_constant_time(
    writable_client: ApiClient, fresh_demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = await issue_token(fresh_demo_url, Role.EDITOR)
    prefix, public_id, secret = token.split("_", 2)
    compared: list[tuple[Any, Any]] = []
    constant_time = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        compared.append((a, b))
        return constant_time(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    wrong_secret = f"{prefix}_{public_id}_{'x' * len(secret)}"
    unknown_id = f"{prefix}_{'z' * len(public_id)}_{secret}"
    for presented, status in ((token, 200), (wrong_secret, 401), (unknown_id, 401)):
        compared.clear()
        response = await writable_client.http.post(
            "/graphql", json={"query": VIEWER}, headers=bearer(presented)
        )
        assert response.status_code == status
        # The secret was checked with the constant-time comparison, even for an unknown id,
        # so response times say nothing about which part was wrong.
        assert compared, presented
        assert all(len(a) == len(b) == 64 for a, b in compared)


def revoke(database_url: str, name: str) -> None:
    done = subprocess.run(
        [PRESSROOM, "token", "revoke", name, "--database-url", database_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


async def test_revoked_tokens_stop_at_once_and_no_token_reaches_a_log(
    fresh_demo_url: str, tmp_path: Path
) -> None:
    """Two API processes, as in production; both logs are read at the end."""
    editor = await issue_token(fresh_demo_url, Role.EDITOR, "leaving")
    admin = await issue_token(fresh_demo_url, Role.ADMIN, "staying")
    draft = global_id(
        "Article", await article_id(fresh_demo_url, "ru", "budushchee-yadernogo-kontrolya")
    )
    preview_link = """mutation($id: ID!) {
      createPreviewLink(input: {articleId: $id}) { ... on CreatePreviewLinkSuccess { token } }
    }"""
    preview = "query($t: String!) { articlePreview(token: $t) { slug } }"

    with (
        running_server(fresh_demo_url, tmp_path) as first,
        running_server(fresh_demo_url, tmp_path) as second,
    ):
        async with httpx.AsyncClient(timeout=15) as http:

            async def ask(url: str, token: str | None = None, **json: Any) -> httpx.Response:
                headers = bearer(token) if token else {}
                return await http.post(f"{url}/graphql", json=json, headers=headers)

            for server in (first, second):
                answer = await ask(server.url, editor, query=VIEWER)
                assert answer.json()["data"]["viewer"]["name"] == "leaving"
            made = await ask(first.url, admin, query=preview_link, variables={"id": draft})
            preview_token = made.json()["data"]["createPreviewLink"]["token"]
            shown = await ask(second.url, query=preview, variables={"t": preview_token})
            assert (
                shown.json()["data"]["articlePreview"]["slug"] == "budushchee-yadernogo-kontrolya"
            )
            # In a GET query string too, as a CDN-friendly client would send it.
            got = await http.get(
                f"{second.url}/graphql",
                params={"query": f'{{ articlePreview(token: "{preview_token}") {{ slug }} }}'},
                headers={"Accept": "application/json"},
            )
            assert got.status_code == 200

            revoke(fresh_demo_url, "leaving")
            for server in (first, second):
                refused = await ask(server.url, editor, query=VIEWER)
                assert refused.status_code == 401
            # A mistyped token: refused without echoing it.
            mistyped = editor[:-1] + ("A" if editor[-1] != "A" else "B")
            answer = await ask(first.url, mistyped, query=VIEWER)
            assert answer.status_code == 401 and mistyped not in answer.text
        logs = first.log() + second.log()

    # The logs did record these requests (JSON lines: the server's stdout is a file).
    assert '"method":"POST","path":"/graphql","operation":null,"status":401' in logs
    secrets = {
        "editor token": editor,
        "editor secret": editor.split("_", 2)[2],
        "admin token": admin,
        "admin secret": admin.split("_", 2)[2],
        "mistyped token": mistyped,
        "preview token": preview_token,
        "preview signature": preview_token.rsplit(".", 1)[1],
    }
    assert not [name for name, secret in secrets.items() if secret in logs]


async def test_production_masks_unexpected_errors_and_hides_the_ide(empty_url: str) -> None:
    # A database nobody migrated: every read fails in a way no client caused.
    query = "{ languages { code } }"
    async with api_client(empty_url, webhooks_dispatcher=False) as development:
        shown = await development.query(query)
    # The real error, for developers: it names the missing table.
    assert "languages" in shown["errors"][0]["message"]

    async with api_client(empty_url, production=True, webhooks_dispatcher=False) as production:
        masked = await production.query(query)
        page = await production.http.get("/graphql", headers={"Accept": "text/html"})
    [error] = masked["errors"]
    assert error["message"] == "Unexpected error."
    assert set(error) <= {"message", "locations", "path"}
    for detail in ("table", "SELECT", "sqlite", "asyncpg", "Traceback", 'File "'):
        assert detail not in str(masked)
    assert "graphiql" not in page.text.lower()


ORIGIN = "https://www.example.org"


async def preflight(api: ApiClient, origin: str) -> httpx.Response:
    return await api.http.options(
        "/graphql",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


async def test_cors_answers_only_configured_origins(demo_url: str) -> None:
    async with api_client(demo_url, cors_origins=[ORIGIN, "https://editor.example.org"]) as api:
        allowed = await preflight(api, ORIGIN)
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == ORIGIN
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()

        refused = await preflight(api, "https://evil.example")
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers

        post = await api.http.post("/graphql", json={"query": VIEWER}, headers={"Origin": ORIGIN})
        assert post.headers["access-control-allow-origin"] == ORIGIN
        foreign = await api.http.post(
            "/graphql", json={"query": VIEWER}, headers={"Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in foreign.headers

        # Refusals carry the header too, so a browser app can read why.
        batch = await api.http.post(
            "/graphql", json=[{"query": VIEWER}], headers={"Origin": ORIGIN}
        )
        assert batch.status_code == 400
        assert batch.headers["access-control-allow-origin"] == ORIGIN


async def test_no_origin_is_allowed_by_default(client: ApiClient) -> None:
    response = await preflight(client, ORIGIN)
    assert "access-control-allow-origin" not in response.headers
    post = await client.http.post("/graphql", json={"query": VIEWER}, headers={"Origin": ORIGIN})
    assert post.status_code == 200
    assert "access-control-allow-origin" not in post.headers


def test_origins_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSROOM_CORS_ORIGINS", f"{ORIGIN}, https://editor.example.org")
    assert Settings().cors_origins == [ORIGIN, "https://editor.example.org"]
