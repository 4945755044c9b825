"""Managing webhooks: administrators only, safe URLs only, and the secret shown exactly once."""

from __future__ import annotations

import datetime as dt

import pytest

from publishing.access import Role
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token
from tests.webhooks.harness import (
    CREATE,
    DELIVERIES,
    RESULT,
    WEBHOOK_FIELDS,
    create_webhook,
    graphql,
    retitle,
    signature_is_valid,
)
from tests.webhooks.stepping import HOOK, stepped

UPDATE = f"""mutation($input: UpdateWebhookInput!) {{ updateWebhook(input: $input) {{
  {RESULT} ... on UpdateWebhookSuccess {{ webhook {{ {WEBHOOK_FIELDS} }} }} }} }}"""
DELETE = f"""mutation($input: DeleteWebhookInput!) {{ deleteWebhook(input: $input) {{
  {RESULT} ... on DeleteWebhookSuccess {{ deletedId }} }} }}"""
PUBLIC_URL = "https://93.184.215.14/hooks"  # a public address literal: no DNS needed


def _input(**fields: object) -> dict[str, object]:
    return {"input": {"url": PUBLIC_URL, "events": ["ARTICLE_PUBLISHED"], **fields}}


async def _issues(api: ApiClient, admin: dict[str, str], **fields: object) -> dict[str, str]:
    result = (await api.data(CREATE, _input(**fields), headers=admin))["createWebhook"]
    assert result["__typename"] == "ValidationError", result
    return {"/".join(i["path"]): i["code"] for i in result["issues"]}


async def test_only_administrators_manage_or_see_webhooks(fresh_demo_url: str) -> None:
    async with api_client(fresh_demo_url, webhooks_dispatcher=False) as api:
        for role in (Role.CONTRIBUTOR, Role.EDITOR):
            token = bearer(await issue_token(fresh_demo_url, role))
            refused = await api.data(CREATE, _input(), headers=token)
            assert refused["createWebhook"]["__typename"] == "ForbiddenError"
            listing = await api.query("{ webhooks { id } }", headers=token)
            assert listing["data"] is None
            assert "admin" in listing["errors"][0]["message"]
        anonymous = await api.data(CREATE, _input())
        assert anonymous["createWebhook"]["__typename"] == "ForbiddenError"
        assert (await api.query("{ webhooks { id } }"))["data"] is None

        admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
        assert (await api.data("{ webhooks { id } }", headers=admin))["webhooks"] == []
        created = await create_webhook(api, admin, PUBLIC_URL, ["ARTICLE_PUBLISHED"])
        editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
        webhook_id = created["webhook"]["id"]
        for query, name in ((UPDATE, "updateWebhook"), (DELETE, "deleteWebhook")):
            result = await api.data(query, {"input": {"id": webhook_id}}, headers=editor)
            assert result[name]["__typename"] == "ForbiddenError"
        listing = await api.data("{ webhooks { id url } }", headers=admin)
    assert listing["webhooks"] == [{"id": webhook_id, "url": PUBLIC_URL}]


