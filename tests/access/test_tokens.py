"""Tokens and roles: who may read what, and how a bad token is refused."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio

from publishing.access import Role
from publishing.tokens.previews import make_preview_token, read_preview_token
from tests.support.client import ApiClient, api_client
from tests.support.clock import clocked_client
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

DRAFT = ("ru", "budushchee-yadernogo-kontrolya")
DRAFT_QUERY = "query($l: String!, $s: String!) { article(language: $l, slug: $s) { slug status } }"
PRESSROOM = str(Path(sys.executable).with_name("pressroom"))


async def test_viewer_tells_a_tool_who_it_is(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    client = writable_client
    token = await issue_token(fresh_demo_url, Role.EDITOR, "desk")
    data = await client.data("{ viewer { name role } }", headers=bearer(token))
    assert data["viewer"] == {"name": "desk", "role": "EDITOR"}
    anonymous = await client.data("{ viewer { name } }")
    assert anonymous["viewer"] is None


async def test_wrong_malformed_and_revoked_tokens_are_refused(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    client = writable_client
    for header in ("Bearer prs_nothing_here", "Bearer ", "Basic dXNlcjpwYXNz", "prs_x"):
        response = await client.http.post(
            "/graphql", json={"query": "{ viewer { name } }"}, headers={"Authorization": header}
        )
        assert response.status_code == 401, header
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert response.headers["www-authenticate"].startswith("Bearer")

    token = await issue_token(fresh_demo_url, Role.EDITOR, "leaving")
    ok = await client.http.post(
        "/graphql", json={"query": "{ viewer { name } }"}, headers=bearer(token)
    )
    assert ok.status_code == 200
    with anyio.fail_after(60):
        revoked = await anyio.run_process(
            [PRESSROOM, "token", "revoke", "leaving", "--database-url", fresh_demo_url],
            check=False,
        )
    assert revoked.returncode == 0, revoked.stderr
    refused = await client.http.post(
        "/graphql", json={"query": "{ viewer { name } }"}, headers=bearer(token)
    )
    assert refused.status_code == 401


async def test_token_holders_read_drafts_and_filter_by_status(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    client = writable_client
    variables = {"l": DRAFT[0], "s": DRAFT[1]}
    assert (await client.data(DRAFT_QUERY, variables))["article"] is None
    token = await issue_token(fresh_demo_url, Role.CONTRIBUTOR)
    data = await client.data(DRAFT_QUERY, variables, headers=bearer(token))
    assert data["article"] == {"slug": DRAFT[1], "status": "DRAFT"}

    listing = """query($s: [ArticleStatus!]) {
      articles(first: 100, filter: {status: $s}) { totalCount edges { node { slug status } } }
    }"""
    statuses = {}
    for status in ("DRAFT", "SCHEDULED", "ARCHIVED", "PUBLISHED"):
        found = await client.data(listing, {"s": [status]}, headers=bearer(token))
        statuses[status] = found["articles"]
        assert {e["node"]["status"] for e in found["articles"]["edges"]} == {status}
    assert statuses["DRAFT"]["totalCount"] == 1
    assert statuses["SCHEDULED"]["edges"][0]["node"]["slug"] == "when-the-network-slows-down"
    assert statuses["ARCHIVED"]["edges"][0]["node"]["slug"] == "iran-after-snapback"
    assert statuses["PUBLISHED"]["totalCount"] == 16
    # Without a token the filter cannot reveal anything.
    anonymous = await client.data(listing, {"s": ["DRAFT", "ARCHIVED"]})
    assert anonymous["articles"]["totalCount"] == 0


async def test_preview_link_shows_one_draft_to_anyone_holding_it(fresh_demo_url: str) -> None:
    draft_id = global_id("Article", await article_id(fresh_demo_url, *DRAFT))
    token = await issue_token(fresh_demo_url, Role.CONTRIBUTOR)
    async with clocked_client(fresh_demo_url) as (client, clock):
        created = await client.data(
            """mutation($id: ID!) { createPreviewLink(input: {articleId: $id}) {
                __typename ... on CreatePreviewLinkSuccess { token expiresAt article { slug } }
            } }""",
            {"id": draft_id},
            headers=bearer(token),
        )
        link = created["createPreviewLink"]
        assert link["__typename"] == "CreatePreviewLinkSuccess"
        expires = dt.datetime.fromisoformat(link["expiresAt"])
        assert expires == clock.now() + dt.timedelta(hours=24)

        preview = "query($t: String!) { articlePreview(token: $t) { slug status title } }"
        seen = await client.data(preview, {"t": link["token"]})
        assert seen["articlePreview"]["slug"] == DRAFT[1]
        assert seen["articlePreview"]["status"] == "DRAFT"
        # Tampered tokens show nothing; the draft stays hidden elsewhere.
        article_part, expiry, signature = link["token"].split(".")
        for forged in (
            f"{int(article_part) - 1}.{expiry}.{signature}",
            f"{article_part}.{int(expiry) + 3600}.{signature}",
            "garbage",
            # Not ASCII: other scripts' digits, a signature no comparison may choke on.
            "1.2.é",
            f"{article_part}.{expiry}.{signature[:-1]}é",
            f"{article_part}.{expiry}.{signature}é",
            f"²{article_part}.{expiry}.{signature}",
            f"{'١' * len(article_part)}.{expiry}.{signature}",
        ):
            assert (await client.data(preview, {"t": forged}))["articlePreview"] is None
        assert (await client.data(DRAFT_QUERY, {"l": DRAFT[0], "s": DRAFT[1]}))["article"] is None

        # Good until its last second, not after.
        clock.advance(dt.timedelta(hours=24))
        assert (await client.data(preview, {"t": link["token"]}))["articlePreview"] is not None
        clock.advance(1)
        assert (await client.data(preview, {"t": link["token"]}))["articlePreview"] is None


async def test_preview_links_refuse_bad_lifetimes_unknown_articles_and_readers(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    client = writable_client
    draft_id = global_id("Article", await article_id(fresh_demo_url, *DRAFT))
    token = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    create = """mutation($input: CreatePreviewLinkInput!) { createPreviewLink(input: $input) {
        __typename ... on UserError { message } ... on ValidationError { issues { path code } }
        ... on CreatePreviewLinkSuccess { expiresAt } } }"""

    async def preview_link(input: dict[str, object], headers: dict[str, str]) -> dict[str, Any]:
        result: dict[str, Any] = (await client.data(create, {"input": input}, headers=headers))[
            "createPreviewLink"
        ]
        return result

    for hours in (0, 721):
        refused = await preview_link({"articleId": draft_id, "expiresInHours": hours}, token)
        assert refused["__typename"] == "ValidationError"
        assert refused["issues"] == [{"path": ["expiresInHours"], "code": "OUT_OF_RANGE"}]
    missing = await preview_link({"articleId": global_id("Article", 999_999)}, token)
    assert missing["__typename"] == "NotFoundError"
    anonymous = await preview_link({"articleId": draft_id}, {})
    assert anonymous["__typename"] == "ForbiddenError"
    assert anonymous["message"].startswith("Creating a preview link needs a token")
    month = await preview_link({"articleId": draft_id, "expiresInHours": 720}, token)
    expires = dt.datetime.fromisoformat(month["expiresAt"])
    assert dt.timedelta(days=29) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=30)


def test_preview_tokens_expire() -> None:
    key = b"k" * 32
    now = dt.datetime.now(dt.UTC)
    token = make_preview_token(key, 7, now + dt.timedelta(seconds=30))
    assert read_preview_token(key, token, now) == 7
    assert read_preview_token(key, token, now + dt.timedelta(minutes=1)) is None
    assert read_preview_token(b"other" * 8, token, now) is None


def test_token_cli_creates_lists_and_never_shows_a_token_twice(empty_url: str) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PRESSROOM, *args, "--database-url", empty_url],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert run("migrate").returncode == 0
    created = run("token", "create", "--name", "cms", "--role", "admin")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("prs_")
    listed = run("token", "list")
    assert "cms\tadmin" in listed.stdout
    # The secret may itself contain "_": everything after the public id is secret.
    secret = token.split("_", 2)[2]
    assert token not in listed.stdout and secret not in listed.stdout
    again = run("token", "create", "--name", "cms", "--role", "editor")
    assert again.returncode == 1
    assert "exists already" in again.stderr


async def test_production_mode_masks_unexpected_errors_only(demo_url: str) -> None:
    async with api_client(demo_url, production=True) as client:
        result = await client.query("{ articles(first: 0) { totalCount } }")
        assert result["errors"][0]["message"].startswith("`first` must be between 1 and 100")
