"""Translation tasks (assignments of a story's translation to a translator), the marks of
machine-translated segments, and the webhook events TRANSLATION_OUTDATED and
TRANSLATION_SUBMITTED (the CHECK constraint on ``webhook_events.type`` is replaced as 0010
does).

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-03 08:00:00
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_media_events = importlib.import_module("migrations.versions.0010_media_webhook_events")
BEFORE = importlib.import_module("migrations.versions.0018_site_webhook_event").AFTER
AFTER = (*BEFORE, "TRANSLATION_OUTDATED", "TRANSLATION_SUBMITTED")

STATUSES = ("ASSIGNED", "IN_PROGRESS", "SUBMITTED", "DONE", "CANCELLED")
OPEN = "status IN ('ASSIGNED', 'IN_PROGRESS', 'SUBMITTED')"


def upgrade() -> None:
    op.create_table(
        "translation_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("assignee_token_id", sa.Integer(), nullable=True),
        sa.Column("assignee_name", sa.String(length=200), nullable=True),
        sa.Column("assignee_email", sa.String(length=320), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                *STATUSES,
                name="translation_task_status",
                native_enum=False,
                length=20,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "assignee_token_id IS NOT NULL OR assignee_name IS NOT NULL",
            name=op.f("ck_translation_tasks_has_assignee"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_translation_tasks_version_positive")),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name=op.f("fk_translation_tasks_story_id_stories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["language"],
            ["languages.code"],
            name=op.f("fk_translation_tasks_language_languages"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["assignee_token_id"],
            ["api_tokens.id"],
            name=op.f("fk_translation_tasks_assignee_token_id_api_tokens"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_translation_tasks")),
    )
    op.create_index(
        op.f("ix_translation_tasks_story_id"), "translation_tasks", ["story_id"], unique=False
    )
    op.create_index(
        op.f("ix_translation_tasks_assignee_token_id"),
        "translation_tasks",
        ["assignee_token_id"],
        unique=False,
    )
    op.create_index("ix_translation_tasks_listing", "translation_tasks", ["status", "due_on", "id"])
    op.create_index(
        "ux_translation_tasks_open",
        "translation_tasks",
        ["story_id", "language"],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )
    op.create_table(
        "machine_translated_segments",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("provider", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_machine_translated_segments_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "article_id", "segment_id", name=op.f("pk_machine_translated_segments")
        ),
    )
    _media_events._change(AFTER)


def downgrade() -> None:
    op.execute(
        "DELETE FROM webhook_events WHERE type IN ('TRANSLATION_OUTDATED', 'TRANSLATION_SUBMITTED')"
    )
    _media_events._change(BEFORE)
    op.drop_table("machine_translated_segments")
    op.drop_table("translation_tasks")