async def test_the_secret_is_shown_once(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    async with api_client(fresh_demo_url, webhooks_dispatcher=False) as api:
        generated = await create_webhook(api, admin, PUBLIC_URL, ["ARTICLE_PUBLISHED"])
        chosen = await create_webhook(
            api, admin, PUBLIC_URL, ["ARTICLE_UPDATED"], secret="a-secret-we-picked-1234"
        )
        updated = await api.data(
            UPDATE,
            {"input": {"id": chosen["webhook"]["id"], "secret": "a-rotated-secret-5678"}},
            headers=admin,
        )
        # Every field a query can ask for, deliveries included.
        listing = await api.http.post(
            "/graphql", json={"query": DELIVERIES, "variables": {"first": 100}}, headers=admin
        )
    assert generated["secret"].startswith("whsec_") and len(generated["secret"]) > 40
    assert chosen["secret"] == "a-secret-we-picked-1234"
    assert updated["updateWebhook"]["__typename"] == "UpdateWebhookSuccess"
    assert "secret" not in str(updated)
    assert listing.status_code == 200 and len(listing.json()["data"]["webhooks"]) == 2
    for secret in (generated["secret"], chosen["secret"], "a-rotated-secret-5678"):
        assert secret not in listing.text


async def test_bad_input_is_reported_all_at_once(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    async with api_client(fresh_demo_url, webhooks_dispatcher=False) as api:
        issues = await _issues(
            api, admin, url="ftp://example.org/in", events=[], secret="short", description="x" * 201
        )
        assert issues == {
            "url": "INVALID_URL",
            "events": "REQUIRED",
            "secret": "INVALID_LENGTH",
            "description": "TOO_LONG",
        }
        for url in (
            "example.org/hooks",
            "https://user:pass@example.org/",
            "https://",
            "http://a b",
        ):
            assert (await _issues(api, admin, url=url)) == {"url": "INVALID_URL"}, url
        assert (await _issues(api, admin, secret="with blanks inside it")) == {
            "secret": "INVALID_FORMAT"
        }
        listing = await api.data("{ webhooks { id } }", headers=admin)
    assert listing["webhooks"] == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hooks",
        "http://localhost/hooks",
        "http://10.1.2.3/hooks",
        "http://192.168.0.10/hooks",
        "http://169.254.169.254/latest/meta-data",  # cloud metadata
        "http://100.64.0.1/hooks",  # carrier-grade NAT
        "http://[::1]/hooks",
        "http://[::ffff:127.0.0.1]/hooks",
        "http://0.0.0.0/hooks",
        "http://224.0.0.1/hooks",
    ],
)
async def test_private_addresses_are_refused(fresh_demo_url: str, url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    async with api_client(fresh_demo_url, webhooks_dispatcher=False) as api:
        assert (await _issues(api, admin, url=url)) == {"url": "PRIVATE_ADDRESS"}
        moved = await create_webhook(api, admin, PUBLIC_URL, ["ARTICLE_PUBLISHED"])
        result = await api.data(
            UPDATE, {"input": {"id": moved["webhook"]["id"], "url": url}}, headers=admin
        )
    assert result["updateWebhook"]["__typename"] == "ValidationError"
    assert result["updateWebhook"]["issues"][0]["code"] == "PRIVATE_ADDRESS"


async def test_a_setting_allows_private_addresses(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    async with api_client(
        fresh_demo_url, webhooks_dispatcher=False, webhooks_allow_private=True
    ) as api:
        created = await create_webhook(api, admin, "http://127.0.0.1:8080/h", ["ARTICLE_PUBLISHED"])
    assert created["webhook"]["url"] == "http://127.0.0.1:8080/h"


async def test_update_deactivate_rotate_and_delete(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))

    nuclear = ("en", "the-future-of-nuclear-verification")

    async with stepped(fresh_demo_url) as webhooks:
        api, sent = webhooks.api, webhooks.receiver
        created = await create_webhook(
            api, admin, HOOK, ["ARTICLE_PUBLISHED"], description="Rebuild the site"
        )
        webhook_id = created["webhook"]["id"]
        changed = await graphql(
            api,
            UPDATE,
            {"input": {"id": webhook_id, "events": ["ARTICLE_UPDATED"], "active": False}},
            admin,
            "updateWebhook",
        )
        assert changed["webhook"]["events"] == ["ARTICLE_UPDATED"]
        assert changed["webhook"]["description"] == "Rebuild the site"  # left out: kept
        assert changed["webhook"]["active"] is False
        assert changed["webhook"]["updatedAt"] == webhooks.clock.now().isoformat()
        await retitle(api, editor, nuclear, "Inactive webhooks hear nothing")
        await webhooks.drain()
        assert sent.requests == []

        webhooks.clock.advance(60)
        reactivated = await graphql(
            api,
            UPDATE,
            {"input": {"id": webhook_id, "active": True, "secret": "rotated-secret-0123456789"}},
            admin,
            "updateWebhook",
        )
        assert reactivated["webhook"]["updatedAt"] == webhooks.clock.now().isoformat()
        await retitle(api, editor, nuclear, "Heard, signed with the new secret")
        await webhooks.drain()
        [request] = sent.requests
        assert request.json["article"]["title"] == "Heard, signed with the new secret"
        now = webhooks.clock.now().timestamp()
        assert signature_is_valid("rotated-secret-0123456789", request, now=now)
        assert not signature_is_valid(created["secret"], request, now=now)

        await graphql(api, DELETE, {"input": {"id": webhook_id}}, admin, "deleteWebhook")
        again = await api.data(DELETE, {"input": {"id": webhook_id}}, headers=admin)
        assert again["deleteWebhook"]["__typename"] == "NotFoundError"
        await retitle(api, editor, nuclear, "Nobody is subscribed any more")
        await webhooks.later(dt.timedelta(days=1))
        listing = await api.data("{ webhooks { id } }", headers=admin)
    assert listing["webhooks"] == []
    assert len(sent.requests) == 1


async def test_recent_deliveries_are_capped(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    async with api_client(fresh_demo_url, webhooks_dispatcher=False) as api:
        await create_webhook(api, admin, PUBLIC_URL, ["ARTICLE_PUBLISHED"])
        result = await api.query(DELIVERIES, {"first": 101}, headers=admin)
    assert "between 1 and 100" in result["errors"][0]["message"]
