"""Webhook subscriptions, the outbox of events, their deliveries, and which publications the
subscribers have been told about."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from publishing.db import Base, UTCDateTime, portable_enum


class EventType(enum.StrEnum):
    ARTICLE_PUBLISHED = "ARTICLE_PUBLISHED"
    ARTICLE_UPDATED = "ARTICLE_UPDATED"
    ARTICLE_UNPUBLISHED = "ARTICLE_UNPUBLISHED"
    ARTICLE_DELETED = "ARTICLE_DELETED"
    AUTHOR_UPDATED = "AUTHOR_UPDATED"
    AUTHOR_DELETED = "AUTHOR_DELETED"
    MEDIA_CREATED = "MEDIA_CREATED"
    MEDIA_UPDATED = "MEDIA_UPDATED"
    MEDIA_DELETED = "MEDIA_DELETED"
    PAGE_PUBLISHED = "PAGE_PUBLISHED"
    PAGE_UPDATED = "PAGE_UPDATED"
    PAGE_UNPUBLISHED = "PAGE_UNPUBLISHED"
    PAGE_DELETED = "PAGE_DELETED"
    SECTION_CREATED = "SECTION_CREATED"
    SECTION_UPDATED = "SECTION_UPDATED"
    SECTION_DELETED = "SECTION_DELETED"
    MENU_UPDATED = "MENU_UPDATED"
    SITE_UPDATED = "SITE_UPDATED"
    TRANSLATION_OUTDATED = "TRANSLATION_OUTDATED"
    TRANSLATION_SUBMITTED = "TRANSLATION_SUBMITTED"


class DeliveryStatus(enum.StrEnum):
    PENDING = "PENDING"  # waiting for its (next) attempt
    DELIVERING = "DELIVERING"  # claimed by a dispatcher until claimed_until
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"  # every attempt failed; an admin may redeliver it


class Webhook(Base):
    """An administrator's subscription: which events go to which URL, signed with a secret."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    # Event type names (EventType values) this webhook receives.
    events: Mapped[list[str]] = mapped_column(JSON)
    # Kept readable, not hashed: every delivery is signed with it (HMAC needs the key itself).
    secret: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class WebhookEvent(Base):
    """One thing that happened, written in the same transaction as the change that caused it.
    The body is stored exactly as sent, so every attempt and redelivery sends the same bytes."""

    __tablename__ = "webhook_events"
    __table_args__ = (Index("ix_webhook_events_occurred_at", "occurred_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The id receivers see (payload and Pressroom-Event-Id): opaque, stable across retries.
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[EventType] = mapped_column(
        portable_enum(EventType, "webhook_event_type", length=30)
    )
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    body: Mapped[str] = mapped_column(Text)


class WebhookDelivery(Base):
    """One event on its way to one webhook: the dispatcher's work queue and its history."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # The dispatcher's "what is due" scan.
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        # A webhook's recent deliveries, newest first.
        Index("ix_webhook_deliveries_webhook", "webhook_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_events.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[DeliveryStatus] = mapped_column(
        portable_enum(DeliveryStatus, "webhook_delivery_status", length=30),
        default=DeliveryStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # While DELIVERING: when the claim lapses and another dispatcher may retry (at least once).
    claimed_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Which claim the dispatcher holds: a result is recorded only by the claim's holder.
    claim_token: Mapped[str | None] = mapped_column(String(40))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PublicationMarker(Base):
    """The current publication of an article and whether subscribers were told of it.

    A scheduled article is announced (ARTICLE_PUBLISHED) when its time comes, not when it is
    scheduled: the dispatcher finds markers that are due and not yet announced. Knowing what
    was announced also says whether a withdrawal is news to anyone.
    """

    __tablename__ = "webhook_publications"
    __table_args__ = (Index("ix_webhook_publications_due", "announced_at", "published_at"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # None while the publication is scheduled and not yet announced.
    announced_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
