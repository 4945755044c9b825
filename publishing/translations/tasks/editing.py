"""Assigning translations: editors create, change and cancel tasks; a translator submits.

Every function runs inside the caller's transaction and either completes its change or raises
a domain error, after which the caller rolls back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from publishing.access import Actor, Permission, Role
from publishing.articles.models import Article, Story, StoryKind
from publishing.articles.validation import check_text
from publishing.errors import ConflictError, Issues, NotFoundError, invalid
from publishing.integrity import Race, flush
from publishing.languages.service import load_enabled_languages
from publishing.tokens.models import ApiToken
from publishing.translations.tasks.models import (
    OPEN_STATUSES,
    TaskStatus,
    TranslationTask,
)
from publishing.unset import UNSET, Unset

MANAGE_TRANSLATION_TASKS = Permission(Role.EDITOR, "Assigning translations")
# Contributors see the tasks assigned to their token; editors, every task.
READ_TRANSLATION_TASKS = Permission(Role.CONTRIBUTOR, "Listing translation tasks")
SUBMIT_TRANSLATION = Permission(Role.CONTRIBUTOR, "Submitting a translation")

MAX_NAME = 200
MAX_TOKEN = 100  # as api_tokens.name
MAX_EMAIL = 320
MAX_NOTE = 5000

RACES = (
    Race(
        ("story_id", "language"),
        ("language",),
        "TASK_EXISTS",
        "Another open task for this story and language was created meanwhile.",
    ),
)


@dataclass(frozen=True, slots=True)
class Assignee:
    """Who translates: a token's name (its holder then sees the task), or a person by name,
    with an email to reach them; a token may carry a display name and email too."""

    token: str | None = None
    name: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class NewTask:
    original_id: int  # any language version of the story to translate
    language: str
    assignee: Assignee
    due_on: dt.date | None = None
    note: str | None = None
    # What ``original_id`` names: an article's version or a page's.
    kind: StoryKind = StoryKind.ARTICLE


@dataclass(frozen=True, slots=True)
class TaskChanges:
    """A partial update: UNSET leaves a field as it is."""

    assignee: Assignee | Unset = UNSET
    due_on: dt.date | Unset | None = UNSET
    note: str | Unset | None = UNSET
    status: TaskStatus | Unset = UNSET


# -- checks ----------------------------------------------------------------------------------


def _stripped(value: str | None) -> str | None:
    """A text without its surrounding blanks; None when nothing is left."""
    return (value or "").strip() or None


async def _check_assignee(session: AsyncSession, issues: Issues, assignee: Assignee) -> int | None:
    """The assignee's token id (None for a person without one)."""
    path = ("assignee",)
    token = _stripped(assignee.token)
    name = _stripped(assignee.name)
    if token is None and name is None:
        issues.add(path, "REQUIRED", "Name a translator's token or a person's name.")
    token_issues = Issues()
    check_text(
        token_issues, assignee.token, (*path, "token"), limit=MAX_TOKEN, label="A token name"
    )
    issues.items.extend(token_issues.items)
    check_text(issues, assignee.name, (*path, "name"), limit=MAX_NAME, label="A name")
    check_text(issues, assignee.email, (*path, "email"), limit=MAX_EMAIL, label="An email")
    email = _stripped(assignee.email)
    if email is not None and (
        "@" not in email or email.startswith("@") or email.endswith("@") or " " in email
    ):
        issues.add((*path, "email"), "INVALID_EMAIL", f"{email[:60]!r} is not an email address.")
    if token is None or token_issues:
        return None
    token_id = await session.scalar(
        select(ApiToken.id).where(ApiToken.name == token, ApiToken.revoked_at.is_(None))
    )
    if token_id is None:
        issues.add(
            (*path, "token"),
            "NOT_FOUND",
            f"No active token named {token[:100]!r} (`pressroom token list` shows them).",
        )
    return token_id


def _check_note(issues: Issues, note: str | None) -> None:
    check_text(issues, note, ("note",), limit=MAX_NOTE, label="A note")


