"""Webhook event SITE_UPDATED (updateSite changed the address, titles or permalinks) joins the
types an event may have: the CHECK constraint on ``webhook_events.type`` is replaced as 0010
does.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 19:45:00
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_media_events = importlib.import_module("migrations.versions.0010_media_webhook_events")
BEFORE = importlib.import_module("migrations.versions.0013_sections_and_menus").AFTER
AFTER = (*BEFORE, "SITE_UPDATED")


def upgrade() -> None:
    _media_events._change(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM webhook_events WHERE type = 'SITE_UPDATED'")
    _media_events._change(BEFORE)
