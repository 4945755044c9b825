"""Administrators manage webhooks: create, change, delete, list, read deliveries, redeliver.

Every function runs inside the caller's transaction and writes nothing unless the whole input
is valid. URL checks that resolve DNS run before the first statement, so no database lock is
held while a resolver is slow.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor, Permission, Role
from publishing.errors import Issues, NotFoundError
from publishing.unset import UNSET, Unset
from publishing.webhooks.addresses import AddressRefused, parse_url, public_addresses
from publishing.webhooks.models import (
    DeliveryStatus,
    EventType,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
)
from publishing.webhooks.signing import new_secret

__all__ = [
    "CreatedWebhook",
    "DeliveryView",
    "NewWebhook",
    "WebhookChanges",
    "create_webhook",
    "delete_webhook",
    "delivery_counts",
    "list_webhooks",
    "recent_deliveries",
    "redeliver",
    "update_webhook",
]

MIN_SECRET = 16
MAX_SECRET = 200
MAX_DESCRIPTION = 200
MANAGE_WEBHOOKS = Permission(Role.ADMIN, "Managing webhooks")


@dataclass(frozen=True, slots=True)
class NewWebhook:
    url: str
    events: Sequence[EventType]
    secret: str | None = None  # None: one is generated
    description: str | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class WebhookChanges:
    """A partial update: UNSET leaves a field as it is."""

    url: str | Unset = UNSET
    events: Sequence[EventType] | Unset = UNSET
    secret: str | Unset = UNSET
    description: str | Unset | None = UNSET
    active: bool | Unset = UNSET


@dataclass(frozen=True, slots=True)
class CreatedWebhook:
    webhook: Webhook
    secret: str  # shown to the creator once; never returned again


@dataclass(frozen=True, slots=True)
class DeliveryView:
    """A delivery with the event it carries."""

    id: int
    webhook_id: int
    event_id: str
    event_type: EventType
    occurred_at: dt.datetime
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    created_at: dt.datetime


# -- checks ----------------------------------------------------------------------------------


async def _check_url(issues: Issues, url: str, *, allow_private: bool) -> str:
    url = url.strip()
    try:
        target = parse_url(url)
        if not allow_private:
            await public_addresses(target)
    except AddressRefused as refused:
        issues.add(("url",), refused.code, refused.message)
    return url


def _check_events(issues: Issues, events: Sequence[EventType]) -> list[str]:
    if not events:
        issues.add(("events",), "REQUIRED", "Choose at least one event type.")
    return list(dict.fromkeys(e.value for e in events))


def _check_secret(issues: Issues, secret: str) -> None:
    if not MIN_SECRET <= len(secret) <= MAX_SECRET:
        issues.add(
            ("secret",),
            "INVALID_LENGTH",
            f"A secret has {MIN_SECRET} to {MAX_SECRET} characters; leave it out to get one.",
        )
    elif not all(c.isascii() and c.isprintable() and not c.isspace() for c in secret):
        issues.add(("secret",), "INVALID_FORMAT", "A secret is printable ASCII without blanks.")


def _check_description(issues: Issues, description: str | None) -> str | None:
    if description is None or not description.strip():
        return None
    if len(description) > MAX_DESCRIPTION:
        issues.add(
            ("description",),
            "TOO_LONG",
            f"A description has at most {MAX_DESCRIPTION} characters.",
        )
    return description.strip()


async def get_webhook(session: AsyncSession, webhook_id: int) -> Webhook:
    webhook = await session.get(Webhook, webhook_id)
    if webhook is None:
        raise NotFoundError("webhook", webhook_id)
    return webhook


# -- the operations --------------------------------------------------------------------------


async def create_webhook(
    session: AsyncSession, actor: Actor, data: NewWebhook, *, allow_private: bool, now: dt.datetime
) -> CreatedWebhook:
    actor.require(MANAGE_WEBHOOKS)
    issues = Issues()
    url = await _check_url(issues, data.url, allow_private=allow_private)
    events = _check_events(issues, data.events)
    if data.secret is not None:
        _check_secret(issues, data.secret)
    description = _check_description(issues, data.description)
    issues.raise_if_any()

    secret = data.secret if data.secret is not None else new_secret()
    webhook = Webhook(
        url=url,
        events=events,
        secret=secret,
        description=description,
        active=data.active,
        created_at=now,
        updated_at=now,
    )
    session.add(webhook)
    await session.flush()
    return CreatedWebhook(webhook, secret)


async def update_webhook(
    session: AsyncSession,
    actor: Actor,
    webhook_id: int,
    changes: WebhookChanges,
    *,
    allow_private: bool,
    now: dt.datetime,
) -> Webhook:
    actor.require(MANAGE_WEBHOOKS)
    issues = Issues()
    url: str | Unset = UNSET
    if changes.url is not UNSET:
        url = await _check_url(issues, changes.url, allow_private=allow_private)
    events = UNSET if changes.events is UNSET else _check_events(issues, changes.events)
    if changes.secret is not UNSET:
        _check_secret(issues, changes.secret)
    description = (
        UNSET if changes.description is UNSET else _check_description(issues, changes.description)
    )
    webhook = await get_webhook(session, webhook_id)
    issues.raise_if_any()

    if url is not UNSET:
        webhook.url = url
    if events is not UNSET:
        webhook.events = events
    if changes.secret is not UNSET:
        webhook.secret = changes.secret
    if description is not UNSET:
        webhook.description = description
    if changes.active is not UNSET:
        webhook.active = changes.active
    webhook.updated_at = now
    await session.flush()
    return webhook


async def delete_webhook(session: AsyncSession, actor: Actor, webhook_id: int) -> int:
    """The webhook and its deliveries (pending ones are never sent)."""
    actor.require(MANAGE_WEBHOOKS)
    webhook = await get_webhook(session, webhook_id)
    await session.delete(webhook)
    await session.flush()
    return webhook_id


async def list_webhooks(session: AsyncSession, reader: Actor | None) -> list[Webhook]:
    MANAGE_WEBHOOKS.check(reader)
    return list(await session.scalars(select(Webhook).order_by(Webhook.id)))


def _deliveries() -> Select[tuple[WebhookDelivery, str, EventType, dt.datetime]]:
    """Deliveries with the id, type and time of the event each carries."""
    return select(
        WebhookDelivery, WebhookEvent.public_id, WebhookEvent.type, WebhookEvent.occurred_at
    ).join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)


def _view(
    delivery: WebhookDelivery, event_id: str, event_type: EventType, occurred_at: dt.datetime
) -> DeliveryView:
    return DeliveryView(
        id=delivery.id,
        webhook_id=delivery.webhook_id,
        event_id=event_id,
        event_type=event_type,
        occurred_at=occurred_at,
        status=delivery.status,
        attempts=delivery.attempts,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        next_attempt_at=delivery.next_attempt_at,
        last_attempt_at=delivery.last_attempt_at,
        delivered_at=delivery.delivered_at,
        created_at=delivery.created_at,
    )


async def recent_deliveries(
    session: AsyncSession, webhook_ids: Sequence[int], limit: int, before: int | None = None
) -> dict[int, list[DeliveryView]]:
    """The newest ``limit`` deliveries of each webhook (of those older than delivery
    ``before``, when given), newest first, in one statement."""
    rank = (
        func.row_number()
        .over(partition_by=WebhookDelivery.webhook_id, order_by=WebhookDelivery.id.desc())
        .label("rank")
    )
    ranked = select(WebhookDelivery.id, rank).where(WebhookDelivery.webhook_id.in_(webhook_ids))
    if before is not None:
        ranked = ranked.where(WebhookDelivery.id < before)
    page = ranked.subquery()
    statement = (
        _deliveries()
        .join(page, page.c.id == WebhookDelivery.id)
        .where(page.c.rank <= limit)
        .order_by(WebhookDelivery.webhook_id, WebhookDelivery.id.desc())
    )
    found: dict[int, list[DeliveryView]] = defaultdict(list)
    for delivery, event_id, event_type, occurred_at in await session.execute(statement):
        found[delivery.webhook_id].append(_view(delivery, event_id, event_type, occurred_at))
    return found


async def delivery_counts(session: AsyncSession, webhook_ids: Sequence[int]) -> dict[int, int]:
    """How many deliveries each webhook has had, in one statement."""
    statement = (
        select(WebhookDelivery.webhook_id, func.count(WebhookDelivery.id))
        .where(WebhookDelivery.webhook_id.in_(webhook_ids))
        .group_by(WebhookDelivery.webhook_id)
    )
    return {webhook_id: count for webhook_id, count in await session.execute(statement)}


async def redeliver(
    session: AsyncSession, actor: Actor, delivery_id: int, *, now: dt.datetime
) -> DeliveryView:
    """Send a delivery's event to its webhook once more, as a new delivery (the old one's
    history stays); receivers see the same event id and may deduplicate by it."""
    actor.require(MANAGE_WEBHOOKS)
    row = (await session.execute(_deliveries().where(WebhookDelivery.id == delivery_id))).first()
    if row is None:
        raise NotFoundError("webhook delivery", delivery_id)
    old, event_id, event_type, occurred_at = row
    delivery = WebhookDelivery(
        webhook_id=old.webhook_id,
        event_id=old.event_id,
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    await session.flush()
    return _view(delivery, event_id, event_type, occurred_at)
