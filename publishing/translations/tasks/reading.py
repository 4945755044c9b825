"""Listing translation tasks: soonest due first (undated last), filtered, in keyset pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor, Role
from publishing.tokens.models import ApiToken
from publishing.translations.tasks.models import (
    OPEN_STATUSES,
    UNSUBMITTED_STATUSES,
    TaskStatus,
    TranslationTask,
)


@dataclass(frozen=True, slots=True)
class TaskKey:
    """A task's place in the listing: its due date (None: undated, listed last), then id."""

    due_on: dt.date | None
    id: int


@dataclass(frozen=True, slots=True)
class TaskFilter:
    language: str | None = None
    # A token's name, or an assignee's name or email (any letter case).
    assignee: str | None = None
    statuses: tuple[TaskStatus, ...] = OPEN_STATUSES
    # True: only work past its due date that was not handed in; False: none of it.
    overdue: bool | None = None


@dataclass(frozen=True, slots=True)
class TaskView:
    """A task as it is shown: with the name of the token it is assigned to, if any."""

    task: TranslationTask
    token_name: str | None

    @property
    def key(self) -> TaskKey:
        return TaskKey(self.task.due_on, self.task.id)


def overdue_clause(today: dt.date) -> ColumnElement[bool]:
    return and_(
        TranslationTask.due_on.is_not(None),
        TranslationTask.due_on < today,
        TranslationTask.status.in_(UNSUBMITTED_STATUSES),
    )


def is_overdue(task: TranslationTask, today: dt.date) -> bool:
    return task.due_on is not None and task.due_on < today and task.status in UNSUBMITTED_STATUSES


def _visible_to(reader: Actor) -> ColumnElement[bool]:
    """Editors see every task; a contributor, those assigned to their token."""
    if reader.role.rank >= Role.EDITOR.rank:
        return true()
    return TranslationTask.assignee_token_id.in_(
        select(ApiToken.id).where(ApiToken.name == reader.name)
    )


def _filtered(statement: Select, task_filter: TaskFilter, reader: Actor, today: dt.date) -> Select:
    statement = statement.where(_visible_to(reader))
    statement = statement.where(
        TranslationTask.status.in_(task_filter.statuses) if task_filter.statuses else false()
    )
    if task_filter.language is not None:
        statement = statement.where(TranslationTask.language == task_filter.language)
    if task_filter.assignee is not None:
        wanted = task_filter.assignee.strip().lower()
        statement = statement.where(
            or_(
                func.lower(TranslationTask.assignee_name) == wanted,
                func.lower(TranslationTask.assignee_email) == wanted,
                TranslationTask.assignee_token_id.in_(
                    select(ApiToken.id).where(func.lower(ApiToken.name) == wanted)
                ),
            )
        )
    if task_filter.overdue is True:
        statement = statement.where(overdue_clause(today))
    elif task_filter.overdue is False:
        statement = statement.where(~overdue_clause(today))
    return statement


def _after(key: TaskKey) -> ColumnElement[bool]:
    due, pk = TranslationTask.due_on, TranslationTask.id
    if key.due_on is None:
        return and_(due.is_(None), pk > key.id)
    return or_(due.is_(None), due > key.due_on, and_(due == key.due_on, pk > key.id))


async def list_tasks(
    session: AsyncSession,
    task_filter: TaskFilter,
    reader: Actor,
    *,
    today: dt.date,
    limit: int,
    after: TaskKey | None = None,
) -> list[TaskView]:
    statement = _filtered(
        select(TranslationTask, ApiToken.name).outerjoin(
            ApiToken, ApiToken.id == TranslationTask.assignee_token_id
        ),
        task_filter,
        reader,
        today,
    )
    if after is not None:
        statement = statement.where(_after(after))
    undated_last = case((TranslationTask.due_on.is_(None), 1), else_=0)
    statement = statement.order_by(undated_last, TranslationTask.due_on, TranslationTask.id)
    rows = await session.execute(statement.limit(limit))
    return [TaskView(task, token_name) for task, token_name in rows]


async def count_tasks(
    session: AsyncSession, task_filter: TaskFilter, reader: Actor, *, today: dt.date
) -> int:
    statement = _filtered(select(func.count(TranslationTask.id)), task_filter, reader, today)
    return int(await session.scalar(statement) or 0)


async def task_view(session: AsyncSession, task: TranslationTask) -> TaskView:
    """``task`` with its assignee token's name (for a mutation's result)."""
    name = None
    if task.assignee_token_id is not None:
        name = await session.scalar(
            select(ApiToken.name).where(ApiToken.id == task.assignee_token_id)
        )
    return TaskView(task, name)
