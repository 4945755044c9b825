"""Webhook events for media: MEDIA_CREATED, MEDIA_UPDATED, MEDIA_DELETED join the types an
event may have (a CHECK constraint on ``webhook_events.type``).

PostgreSQL replaces the constraint in place. SQLite cannot alter a constraint, so the table is
rebuilt (a copy with the new constraint, the original dropped, the copy renamed). Dropping
``webhook_events`` with foreign keys on deletes its rows first, and with them, by their ON
DELETE CASCADE, every delivery: the deliveries are kept aside and put back.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 15:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = (
    "ARTICLE_PUBLISHED",
    "ARTICLE_UPDATED",
    "ARTICLE_UNPUBLISHED",
    "ARTICLE_DELETED",
    "AUTHOR_UPDATED",
    "AUTHOR_DELETED",
)
AFTER = (*BEFORE, "MEDIA_CREATED", "MEDIA_UPDATED", "MEDIA_DELETED")
CONSTRAINT = "ck_webhook_events_webhook_event_type"


def _check(types: Sequence[str]) -> str:
    return "type IN (" + ", ".join(f"'{t}'" for t in types) + ")"


def _sqlite_rebuild(types: Sequence[str]) -> None:
    # Kept aside first: dropping the old table deletes every delivery (ON DELETE CASCADE),
    # and foreign keys cannot be turned off inside the migration's transaction.
    op.execute("CREATE TABLE _webhook_deliveries_kept AS SELECT * FROM webhook_deliveries")
    op.create_table(
        "_webhook_events_new",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
        sa.UniqueConstraint("public_id", name=op.f("uq_webhook_events_public_id")),
        sa.CheckConstraint(_check(types), name=op.f(CONSTRAINT)),
    )
    op.execute(
        "INSERT INTO _webhook_events_new (id, public_id, type, occurred_at, body) "
        "SELECT id, public_id, type, occurred_at, body FROM webhook_events"
    )
    op.drop_index("ix_webhook_events_occurred_at", table_name="webhook_events")
    op.execute("DROP TABLE webhook_events")
    op.execute("ALTER TABLE _webhook_events_new RENAME TO webhook_events")
    op.create_index(
        "ix_webhook_events_occurred_at", "webhook_events", ["occurred_at"], unique=False
    )
    op.execute("INSERT INTO webhook_deliveries SELECT * FROM _webhook_deliveries_kept")
    op.execute("DROP TABLE _webhook_deliveries_kept")


def _change(types: Sequence[str]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_rebuild(types)
        return
    op.drop_constraint(op.f(CONSTRAINT), "webhook_events", type_="check")
    op.create_check_constraint(op.f(CONSTRAINT), "webhook_events", _check(types))


def upgrade() -> None:
    _change(AFTER)


def downgrade() -> None:
    op.execute(
        "DELETE FROM webhook_events WHERE type IN "
        "('MEDIA_CREATED', 'MEDIA_UPDATED', 'MEDIA_DELETED')"
    )
    _change(BEFORE)
