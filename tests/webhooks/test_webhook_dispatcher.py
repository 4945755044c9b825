"""The dispatcher's rounds, at times the test sets: signing, retries and their backoff, the
last attempt, lapsed claims, failures of the network, address checks and pruning."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import httpx

from publishing.access import Role
from publishing.webhooks.delivery import USER_AGENT
from publishing.webhooks.dispatcher import dispatcher_for
from publishing.webhooks.signing import verify
from tests.support.tokens import bearer, issue_token
from tests.webhooks.harness import create_webhook, deliveries, graphql, retitle
from tests.webhooks.stepping import HOOK, STALL, Stepped, stepped

NUCLEAR_EN = ("en", "the-future-of-nuclear-verification")
REDELIVER = """mutation($input: RedeliverWebhookDeliveryInput!) {
  redeliverWebhookDelivery(input: $input) { __typename
    ... on RedeliverWebhookDeliverySuccess { delivery { id eventId status } } } }"""


async def _tokens(url: str) -> tuple[dict[str, str], dict[str, str]]:
    return (
        bearer(await issue_token(url, Role.ADMIN)),
        bearer(await issue_token(url, Role.EDITOR)),
    )


async def _one_change(webhooks: Stepped, url: str, title: str = "Revised") -> dict[str, Any]:
    """A webhook for updates and one update to send; returns the webhook as created."""
    admin, editor = await _tokens(url)
    created = await create_webhook(webhooks.api, admin, HOOK, ["ARTICLE_UPDATED"])
    await retitle(webhooks.api, editor, NUCLEAR_EN, title)
    return created


async def _delivery(webhooks: Stepped, url: str) -> dict[str, Any]:
    admin = bearer(await issue_token(url, Role.ADMIN))
    [delivery] = await deliveries(webhooks.api, admin)
    return delivery


def _at(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


async def test_a_delivery_is_signed_at_the_time_it_is_sent(fresh_demo_url: str) -> None:
    async with stepped(fresh_demo_url) as webhooks:
        created = await _one_change(webhooks, fresh_demo_url)
        # Due from the moment of the change; sent when a round runs, a little later.
        sent_at = webhooks.clock.advance(dt.timedelta(seconds=7))
        assert await webhooks.dispatcher.run_once() == 1
        delivery = await _delivery(webhooks, fresh_demo_url)
        assert await webhooks.dispatcher.run_once() == 0  # nothing left for a second round

    [request] = webhooks.receiver.requests
    assert webhooks.receiver.urls == [HOOK]
    header = request.headers["pressroom-signature"]
    assert header.startswith(f"t={int(sent_at.timestamp())},v1=")
    unix = int(sent_at.timestamp())
    assert verify(created["secret"], header, request.body, now=unix)
    # A receiver that refuses signatures older than five minutes refuses a replay.
    assert not verify(created["secret"], header, request.body, now=unix + 301)
    assert request.headers["user-agent"] == USER_AGENT
    assert request.headers["pressroom-event-id"] == request.json["id"]
    assert request.headers["pressroom-event-type"] == "ARTICLE_UPDATED"
    assert _at(request.json["occurredAt"]) == sent_at - dt.timedelta(seconds=7)
    assert (delivery["status"], delivery["attempts"], delivery["lastStatusCode"]) == (
        "DELIVERED",
        1,
        200,
    )
    assert _at(delivery["lastAttemptAt"]) == sent_at
    assert _at(delivery["deliveredAt"]) == sent_at
    assert delivery["nextAttemptAt"] is None


async def test_failed_attempts_are_retried_ever_later_up_to_the_cap(fresh_demo_url: str) -> None:
    """30 s after the first failure, then twice as long each time, never more than the cap;
    each with up to a tenth more of jitter."""
    async with stepped(fresh_demo_url, retry_delay=30, retry_delay_max=100) as webhooks:
        await _one_change(webhooks, fresh_demo_url)
        webhooks.receiver.answer(500, 503, 500, 200)
        for attempt, (code, base) in enumerate(((500, 30), (503, 60), (500, 100)), start=1):
            assert await webhooks.dispatcher.run_once() == 1
            failed = await _delivery(webhooks, fresh_demo_url)
            assert (failed["status"], failed["attempts"]) == ("PENDING", attempt)
            assert failed["lastStatusCode"] == code
            assert f"HTTP {code}" in failed["lastError"]
            attempted, next_attempt = _at(failed["lastAttemptAt"]), _at(failed["nextAttemptAt"])
            assert attempted == webhooks.clock.now()
            gap = (next_attempt - attempted).total_seconds()
            assert base <= gap <= base * 1.1, (attempt, gap)
            # A moment before it is due, a round sends nothing; at its time, the next one does.
            webhooks.clock.set(next_attempt - dt.timedelta(milliseconds=1))
            assert await webhooks.dispatcher.run_once() == 0
            assert len(webhooks.receiver.requests) == attempt
            webhooks.clock.set(next_attempt)
        assert await webhooks.dispatcher.run_once() == 1
        delivered = await _delivery(webhooks, fresh_demo_url)
        # Nothing else goes out, however long one waits: every round due in the month runs.
        await webhooks.later(dt.timedelta(days=30))

    requests = webhooks.receiver.requests
    assert len(requests) == 4
    assert len({r.body for r in requests}) == 1  # the same event, byte for byte
    assert (delivered["status"], delivered["attempts"]) == ("DELIVERED", 4)
    assert (delivered["lastStatusCode"], delivered["lastError"]) == (200, None)


async def test_after_the_last_attempt_it_fails_until_an_admin_redelivers(
    fresh_demo_url: str,
) -> None:
    async with stepped(fresh_demo_url, max_attempts=2) as webhooks:
        await _one_change(webhooks, fresh_demo_url, "Doomed, at first")
        webhooks.receiver.answer(500, 500)
        assert await webhooks.drain() == 1
        assert await webhooks.later(dt.timedelta(seconds=34)) == 1  # past the first retry
        failed = await _delivery(webhooks, fresh_demo_url)
        assert (failed["status"], failed["attempts"], failed["lastStatusCode"]) == (
            "FAILED",
            2,
            500,
        )
        assert failed["nextAttemptAt"] is None
        # No further retry, however long one waits: every round due in the week runs.
        await webhooks.later(dt.timedelta(days=7))
        assert len(webhooks.receiver.requests) == 2

        admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
        again = await graphql(
            webhooks.api,
            REDELIVER,
            {"input": {"deliveryId": failed["id"]}},
            admin,
            "redeliverWebhookDelivery",
        )
        assert (again["delivery"]["eventId"], again["delivery"]["status"]) == (
            failed["eventId"],
            "PENDING",
        )
        assert await webhooks.drain() == 1
        newest, oldest = await deliveries(webhooks.api, admin)

    assert (newest["status"], newest["attempts"], newest["eventId"]) == (
        "DELIVERED",
        1,
        failed["eventId"],
    )
    assert _at(newest["createdAt"]) == webhooks.clock.now()
    assert oldest["status"] == "FAILED"  # its history stays
    assert len({r.json["id"] for r in webhooks.receiver.requests}) == 1
    assert len(webhooks.receiver.requests) == 3


async def test_a_claim_whose_holder_died_is_sent_again_once_its_lease_lapses(
    fresh_demo_url: str,
) -> None:
    async with stepped(fresh_demo_url, lease=60) as webhooks:
        await _one_change(webhooks, fresh_demo_url, "Sent twice, received at least once")
        webhooks.receiver.answer(STALL)
        # The first dispatcher claims and sends, then dies before any answer is recorded.
        dying = asyncio.create_task(webhooks.dispatcher.run_once())
        await asyncio.wait_for(webhooks.receiver.arrived.wait(), 20)
        dying.cancel()
        await asyncio.gather(dying, return_exceptions=True)
        claimed = await _delivery(webhooks, fresh_demo_url)
        assert (claimed["status"], claimed["attempts"]) == ("DELIVERING", 1)

        # Another dispatcher leaves the claim alone while it holds, and takes it after.
        async with dispatcher_for(
            fresh_demo_url,
            webhooks.dispatcher.config,
            clock=webhooks.clock,
            transport=httpx.MockTransport(webhooks.receiver.handle),
        ) as other:
            webhooks.clock.advance(dt.timedelta(seconds=59))
            assert await other.run_once() == 0
            webhooks.clock.advance(dt.timedelta(seconds=1))
            assert await other.run_once() == 1
        delivered = await _delivery(webhooks, fresh_demo_url)

    first, second = webhooks.receiver.requests
    assert first.body == second.body
    assert (delivered["status"], delivered["attempts"]) == ("DELIVERED", 2)


async def test_what_goes_wrong_on_the_way_is_recorded_and_retried(fresh_demo_url: str) -> None:
    async with stepped(fresh_demo_url, timeout=0.2, lease=1) as webhooks:
        await _one_change(webhooks, fresh_demo_url)
        webhooks.receiver.answer(
            302,  # redirects are not followed: the receiver answers for itself
            httpx.ConnectError("Connection refused"),
            httpx.ReadTimeout("The read operation timed out"),
            STALL,  # the attempt's own time limit (a real wait of 0.2 s)
            200,
        )
        errors = []
        for _ in range(4):
            assert await webhooks.later(dt.timedelta(hours=1)) == 1
            failed = await _delivery(webhooks, fresh_demo_url)
            assert failed["status"] == "PENDING"
            errors.append((failed["lastStatusCode"], failed["lastError"]))
        assert await webhooks.later(dt.timedelta(hours=1)) == 1
        delivered = await _delivery(webhooks, fresh_demo_url)

    assert errors == [
        (302, "The receiver answered HTTP 302."),
        (None, "ConnectError: Connection refused"),
        (None, "No answer within 0.2 s."),
        (None, "No answer within 0.2 s."),
    ]
    assert (delivered["status"], delivered["attempts"]) == ("DELIVERED", 5)


async def test_each_attempt_checks_the_address_again(fresh_demo_url: str) -> None:
    """Saved when private addresses were allowed; sent by a dispatcher that refuses them."""
    async with stepped(fresh_demo_url, allow_private=False, max_attempts=1) as webhooks:
        admin, editor = await _tokens(fresh_demo_url)
        await create_webhook(webhooks.api, admin, "http://127.0.0.1:9/hooks", ["ARTICLE_UPDATED"])
        await retitle(webhooks.api, editor, NUCLEAR_EN, "Never sent")
        assert await webhooks.drain() == 1
        refused = await _delivery(webhooks, fresh_demo_url)
    assert refused["status"] == "FAILED"
    assert "127.0.0.1" in refused["lastError"] and "private" in refused["lastError"]
    assert refused["lastStatusCode"] is None
    assert webhooks.receiver.requests == []  # the attempt ended before any connection


async def test_finished_deliveries_go_after_the_retention(fresh_demo_url: str) -> None:
    async with stepped(fresh_demo_url, retention=dt.timedelta(days=30)) as webhooks:
        await _one_change(webhooks, fresh_demo_url)
        assert await webhooks.drain() == 1
        admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
        # An idle round prunes (at most once an hour): 29 days on, the delivery stays ...
        await webhooks.later(dt.timedelta(days=29))
        assert len(await deliveries(webhooks.api, admin)) == 1
        # ... and two days later it is gone, with its event.
        await webhooks.later(dt.timedelta(days=2))
        assert await deliveries(webhooks.api, admin) == []
    assert len(webhooks.receiver.requests) == 1
