"""Deliveries as a receiver sees them: signed, retried, announced at the right moment, and only
for changes readers can see."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import delete

from publishing.access import Role
from publishing.db import create_engine
from publishing.webhooks.models import PublicationMarker
from tests.support.client import api_client
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token
from tests.webhooks.harness import (
    FAST,
    RESULT,
    UPDATE_ARTICLE,
    Receiver,
    article_of,
    create_webhook,
    deliveries,
    graphql,
    retitle,
    signature_is_valid,
    wait_until_settled,
)

PUBLISH = f"""mutation($input: PublishArticleInput!) {{ publishArticle(input: $input) {{
  {RESULT} ... on ArticleStatusSuccess {{ article {{ id version publishedAt }} }} }} }}"""
UNPUBLISH = f"""mutation($input: ArticleStatusInput!) {{ unpublishArticle(input: $input) {{
  {RESULT} ... on ArticleStatusSuccess {{ article {{ id version }} }} }} }}"""
DELETE = f"""mutation($input: ArticleStatusInput!) {{ deleteArticle(input: $input) {{
  {RESULT} ... on DeleteArticleSuccess {{ deletedId }} }} }}"""
UPDATE_AUTHOR = f"""mutation($input: UpdateAuthorInput!) {{ updateAuthor(input: $input) {{
  {RESULT} ... on UpdateAuthorSuccess {{ author {{ id }} }} }} }}"""
REDELIVER = f"""mutation($input: RedeliverWebhookDeliveryInput!) {{
  redeliverWebhookDelivery(input: $input) {{
  {RESULT} ... on RedeliverWebhookDeliverySuccess {{ delivery {{ id eventId status }} }} }} }}"""

ALL_EVENTS = [
    "ARTICLE_PUBLISHED",
    "ARTICLE_UPDATED",
    "ARTICLE_UNPUBLISHED",
    "ARTICLE_DELETED",
    "AUTHOR_UPDATED",
    "AUTHOR_DELETED",
]
NUCLEAR_EN = ("en", "the-future-of-nuclear-verification")
NUCLEAR_TR = ("tr", "nukleer-denetimin-gelecegi")
NUCLEAR_RU_DRAFT = ("ru", "budushchee-yadernogo-kontrolya")


def readme_verify() -> Callable[[str, str, bytes], bool]:
    """The ``verify`` function the README's Webhooks section shows receivers."""
    text = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = text.split("## Webhooks", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
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


async def test_a_failing_receiver_gets_retries_until_it_answers(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with Receiver() as receiver, api_client(fresh_demo_url, **FAST) as api:
        created = await create_webhook(api, admin, receiver.url, ["ARTICLE_UPDATED"])
        receiver.answer(500, 503, 200)
        await retitle(api, editor, NUCLEAR_EN, "Retried")

        requests = await receiver.wait_for(3)
        [delivery] = await wait_until_settled(api, admin, count=1)
    assert len({r.json["id"] for r in requests}) == 1  # one event, three attempts
    assert len({r.body for r in requests}) == 1  # the same bytes each time
    assert all(signature_is_valid(created["secret"], r) for r in requests)
    assert delivery["status"] == "DELIVERED"
    assert (delivery["attempts"], delivery["lastStatusCode"]) == (3, 200)
    assert delivery["lastError"] is None
    assert len(receiver.requests) == 3


async def test_after_the_last_attempt_it_fails_and_an_admin_can_redeliver(
    fresh_demo_url: str,
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with (
        Receiver() as receiver,
        api_client(fresh_demo_url, **FAST, webhooks_max_attempts=2) as api,
    ):
        await create_webhook(api, admin, receiver.url, ["ARTICLE_UPDATED"])
        receiver.answer(500, 500)
        await retitle(api, editor, NUCLEAR_EN, "Doomed, at first")

        [failed] = await wait_until_settled(api, admin, count=1)
        assert failed["status"] == "FAILED"
        assert (failed["attempts"], failed["lastStatusCode"]) == (2, 500)
        assert "500" in failed["lastError"]
        assert failed["nextAttemptAt"] is None

        again = await graphql(
            api,
            REDELIVER,
            {"input": {"deliveryId": failed["id"]}},
            admin,
            "redeliverWebhookDelivery",
        )
        assert again["delivery"]["eventId"] == failed["eventId"]
        newest, oldest = await wait_until_settled(api, admin, count=2)
    assert (newest["status"], newest["attempts"], newest["eventId"]) == (
        "DELIVERED",
        1,
        failed["eventId"],
    )
    assert oldest["status"] == "FAILED"  # history stays
    assert len(receiver.requests) == 3
    assert len({r.json["id"] for r in receiver.requests}) == 1


async def test_events_follow_what_readers_can_see(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with Receiver() as receiver, api_client(fresh_demo_url, **FAST) as api:
        await create_webhook(api, admin, receiver.url, ALL_EVENTS)

        # A draft changes: readers see nothing, so nothing is sent.
        await retitle(api, editor, NUCLEAR_RU_DRAFT, "Черновик")
        # A failed change writes nothing, its event included.
        stale = await article_of(api, editor, NUCLEAR_TR)
        conflict = await api.data(
            UPDATE_ARTICLE,
            {"input": {"id": stale["id"], "expectedVersion": 1, "title": "Stale"}},
            headers=editor,
        )
        assert conflict["updateArticle"]["__typename"] == "ConflictError"

        # Now, in order: publish the draft, change it, withdraw it, delete it, change an author.
        draft = await article_of(api, editor, NUCLEAR_RU_DRAFT)
        await graphql(api, PUBLISH, {"input": {"id": draft["id"]}}, editor, "publishArticle")
        await receiver.wait_for(1)
        await retitle(api, editor, NUCLEAR_RU_DRAFT, "Будущее ядерного контроля")
        await receiver.wait_for(2)
        await graphql(api, UNPUBLISH, {"input": {"id": draft["id"]}}, editor, "unpublishArticle")
        await receiver.wait_for(3)
        await graphql(api, DELETE, {"input": {"id": draft["id"]}}, editor, "deleteArticle")
        await receiver.wait_for(4)
        authors = await api.data('{ author(slug: "irina-sokolova") { id } }')
        await graphql(
            api,
            UPDATE_AUTHOR,
            {"input": {"id": authors["author"]["id"], "name": "Irina Sokolova-Berg"}},
            admin,
            "updateAuthor",
        )
        requests = await receiver.wait_for(5)
        await asyncio.sleep(0.3)  # a few more polls: nothing else may arrive
    assert [r.json["type"] for r in receiver.requests] == [
        "ARTICLE_PUBLISHED",
        "ARTICLE_UPDATED",
        "ARTICLE_UNPUBLISHED",
        "ARTICLE_DELETED",
        "AUTHOR_UPDATED",
    ]
    assert {r.json["article"]["id"] for r in requests[:4]} == {draft["id"]}
    author = requests[4].json
    assert author["author"] == {
        "id": authors["author"]["id"],
        "slug": "irina-sokolova",
        "name": "Irina Sokolova-Berg",
    }
    author_pk = int(base64.b64decode(author["author"]["id"]).decode().split(":")[1])
    assert author["surrogateKeys"] == [f"author:{author_pk}"]


async def test_a_webhook_receives_only_the_types_it_chose(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with (
        Receiver() as published,
        Receiver() as everything,
        api_client(fresh_demo_url, **FAST) as api,
    ):
        await create_webhook(api, admin, published.url, ["ARTICLE_PUBLISHED"])
        await create_webhook(api, admin, everything.url, ["ARTICLE_UPDATED", "ARTICLE_PUBLISHED"])
        await retitle(api, editor, NUCLEAR_EN, "Only the second hears this")
        draft = await article_of(api, editor, NUCLEAR_RU_DRAFT)
        await graphql(api, PUBLISH, {"input": {"id": draft["id"]}}, editor, "publishArticle")
        await everything.wait_for(2)
        await published.wait_for(1)
        await wait_until_settled(api, admin, count=3)
    assert [r.json["type"] for r in published.requests] == ["ARTICLE_PUBLISHED"]
    assert sorted(r.json["type"] for r in everything.requests) == [
        "ARTICLE_PUBLISHED",
        "ARTICLE_UPDATED",
    ]
    # One event, two deliveries: both receivers see the same event id.
    assert published.requests[0].json["id"] in {r.json["id"] for r in everything.requests}


async def test_a_scheduled_article_is_announced_when_its_time_comes(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with Receiver() as receiver, api_client(fresh_demo_url, **FAST) as api:
        await create_webhook(api, admin, receiver.url, ["ARTICLE_PUBLISHED"])
        draft = await article_of(api, editor, NUCLEAR_RU_DRAFT)
        publish_at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
        scheduled = await graphql(
            api,
            PUBLISH,
            {"input": {"id": draft["id"], "publishAt": publish_at.isoformat()}},
            editor,
            "publishArticle",
        )
        assert dt.datetime.fromisoformat(scheduled["article"]["publishedAt"]) == publish_at

        # The dispatcher polls every 50 ms meanwhile: nothing may go out before the time.
        while dt.datetime.now(dt.UTC) < publish_at - dt.timedelta(milliseconds=200):
            assert receiver.requests == []
            await asyncio.sleep(0.05)
        [request] = await receiver.wait_for(1, within=10)
        await asyncio.sleep(0.3)
    assert len(receiver.requests) == 1  # announced once
    assert request.at >= publish_at
    payload = request.json
    assert payload["type"] == "ARTICLE_PUBLISHED"
    assert payload["article"]["id"] == draft["id"]
    assert dt.datetime.fromisoformat(payload["article"]["publishedAt"]) == publish_at
    assert dt.datetime.fromisoformat(payload["occurredAt"]) >= publish_at


async def test_rescheduling_a_visible_article_withdraws_it_until_then(
    fresh_demo_url: str,
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with Receiver() as receiver, api_client(fresh_demo_url, **FAST) as api:
        await create_webhook(api, admin, receiver.url, ALL_EVENTS)
        article = await article_of(api, editor, NUCLEAR_TR)
        later = dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
        await graphql(
            api,
            PUBLISH,
            {"input": {"id": article["id"], "publishAt": later.isoformat()}},
            editor,
            "publishArticle",
        )
        [request] = await receiver.wait_for(1)
        # Changing it while scheduled tells nobody anything.
        await retitle(api, editor, NUCLEAR_TR, "Sonra")
        await asyncio.sleep(0.3)
    assert request.json["type"] == "ARTICLE_UNPUBLISHED"
    assert len(receiver.requests) == 1


async def test_delivery_time_checks_refuse_private_addresses(fresh_demo_url: str) -> None:
    """A URL accepted once may resolve elsewhere later: every attempt checks again."""
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with Receiver() as receiver:
        async with api_client(fresh_demo_url, **FAST, webhooks_dispatcher=False) as api:
            await create_webhook(api, admin, receiver.url, ["ARTICLE_UPDATED"])
        strict = {**FAST, "webhooks_allow_private": False, "webhooks_max_attempts": 1}
        async with api_client(fresh_demo_url, **strict) as api:
            await retitle(api, editor, NUCLEAR_EN, "Never sent")
            [delivery] = await wait_until_settled(api, admin, count=1)
    assert delivery["status"] == "FAILED"
    assert "127.0.0.1" in delivery["lastError"] and "private" in delivery["lastError"]
    assert delivery["lastStatusCode"] is None
    assert receiver.requests == []


async def test_events_wait_for_a_dispatcher(fresh_demo_url: str) -> None:
    """Committed with no dispatcher running, delivered by the next one to start."""
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with Receiver() as receiver:
        async with api_client(fresh_demo_url, **FAST, webhooks_dispatcher=False) as api:
            await create_webhook(api, admin, receiver.url, ["ARTICLE_UPDATED"])
            await retitle(api, editor, NUCLEAR_EN, "Written while nobody delivers")
            await asyncio.sleep(0.3)
            assert receiver.requests == []
            [pending] = await deliveries(api, admin)
            assert (pending["status"], pending["attempts"]) == ("PENDING", 0)
        async with api_client(fresh_demo_url, **FAST) as api:
            [request] = await receiver.wait_for(1)
            [delivered] = await wait_until_settled(api, admin, count=1)
    assert request.json["article"]["title"] == "Written while nobody delivers"
    assert delivered["status"] == "DELIVERED"


async def test_withdrawing_an_article_loaded_around_the_services_is_announced(
    fresh_demo_url: str,
) -> None:
    """Bulk loads write rows without publication markers; the last revision tells."""
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    engine = create_engine(fresh_demo_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(delete(PublicationMarker))
    finally:
        await engine.dispose()
    async with Receiver() as receiver, api_client(fresh_demo_url, **FAST) as api:
        await create_webhook(api, admin, receiver.url, ALL_EVENTS)
        article = await article_of(api, editor, NUCLEAR_TR)
        await graphql(api, UNPUBLISH, {"input": {"id": article["id"]}}, editor, "unpublishArticle")
        draft = await article_of(api, editor, NUCLEAR_RU_DRAFT)
        await graphql(api, DELETE, {"input": {"id": draft["id"]}}, editor, "deleteArticle")
        await receiver.wait_for(2)
        await asyncio.sleep(0.3)
    assert [(r.json["type"], r.json["article"]["id"]) for r in receiver.requests] == [
        ("ARTICLE_UNPUBLISHED", article["id"]),
        ("ARTICLE_DELETED", draft["id"]),
    ]
