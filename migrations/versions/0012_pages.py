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

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KIND_CONSTRAINT = "ck_stories_story_kind"
KINDS = ("ARTICLE", "PAGE")

PAGE_EVENTS = ("PAGE_PUBLISHED", "PAGE_UPDATED", "PAGE_UNPUBLISHED", "PAGE_DELETED")
# The event-type constraint is replaced by 0010's own step, with the page events added.
_media_events = importlib.import_module("migrations.versions.0010_media_webhook_events")
BEFORE = _media_events.AFTER
AFTER = (*BEFORE, *PAGE_EVENTS)


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    # One statement on both backends: NOT NULL with a default fills existing rows, and the
    # CHECK is part of the column (SQLite can add a column with constraints, not a table's).
    op.execute(
        "ALTER TABLE stories ADD COLUMN kind VARCHAR(20) DEFAULT 'ARTICLE' NOT NULL "
        f"CONSTRAINT {KIND_CONSTRAINT} CHECK ({_in('kind', KINDS)})"
    )
    _media_events._change(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM webhook_events WHERE " + _in("type", PAGE_EVENTS))
    _media_events._change(BEFORE)
    # Pages have no place without the column: they go, with their versions (ON DELETE
    # CASCADE takes footnotes, credits, revisions, media links and search rows; SQLite's
    # full-text tables keep entries no search returns, since results join ``articles``).
    op.execute("DELETE FROM stories WHERE kind = 'PAGE'")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE stories DROP COLUMN kind")
        return
    op.drop_column("stories", "kind")