async def _story_of(
    session: AsyncSession, article_id: int, kind: StoryKind
) -> tuple[Story, Article]:
    article = await session.scalar(
        select(Article).options(selectinload(Article.story)).where(Article.id == article_id)
    )
    if article is None or article.story.kind is not kind:
        raise NotFoundError("page" if kind is StoryKind.PAGE else "article", article_id)
    return article.story, article


async def _open_task_exists(
    session: AsyncSession, story_id: int, language: str, but: int | None = None
) -> int | None:
    statement = select(TranslationTask.id).where(
        TranslationTask.story_id == story_id,
        TranslationTask.language == language,
        TranslationTask.status.in_(OPEN_STATUSES),
    )
    if but is not None:
        statement = statement.where(TranslationTask.id != but)
    return await session.scalar(statement.limit(1))


def _apply_assignee(task: TranslationTask, assignee: Assignee, token_id: int | None) -> None:
    task.assignee_token_id = token_id
    task.assignee_name = _stripped(assignee.name)
    task.assignee_email = _stripped(assignee.email)


def _close(task: TranslationTask, status: TaskStatus, now: dt.datetime) -> None:
    """Move ``task`` to ``status``, keeping its submission and completion times true."""
    task.status = status
    if status is TaskStatus.SUBMITTED:
        task.submitted_at = now
    task.completed_at = now if status in (TaskStatus.DONE, TaskStatus.CANCELLED) else None
    task.updated_at = now


# -- the operations --------------------------------------------------------------------------


async def create_task(
    session: AsyncSession, actor: Actor, data: NewTask, *, now: dt.datetime
) -> TranslationTask:
    """Assign the translation of the story ``data.original_id`` belongs to into
    ``data.language``. The task starts IN_PROGRESS when that translation already exists (an
    update of an outdated one), else ASSIGNED."""
    actor.require(MANAGE_TRANSLATION_TASKS)
    story, _ = await _story_of(session, data.original_id, data.kind)
    issues = Issues()
    language: str | None = None
    try:
        language = (await load_enabled_languages(session)).resolve(data.language)
    except Exception as exc:  # UnknownLanguageError: an issue of this input
        issues.add(("language",), "NOT_ENABLED", str(exc))
    if language is not None and language == story.original_language:
        issues.add(
            ("language",), "IS_ORIGINAL", f"The story was written in {language}: nothing to do."
        )
    elif language is not None:
        existing = await _open_task_exists(session, story.id, language)
        if existing is not None:
            issues.add(
                ("language",),
                "TASK_EXISTS",
                f"The story already has an open {language} task (task {existing}); "
                "change or cancel that one.",
            )
    token_id = await _check_assignee(session, issues, data.assignee)
    _check_note(issues, data.note)
    issues.raise_if_any()
    assert language is not None

    translated = await session.scalar(
        select(Article.id).where(Article.story_id == story.id, Article.language == language)
    )
    task = TranslationTask(
        story_id=story.id,
        language=language,
        due_on=data.due_on,
        note=data.note,
        status=TaskStatus.IN_PROGRESS if translated is not None else TaskStatus.ASSIGNED,
        created_by=actor.name,
        created_at=now,
        updated_at=now,
    )
    _apply_assignee(task, data.assignee, token_id)
    session.add(task)
    await flush(session, RACES)
    return task


