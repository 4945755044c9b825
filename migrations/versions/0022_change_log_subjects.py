"""The change log names the article a change was about (its id, language and kind), what
happened to it, and whether the public could see that change: live subscriptions are fed
from the same log the caches read, drafts' changes included (their rows name no surrogate
key, so no cached answer drops for them).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 13:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("content_changes") as batch:
        batch.add_column(sa.Column("article_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("event", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("language", sa.String(length=35), nullable=True))
        batch.add_column(sa.Column("story_kind", sa.String(length=16), nullable=True))
        batch.add_column(
            sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    # Rows only subscribers read (drafts' changes) go with their columns.
    op.execute("DELETE FROM content_changes WHERE keys = ''")
    with op.batch_alter_table("content_changes") as batch:
        batch.drop_column("public")
        batch.drop_column("story_kind")
        batch.drop_column("language")
        batch.drop_column("event")
        batch.drop_column("article_id")
