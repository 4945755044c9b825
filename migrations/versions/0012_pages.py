"""Pages: a story has a kind, ARTICLE or PAGE; PAGE_PUBLISHED, PAGE_UPDATED, PAGE_UNPUBLISHED
and PAGE_DELETED join the webhook event types.

A page's language versions are rows of ``articles`` like an article's, so slugs stay unique
per language across both kinds. Existing stories are articles (the column's default).

``stories.kind`` is added in place on both backends: SQLite adds a column with its own CHECK
without rebuilding the table (rebuilding ``stories``, which other tables reference with ON
DELETE CASCADE, would delete their rows). The CHECK on ``webhook_events.type`` is replaced as
0010 replaces it: in place on PostgreSQL, by a rebuild that keeps the deliveries on SQLite.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-09 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KIND_CONSTRAINT = "ck_stories_story_kind"
KINDS = ("ARTICLE", "PAGE")

PAGE_EVENTS = ("PAGE_PUBLISHED", "PAGE_UPDATED", "PAGE_UNPUBLISHED", "PAGE_DELETED")
BEFORE = (
    "ARTICLE_PUBLISHED",
    "ARTICLE_UPDATED",
    "ARTICLE_UNPUBLISHED",
    "ARTICLE_DELETED",
    "AUTHOR_UPDATED",
    "AUTHOR_DELETED",
    "MEDIA_CREATED",
    "MEDIA_UPDATED",
    "MEDIA_DELETED",
)
AFTER = (*BEFORE, *PAGE_EVENTS)
EVENT_CONSTRAINT = "ck_webhook_events_webhook_event_type"


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _sqlite_rebuild_events(types: Sequence[str]) -> None:
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
        sa.CheckConstraint(_in("type", types), name=op.f(EVENT_CONSTRAINT)),
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


def _event_types(types: Sequence[str]) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_rebuild_events(types)
        return
    op.drop_constraint(op.f(EVENT_CONSTRAINT), "webhook_events", type_="check")
    op.create_check_constraint(op.f(EVENT_CONSTRAINT), "webhook_events", _in("type", types))


def upgrade() -> None:
    # One statement on both backends: NOT NULL with a default fills existing rows, and the
    # CHECK is part of the column (SQLite can add a column with constraints, not a table's).
    op.execute(
        "ALTER TABLE stories ADD COLUMN kind VARCHAR(20) DEFAULT 'ARTICLE' NOT NULL "
        f"CONSTRAINT {KIND_CONSTRAINT} CHECK ({_in('kind', KINDS)})"
    )
    _event_types(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM webhook_events WHERE " + _in("type", PAGE_EVENTS))
    _event_types(BEFORE)
    # Pages have no place without the column: they go, with their versions (ON DELETE
    # CASCADE takes footnotes, credits, revisions, media links and search rows; SQLite's
    # full-text tables keep entries no search returns, since results join ``articles``).
    op.execute("DELETE FROM stories WHERE kind = 'PAGE'")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE stories DROP COLUMN kind")
        return
    op.drop_column("stories", "kind")