async def get_task(session: AsyncSession, task_id: int) -> TranslationTask:
    """The task, its row locked until the transaction ends (as an article's is)."""
    task = await session.scalar(
        select(TranslationTask)
        .where(TranslationTask.id == task_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if task is None:
        raise NotFoundError("translation task", task_id)
    return task


async def update_task(
    session: AsyncSession,
    actor: Actor,
    task_id: int,
    expected_version: int,
    changes: TaskChanges,
    *,
    now: dt.datetime,
) -> TranslationTask:
    """Reassign, re-date, annotate or move a task between statuses (reopening a cancelled
    one included, unless the story has another open task in its language)."""
    actor.require(MANAGE_TRANSLATION_TASKS)
    task = await get_task(session, task_id)
    if task.version != expected_version:
        raise ConflictError(expected_version, task.version, "translation task")
    issues = Issues()
    token_id: int | None = None
    if changes.assignee is not UNSET:
        token_id = await _check_assignee(session, issues, changes.assignee)
    if changes.note is not UNSET:
        _check_note(issues, changes.note)
    if changes.status is TaskStatus.CANCELLED:
        issues.add(("status",), "USE_CANCEL", "Cancel a task with cancelTranslationTask.")
    reopening = changes.status is not UNSET and changes.status in OPEN_STATUSES
    if reopening and task.status not in OPEN_STATUSES:
        other = await _open_task_exists(session, task.story_id, task.language, but=task.id)
        if other is not None:
            issues.add(
                ("status",),
                "TASK_EXISTS",
                f"The story has another open {task.language} task (task {other}).",
            )
    issues.raise_if_any()

    if changes.assignee is not UNSET:
        _apply_assignee(task, changes.assignee, token_id)
    if changes.due_on is not UNSET:
        task.due_on = changes.due_on
    if changes.note is not UNSET:
        task.note = changes.note
    if changes.status is not UNSET and changes.status is not task.status:
        _close(task, changes.status, now)
    task.updated_at = now
    await flush(session, RACES)
    return task


async def cancel_task(
    session: AsyncSession,
    actor: Actor,
    task_id: int,
    *,
    expected_version: int | None = None,
    now: dt.datetime,
) -> TranslationTask:
    """The work is no longer wanted; the translation, if any, stays as it is."""
    actor.require(MANAGE_TRANSLATION_TASKS)
    task = await get_task(session, task_id)
    if expected_version is not None and task.version != expected_version:
        raise ConflictError(expected_version, task.version, "translation task")
    if task.status is TaskStatus.DONE:
        invalid(("id",), "DONE", "The translation was published: the task is done.")
    if task.status is not TaskStatus.CANCELLED:
        _close(task, TaskStatus.CANCELLED, now)
        await session.flush()
    return task


async def open_tasks_of(
    session: AsyncSession, story_id: int, language: str
) -> list[TranslationTask]:
    return list(
        await session.scalars(
            select(TranslationTask)
            .where(
                TranslationTask.story_id == story_id,
                TranslationTask.language == language,
                TranslationTask.status.in_(OPEN_STATUSES),
            )
            .order_by(TranslationTask.id)
        )
    )


async def translation_followed(
    session: AsyncSession,
    article: Article,
    *,
    written: bool = False,
    submitted: bool = False,
    published: bool = False,
    now: dt.datetime,
) -> list[TranslationTask]:
    """What a translation's own change does to its open tasks: being written starts an
    assigned task, a submission hands it in, a publication completes it. Returns the tasks
    it moved."""
    moved: list[TranslationTask] = []
    for task in await open_tasks_of(session, article.story_id, article.language):
        if published:
            _close(task, TaskStatus.DONE, now)
        elif submitted:
            _close(task, TaskStatus.SUBMITTED, now)
        elif written and task.status is TaskStatus.ASSIGNED:
            _close(task, TaskStatus.IN_PROGRESS, now)
        else:
            continue
        moved.append(task)
    if moved:
        await session.flush()
    return moved


async def submit_translation(
    session: AsyncSession,
    actor: Actor,
    article_id: int,
    *,
    kind: StoryKind,
    now: dt.datetime,
) -> tuple[Article, list[TranslationTask]]:
    """The translator hands the translation in for review: its open tasks become SUBMITTED
    and subscribers hear TRANSLATION_SUBMITTED. The text stays as it is (a draft stays a
    draft: publishing is an editor's decision)."""
    actor.require(SUBMIT_TRANSLATION)
    story, article = await _story_of(session, article_id, kind)
    if article.language == story.original_language:
        invalid(
            ("id",), "NOT_A_TRANSLATION", "This is the original: only translations are submitted."
        )
    return article, await translation_handed_in(session, article, now=now)


async def translation_handed_in(
    session: AsyncSession, article: Article, *, now: dt.datetime
) -> list[TranslationTask]:
    """A translation was handed in (submitted, or its XLIFF file imported): its open tasks
    become SUBMITTED and subscribers hear TRANSLATION_SUBMITTED. Returns those tasks."""
    from publishing.events import translation_submitted  # events imports this module

    tasks = await translation_followed(session, article, submitted=True, now=now)
    await translation_submitted(session, article, now=now)
    return tasks
