"""End to end: the API's own dispatcher, on the real clock, sends to a receiver listening on
127.0.0.1, signed so that the README's receiver code accepts it; events written while no
dispatcher runs wait for the next one. (Rounds at set times: test_webhook_dispatcher.py and
test_webhook_events.py.)"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from publishing.access import Role
from tests.support.client import api_client
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token
from tests.webhooks.harness import (
    FAST,
    Receiver,
    create_webhook,
    deliveries,
    retitle,
    signature_is_valid,
    wait_until_settled,
)

NUCLEAR_EN = ("en", "the-future-of-nuclear-verification")
NUCLEAR_TR = ("tr", "nukleer-denetimin-gelecegi")


def readme_python() -> list[str]:
    """The Python blocks of the README's Webhooks section, in order."""
    text = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Webhooks", 1)[1].split("\n## ", 1)[0]
    return [block.split("```", 1)[0] for block in section.split("```python\n")[1:]]


def readme_verify() -> Callable[[str, str, bytes], bool]:
    """The ``verify`` function the README's Webhooks section shows receivers of the
    deprecated Pressroom-Signature."""
    code = next(block for block in readme_python() if "def verify(" in block)
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    verify: Callable[[str, str, bytes], bool] = namespace["verify"]
    return verify


async def test_a_change_is_delivered_signed_with_what_a_cdn_needs(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with Receiver() as receiver, api_client(fresh_demo_url, **FAST) as api:
        created = await create_webhook(api, admin, receiver.url, ["ARTICLE_UPDATED"])
        secret = created["secret"]
        await retitle(api, editor, NUCLEAR_EN, "The future of nuclear verification, revised")

        [request] = await receiver.wait_for(1)
        assert signature_is_valid(secret, request)
        assert not signature_is_valid("whsec_not-the-secret-at-all", request)
        # The README's receiver code accepts it too, and only with the right secret.
        verify = readme_verify()
        header, body = request.headers["pressroom-signature"], request.body.encode()
        assert verify(secret, header, body)
        assert not verify(secret, header, body.replace(b"revised", b"REVISED"))
        assert not verify("whsec_not-the-secret-at-all", header, body)
        assert request.headers["content-type"] == "application/json"
        payload = request.json
        assert request.headers["pressroom-event-id"] == payload["id"]
        assert request.headers["pressroom-event-type"] == "ARTICLE_UPDATED"
        assert payload["type"] == "ARTICLE_UPDATED"
        assert dt.datetime.fromisoformat(payload["occurredAt"]) <= dt.datetime.now(dt.UTC)

        article = payload["article"]
        pk = await article_id(fresh_demo_url, *NUCLEAR_EN)
        assert article["id"] == global_id("Article", pk)
        assert (article["language"], article["slug"]) == NUCLEAR_EN
        assert article["title"] == "The future of nuclear verification, revised"
        # The visible other versions only: the Russian draft is nobody's business yet.
        tr_pk = await article_id(fresh_demo_url, *NUCLEAR_TR)
        assert article["translations"] == [
            {"id": global_id("Article", tr_pk), "language": "tr", "slug": NUCLEAR_TR[1]}
        ]
        keys = payload["surrogateKeys"]
        story = article["storyId"]
        assert keys[:2] == [f"article:{pk}", f"story:{story}"]
        assert "articles:en" in keys
        assert any(k.startswith("author:") for k in keys)
        assert sum(k.startswith("tag:") for k in keys) == 2  # arms control, foreign policy

        [delivery] = await wait_until_settled(api, admin, count=1)
        assert delivery["eventId"] == payload["id"]
        assert delivery["status"] == "DELIVERED"
        assert (delivery["attempts"], delivery["lastStatusCode"]) == (1, 200)


async def test_deliveries_verify_with_the_standard_webhooks_library(fresh_demo_url: str) -> None:
    """As a receiver using the spec's own library does it: the first attempt fails, the retry
    carries the same webhook-id; both verify with signingSecret, a tampered body does not."""
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with Receiver() as receiver, api_client(fresh_demo_url, **FAST) as api:
        receiver.answer(500, 200)
        created = await create_webhook(api, admin, receiver.url, ["ARTICLE_UPDATED"])
        secret, signing_secret = created["secret"], created["signingSecret"]
        assert signing_secret == "whsec_" + base64.b64encode(secret.encode()).decode()
        await retitle(api, editor, NUCLEAR_EN, "The future of nuclear verification, signed")

        first, retry = await receiver.wait_for(2)
        payload = first.json
        for request in (first, retry):
            assert Webhook(signing_secret).verify(request.body, request.headers) == payload
            assert request.headers["webhook-id"] == payload["id"]
            assert request.headers["pressroom-event-id"] == payload["id"]
            # The deprecated scheme still goes along, with the same secret.
            assert signature_is_valid(secret, request)
            tampered = request.body.replace("signed", "SIGNED")
            with pytest.raises(WebhookVerificationError):
                Webhook(signing_secret).verify(tampered, request.headers)
            with pytest.raises(WebhookVerificationError):
                Webhook("whsec_" + base64.b64encode(b"not the secret").decode()).verify(
                    request.body, request.headers
                )
        assert retry.body == first.body

        # The README's snippet is the library call, with the names it uses.
        [snippet] = [block for block in readme_python() if "standardwebhooks" in block]
        namespace: dict[str, Any] = {
            "signing_secret": signing_secret,
            "raw_body": retry.body.encode(),
            "request_headers": retry.headers,
        }
        exec(snippet, namespace)
        assert namespace["event"] == payload


async def test_a_chosen_secret_verifies_by_its_base64_form(fresh_demo_url: str) -> None:
    """A secret an administrator chose (not base64): its whsec_ form, as the README derives
    it, is what the library takes."""
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    chosen = "our-own_secret!-not~base64"
    async with Receiver() as receiver, api_client(fresh_demo_url, **FAST) as api:
        created = await create_webhook(api, admin, receiver.url, ["ARTICLE_UPDATED"], secret=chosen)
        assert created["secret"] == chosen
        await retitle(api, editor, NUCLEAR_EN, "The future of nuclear verification, chosen")
        [request] = await receiver.wait_for(1)
        derived = "whsec_" + base64.b64encode(chosen.encode()).decode()
        assert created["signingSecret"] == derived
        assert Webhook(derived).verify(request.body, request.headers) == request.json


async def test_events_wait_for_a_dispatcher(fresh_demo_url: str) -> None:
    """Committed with no dispatcher running, delivered by the next one to start."""
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with Receiver() as receiver:
        async with api_client(fresh_demo_url, **FAST, webhooks_dispatcher=False) as api:
            await create_webhook(api, admin, receiver.url, ["ARTICLE_UPDATED"])
            await retitle(api, editor, NUCLEAR_EN, "Written while nobody delivers")
            # Waiting in the outbox (this app runs no dispatcher, and nothing else does).
            [pending] = await deliveries(api, admin)
            assert (pending["status"], pending["attempts"]) == ("PENDING", 0)
        async with api_client(fresh_demo_url, **FAST) as api:
            [request] = await receiver.wait_for(1)
            [delivered] = await wait_until_settled(api, admin, count=1)
    assert request.json["article"]["title"] == "Written while nobody delivers"
    assert delivered["status"] == "DELIVERED"
