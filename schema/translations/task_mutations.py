"""Assigning translations (editors) and handing them in (translators)."""

from __future__ import annotations

import datetime as dt

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from publishing.access import Actor
from publishing.translations.tasks import editing
from publishing.translations.tasks.editing import Assignee, NewTask, TaskChanges
from publishing.translations.tasks.models import TaskStatus
from publishing.translations.tasks.models import TranslationTask as TaskModel
from publishing.translations.tasks.reading import task_view
from schema.articles.content import Content
from schema.context import Context
from schema.maybe import given
from schema.mutations import decode_one, mutation, result_union, run_mutation
from schema.translations.tasks import TranslationTask, TranslationTaskStatus
from schema.translations.versions import content_id, content_node
from schema.usererrors import (
    AnyUserError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    ValidationError,
)


@strawberry.input(description="A translator's token, or a person (name, and email to reach them).")
class TranslationAssigneeInput:
    token: str | None = strawberry.field(
        default=None,
        description="The name of an active token (as `pressroom token list` shows it); its "
        "holder sees the task in `translationTasks`.",
    )
    name: str | None = strawberry.field(default=None, description="At most 200 characters.")
    email: str | None = None

    def to_data(self) -> Assignee:
        return Assignee(token=self.token, name=self.name, email=self.email)


@strawberry.input
class CreateTranslationTaskInput:
    original_id: strawberry.ID = strawberry.field(
        description="An Article or a Page: any language version of the story to translate."
    )
    language: str = strawberry.field(description="The language to translate into.")
    assignee: TranslationAssigneeInput
    due_on: dt.date | None = None
    note: str | None = strawberry.field(
        default=None, description="For the translator (at most 5,000 characters)."
    )


@strawberry.input(description="Fields left out stay as they are; null clears optional ones.")
class UpdateTranslationTaskInput:
    id: strawberry.ID
    expected_version: int = strawberry.field(
        description="The `version` you read; a newer one in the store gives ConflictError."
    )
    assignee: strawberry.Maybe[TranslationAssigneeInput]
    due_on: strawberry.Maybe[dt.date | None]
    note: strawberry.Maybe[str | None]
    status: strawberry.Maybe[TranslationTaskStatus] = strawberry.field(  # type: ignore[valid-type]
        description="Any but CANCELLED (cancelTranslationTask); an open status reopens a "
        "done or cancelled task."
    )


@strawberry.input
class CancelTranslationTaskInput:
    id: strawberry.ID
    expected_version: int | None = None


@strawberry.input
class SubmitTranslationInput:
    id: strawberry.ID = strawberry.field(description="The translation: an Article or a Page.")


@strawberry.type
class CreateTranslationTaskSuccess:
    task: TranslationTask


@strawberry.type
class UpdateTranslationTaskSuccess:
    task: TranslationTask


@strawberry.type
class CancelTranslationTaskSuccess:
    task: TranslationTask


@strawberry.type
class SubmitTranslationSuccess:
    translation: Content
    tasks: list[TranslationTask] = strawberry.field(
        description="Its open tasks, now SUBMITTED (none when it was not assigned)."
    )


CreateTranslationTaskResult = result_union(
    "CreateTranslationTaskResult",
    CreateTranslationTaskSuccess,
    ValidationError,
    NotFoundError,
    ForbiddenError,
)
UpdateTranslationTaskResult = result_union(
    "UpdateTranslationTaskResult",
    UpdateTranslationTaskSuccess,
    ValidationError,
    ConflictError,
    NotFoundError,
    ForbiddenError,
)
CancelTranslationTaskResult = result_union(
    "CancelTranslationTaskResult",
    CancelTranslationTaskSuccess,
    ValidationError,
    ConflictError,
    NotFoundError,
    ForbiddenError,
)
SubmitTranslationResult = result_union(
    "SubmitTranslationResult",
    SubmitTranslationSuccess,
    ValidationError,
    NotFoundError,
    ForbiddenError,
)


async def _task(
    session: AsyncSession, task: TaskModel, info: Info[Context, None]
) -> TranslationTask:
    return TranslationTask.from_view(await task_view(session, task), info.context.now.date())


def _status(value: TranslationTaskStatus) -> TaskStatus:  # type: ignore[valid-type]
    return TaskStatus(value.value)


@strawberry.type
class TranslationTaskMutations:
    @mutation(
        CreateTranslationTaskResult,
        needs=editing.MANAGE_TRANSLATION_TASKS,
        description="Assign the translation of a story into a language (editors).",
    )
    async def create_translation_task(
        self, info: Info[Context, None], input: CreateTranslationTaskInput
    ) -> CreateTranslationTaskSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> CreateTranslationTaskSuccess:
            original_id, kind = content_id(input.original_id, "originalId")
            data = NewTask(
                kind=kind,
                original_id=original_id,
                language=input.language,
                assignee=input.assignee.to_data(),
                due_on=input.due_on,
                note=input.note,
            )
            task = await editing.create_task(session, actor, data, now=info.context.now)
            return CreateTranslationTaskSuccess(task=await _task(session, task, info))

        return await run_mutation(info, work)

    @mutation(
        UpdateTranslationTaskResult,
        needs=editing.MANAGE_TRANSLATION_TASKS,
        description="Reassign, re-date, annotate or move a translation task (editors).",
    )
    async def update_translation_task(
        self, info: Info[Context, None], input: UpdateTranslationTaskInput
    ) -> UpdateTranslationTaskSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> UpdateTranslationTaskSuccess:
            changes = TaskChanges(
                assignee=given(input.assignee, lambda a: a.to_data()),
                due_on=given(input.due_on),
                note=given(input.note),
                status=given(input.status, _status),
            )
            task = await editing.update_task(
                session,
                actor,
                decode_one(input.id, "TranslationTask"),
                input.expected_version,
                changes,
                now=info.context.now,
            )
            return UpdateTranslationTaskSuccess(task=await _task(session, task, info))

        return await run_mutation(info, work)

    @mutation(
        CancelTranslationTaskResult,
        needs=editing.MANAGE_TRANSLATION_TASKS,
        description="The translation is no longer wanted; a translation begun stays (editors).",
    )
    async def cancel_translation_task(
        self, info: Info[Context, None], input: CancelTranslationTaskInput
    ) -> CancelTranslationTaskSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> CancelTranslationTaskSuccess:
            task = await editing.cancel_task(
                session,
                actor,
                decode_one(input.id, "TranslationTask"),
                expected_version=input.expected_version,
                now=info.context.now,
            )
            return CancelTranslationTaskSuccess(task=await _task(session, task, info))

        return await run_mutation(info, work)

    @mutation(
        SubmitTranslationResult,
        needs=editing.SUBMIT_TRANSLATION,
        description="Hand a translation in for review: its open tasks become SUBMITTED and "
        "webhooks hear TRANSLATION_SUBMITTED. A draft stays a draft: an editor publishes.",
    )
    async def submit_translation(
        self, info: Info[Context, None], input: SubmitTranslationInput
    ) -> SubmitTranslationSuccess | AnyUserError:
        async def work(session: AsyncSession, actor: Actor) -> SubmitTranslationSuccess:
            article_id, kind = content_id(input.id, "id")
            article, tasks = await editing.submit_translation(
                session, actor, article_id, kind=kind, now=info.context.now
            )
            return SubmitTranslationSuccess(
                translation=content_node(article),
                tasks=[await _task(session, task, info) for task in tasks],
            )

        return await run_mutation(info, work)
