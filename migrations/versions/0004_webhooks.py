"""Webhooks: subscriptions, the outbox of events, deliveries, and publication markers.

Articles published before this revision count as announced when readers can already see
them, so the dispatcher does not announce the whole archive; scheduled ones are announced
when their time comes.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-28 03:19:33.312305
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=40), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "ARTICLE_PUBLISHED",
                "ARTICLE_UPDATED",
                "ARTICLE_UNPUBLISHED",
                "ARTICLE_DELETED",
                "AUTHOR_UPDATED",
                "AUTHOR_DELETED",
                name="webhook_event_type",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
        sa.UniqueConstraint("public_id", name=op.f("uq_webhook_events_public_id")),
    )
    op.create_index(
        "ix_webhook_events_occurred_at", "webhook_events", ["occurred_at"], unique=False
    )
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "PENDING",
                "DELIVERING",
                "DELIVERED",
                "FAILED",
                name="webhook_delivery_status",
                native_enum=False,
                create_constraint=True,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.String(length=40), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["webhook_events.id"],
            name=op.f("fk_webhook_deliveries_event_id_webhook_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhooks.id"],
            name=op.f("fk_webhook_deliveries_webhook_id_webhooks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
    )
    op.create_index(
        "ix_webhook_deliveries_due",
        "webhook_deliveries",
        ["status", "next_attempt_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_webhook_deliveries_event_id"), "webhook_deliveries", ["event_id"], unique=False
    )
    op.create_index(
        "ix_webhook_deliveries_webhook", "webhook_deliveries", ["webhook_id", "id"], unique=False
    )
    op.create_table(
        "webhook_publications",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_webhook_publications_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_webhook_publications")),
    )
    op.create_index(
        "ix_webhook_publications_due",
        "webhook_publications",
        ["announced_at", "published_at"],
        unique=False,
    )
    _mark_existing_publications()


def _mark_existing_publications() -> None:
    now = dt.datetime.now(dt.UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # SQLite stores UTC without an offset
    timestamp = sa.DateTime(timezone=True)
    articles = sa.table(
        "articles", sa.column("id"), sa.column("status"), sa.column("published_at", timestamp)
    )
    markers = sa.table(
        "webhook_publications",
        sa.column("article_id"),
        sa.column("published_at", timestamp),
        sa.column("announced_at", timestamp),
    )
    visible = articles.c.published_at <= sa.literal(now, timestamp)
    op.execute(
        markers.insert().from_select(
            ["article_id", "published_at", "announced_at"],
            sa.select(
                articles.c.id,
                articles.c.published_at,
                sa.case((visible, articles.c.published_at), else_=sa.null()),
            ).where(articles.c.status == "PUBLISHED", articles.c.published_at.is_not(None)),
        )
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_publications_due", table_name="webhook_publications")
    op.drop_table("webhook_publications")
    op.drop_index("ix_webhook_deliveries_webhook", table_name="webhook_deliveries")
    op.drop_index(op.f("ix_webhook_deliveries_event_id"), table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_due", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhooks")
    op.drop_index("ix_webhook_events_occurred_at", table_name="webhook_events")
    op.drop_table("webhook_events")
