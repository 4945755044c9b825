"""Translation tasks as clients see them, and the `translationTasks` listing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry import relay
from strawberry.types import Info

from publishing.articles.models import Article as ArticleModel
from publishing.languages.service import language_info
from publishing.translations.tasks import reading
from publishing.translations.tasks.editing import READ_TRANSLATION_TASKS
from publishing.translations.tasks.models import TaskStatus
from publishing.translations.tasks.reading import TaskKey, TaskView
from schema.articles.content import Content, changes_since
from schema.context import Context
from schema.errors import UserInputError
from schema.languages.types import Language
from schema.pagination import Connection, Keyset
from schema.pagination import Page as ListPage
from schema.permissions import Requires
from schema.translations.versions import content_node

TranslationTaskStatus = strawberry.enum(
    TaskStatus,
    name="TranslationTaskStatus",
    description="Where an assigned translation stands: ASSIGNED (not started), IN_PROGRESS "
    "(the translation exists), SUBMITTED (handed in for review), DONE (published), "
    "CANCELLED.",
)


@strawberry.type(description="Who translates: a translator's token, or a person by name.")
class TranslationAssignee:
    token: str | None = strawberry.field(
        description="The name of the token the task is assigned to; its holder sees the task."
    )
    name: str | None
    email: str | None


@strawberry.type(description="A story to be translated into one language, by someone, by a date.")
class TranslationTask:
    id: relay.GlobalID
    language: Language = strawberry.field(description="The language to translate into.")
    status: TranslationTaskStatus  # type: ignore[valid-type]
    assignee: TranslationAssignee
    due_on: dt.date | None
    note: str | None
    is_overdue: bool = strawberry.field(
        description="Due before today and not yet submitted (nor done or cancelled)."
    )
    created_by: str = strawberry.field(description="The token name of the assigning editor.")
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None = strawberry.field(
        description="When the translation was last handed in."
    )
    completed_at: dt.datetime | None = strawberry.field(
        description="When the task was done (the translation published) or cancelled."
    )
    version: int = strawberry.field(
        description="Changes with every update; send it back as `expectedVersion`."
    )
    _view: strawberry.Private[TaskView]

    @classmethod
    def from_view(cls, view: TaskView, today: dt.date) -> TranslationTask:
        task = view.task
        return cls(
            id=relay.GlobalID("TranslationTask", str(task.id)),
            language=Language.from_info(language_info(task.language)),
            status=task.status,
            assignee=TranslationAssignee(
                token=view.token_name, name=task.assignee_name, email=task.assignee_email
            ),
            due_on=task.due_on,
            note=task.note,
            is_overdue=reading.is_overdue(task, today),
            created_by=task.created_by,
            created_at=task.created_at,
            updated_at=task.updated_at,
            submitted_at=task.submitted_at,
            completed_at=task.completed_at,
            version=task.version,
            _view=view,
        )

    async def _versions(self, info: Info[Context, None]) -> list[ArticleModel]:
        loaded: list[ArticleModel] = await info.context.loaders.versions_by_story.load(
            self._view.task.story_id
        )
        return loaded

    @strawberry.field(
        description="How many segments of the original were added, changed or removed since "
        "the translation was made from it (its `translationStatus.changedSegmentCount`): "
        "what the translator has to update. Null until the translation exists."
    )
    async def stale_segment_count(self, info: Info[Context, None]) -> int | None:
        versions = await self._versions(info)
        original = next((v for v in versions if v.language == v.story.original_language), None)
        language = self._view.task.language
        translation = next((v for v in versions if v.language == language), None)
        if original is None or translation is None:
            return None
        changes = await changes_since(
            info, (original.id, original.version), translation.source_version
        )
        return len(changes)

    @strawberry.field(description="The version the story was written in: what to translate.")
    async def original(self, info: Info[Context, None]) -> Content | None:
        for version in await self._versions(info):
            if version.language == version.story.original_language:
                return content_node(version)
        return None

    @strawberry.field(description="The translation, once someone has started it.")
    async def translation(self, info: Info[Context, None]) -> Content | None:
        language = self._view.task.language
        for version in await self._versions(info):
            if version.language == language:
                return content_node(version)
        return None


@strawberry.type
class TranslationTaskConnection(Connection[TranslationTask]):
    pass


@strawberry.input(description="Every field narrows the list; left out, it does not.")
class TranslationTaskFilter:
    language: str | None = strawberry.field(default=None, description="The target language.")
    assignee: str | None = strawberry.field(
        default=None, description="A token's name, or an assignee's name or email."
    )
    status: list[TranslationTaskStatus] | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Left out: the open ones (ASSIGNED, IN_PROGRESS, SUBMITTED).",
    )
    overdue: bool | None = strawberry.field(
        default=None, description="True: only overdue tasks; false: none of them."
    )


def _task_key(values: list[Any]) -> TaskKey:
    due_on, task_id = values
    return TaskKey(None if due_on is None else dt.date.fromisoformat(due_on), int(task_id))


TASKS: Keyset[TaskKey] = Keyset(
    "translationTasks",
    lambda key: (None if key.due_on is None else key.due_on.isoformat(), key.id),
    _task_key,
)


@strawberry.type
class TranslationTaskQueries:
    @strawberry.field(
        description="Translation work, soonest due first (undated last). Editors see every "
        "task; a contributor, those assigned to their token.",
        extensions=[Requires(READ_TRANSLATION_TASKS)],
    )
    async def translation_tasks(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        filter: TranslationTaskFilter | None = None,
    ) -> TranslationTaskConnection:
        context = info.context
        reader = context.actor
        assert reader is not None  # Requires refused a reader without a token
        page = ListPage.of(TASKS, first, after)
        language = None
        if filter is not None and filter.language is not None:
            try:
                language = (await context.languages()).resolve(filter.language)
            except Exception as exc:  # UnknownLanguageError: the argument is wrong
                raise UserInputError(str(exc), argument="filter.language") from exc
        if filter is not None and filter.assignee is not None and "\x00" in filter.assignee:
            raise UserInputError(
                "`filter.assignee` contains a NUL character (U+0000).", argument="filter.assignee"
            )
        task_filter = reading.TaskFilter(
            language=language,
            assignee=filter.assignee if filter else None,
            statuses=tuple(filter.status)
            if filter is not None and filter.status is not None
            else reading.TaskFilter().statuses,
            overdue=filter.overdue if filter else None,
        )
        today = context.now.date()
        async with context.reads.session() as session:
            views = await reading.list_tasks(
                session, task_filter, reader, today=today, limit=page.fetch, after=page.after
            )

        async def count() -> int:
            async with context.reads.session() as session:
                return await reading.count_tasks(session, task_filter, reader, today=today)

        return page.connection(
            TranslationTaskConnection,
            views,
            key=lambda view: view.key,
            node=lambda view: TranslationTask.from_view(view, today),
            count=count,
        )
