from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from publishing.db import Base, UTCDateTime, portable_enum


class TaskStatus(enum.StrEnum):
    ASSIGNED = "ASSIGNED"  # nobody has started a translation yet
    IN_PROGRESS = "IN_PROGRESS"  # the translation exists and is being written
    SUBMITTED = "SUBMITTED"  # the translator handed it in: an editor reviews it
    DONE = "DONE"  # the translation was published
    CANCELLED = "CANCELLED"


# The statuses of work still to do (by the translator or by the reviewing editor).
OPEN_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED)
# Work the translator still owes: only these are ever overdue.
UNSUBMITTED_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS)

_OPEN_SQL = "status IN ('ASSIGNED', 'IN_PROGRESS', 'SUBMITTED')"


class TranslationTask(Base):
    """A story to be translated into ``language`` by an assignee: a translator's token (who
    then sees the task with that token) or a person named by name and email (an agency)."""

    __tablename__ = "translation_tasks"
    __table_args__ = (
        CheckConstraint(
            "assignee_token_id IS NOT NULL OR assignee_name IS NOT NULL", name="has_assignee"
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        # One open task per story and language: two translators never translate one text
        # unknowingly.
        Index(
            "ux_translation_tasks_open",
            "story_id",
            "language",
            unique=True,
            sqlite_where=_OPEN_SQL,
            postgresql_where=_OPEN_SQL,
        ),
        Index("ix_translation_tasks_listing", "status", "due_on", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(ForeignKey("languages.code", ondelete="RESTRICT"))
    assignee_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_tokens.id", ondelete="SET NULL"), index=True
    )
    # A person without a token here (an agency's translator), or a token holder's own name.
    assignee_name: Mapped[str | None] = mapped_column(String(200))
    assignee_email: Mapped[str | None] = mapped_column(String(320))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[TaskStatus] = mapped_column(
        portable_enum(TaskStatus, "translation_task_status"), default=TaskStatus.ASSIGNED
    )
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # When the translation was last submitted; when the task was done or cancelled.
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
