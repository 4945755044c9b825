"""Assigning translations: editors assign, translators see their own work, and each task
follows its translation (begun, handed in, published) without anyone moving it by hand."""

from __future__ import annotations

import base64
import datetime as dt

from publishing.access import Role
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token
from tests.translations.support import (
    CANCEL_TASK,
    CREATE_TASK,
    CREATE_TRANSLATION,
    PUBLISH,
    SUBMIT,
    TASKS,
    UNTRANSLATED,
    UPDATE_TASK,
    article,
    issues,
    ok,
    run,
)

TODAY = dt.datetime.now(dt.UTC).date()
YESTERDAY = (TODAY - dt.timedelta(days=1)).isoformat()
NEXT_WEEK = (TODAY + dt.timedelta(days=7)).isoformat()


async def test_a_task_follows_its_translation_from_assignment_to_publication(
    fresh_demo_url: str,
) -> None:
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR, "desk-editor"))
    translator = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR, "selin-translator"))
    other = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR, "someone-else"))
    async with api_client(fresh_demo_url) as api:
        original = await article(api, editor, UNTRANSLATED)
        created = await ok(
            api,
            CREATE_TASK,
            {
                "input": {
                    "originalId": original["id"],
                    "language": "tr",
                    "assignee": {"token": "selin-translator"},
                    "dueOn": YESTERDAY,
                    "note": "Keep the treaty names in English.",
                }
            },
            editor,
            "createTranslationTask",
        )
        task = created["task"]
        assert task["status"] == "ASSIGNED" and task["isOverdue"] is True
        assert task["assignee"] == {"token": "selin-translator", "name": None, "email": None}
        assert task["original"]["title"] == "Arms Control Without a Treaty"
        assert task["translation"] is None and task["createdBy"] == "desk-editor"

        agency = await ok(
            api,
            CREATE_TASK,
            {
                "input": {
                    "originalId": original["id"],
                    "language": "ru",
                    "assignee": {"name": "Lingua Partners", "email": "pm@lingua.example"},
                    "dueOn": NEXT_WEEK,
                }
            },
            editor,
            "createTranslationTask",
        )
        assert agency["task"]["isOverdue"] is False

        # The translator sees their own task, nobody else's; another contributor, none.
        mine = (await api.data(TASKS, {}, headers=translator))["translationTasks"]
        assert [e["node"]["id"] for e in mine["edges"]] == [task["id"]]
        assert mine["totalCount"] == 1
        theirs = (await api.data(TASKS, {}, headers=other))["translationTasks"]
        assert theirs["edges"] == [] and theirs["totalCount"] == 0
        # Editors see all, soonest due first, and narrow by what they need.
        everything = (await api.data(TASKS, {}, headers=editor))["translationTasks"]
        assert [e["node"]["id"] for e in everything["edges"]] == [
            task["id"],
            agency["task"]["id"],
        ]
        for narrowed, expected in [
            ({"language": "ru"}, [agency["task"]["id"]]),
            ({"assignee": "PM@lingua.example"}, [agency["task"]["id"]]),
            ({"assignee": "selin-translator"}, [task["id"]]),
            ({"overdue": True}, [task["id"]]),
            ({"overdue": False}, [agency["task"]["id"]]),
            ({"status": ["DONE"]}, []),
        ]:
            found = (await api.data(TASKS, {"filter": narrowed}, headers=editor))[
                "translationTasks"
            ]
            assert [e["node"]["id"] for e in found["edges"]] == expected, narrowed

        # The translator begins: the task is in progress and shows its translation.
        translation = await ok(
            api,
            CREATE_TRANSLATION,
            {
                "input": {
                    "originalId": original["id"],
                    "language": "tr",
                    "slug": "antlasmasiz-silah-denetimi",
                    "title": "Antlaşmasız Silah Denetimi",
                }
            },
            translator,
            "createTranslation",
        )
        [begun] = (await api.data(TASKS, {}, headers=translator))["translationTasks"]["edges"]
        assert begun["node"]["status"] == "IN_PROGRESS"
        assert begun["node"]["translation"]["title"] == "Antlaşmasız Silah Denetimi"

        # Handed in: no longer overdue (the translator's part is done); still listed as open.
        submitted = await ok(
            api,
            SUBMIT,
            {"input": {"id": translation["article"]["id"]}},
            translator,
            "submitTranslation",
        )
        [handed_in] = submitted["tasks"]
        assert handed_in["status"] == "SUBMITTED" and handed_in["submittedAt"] is not None
        assert handed_in["isOverdue"] is False and handed_in["completedAt"] is None

        # Published by an editor: done, and out of the open work.
        await ok(
            api, PUBLISH, {"input": {"id": translation["article"]["id"]}}, editor, "publishArticle"
        )
        still_open = (await api.data(TASKS, {}, headers=editor))["translationTasks"]
        assert [e["node"]["id"] for e in still_open["edges"]] == [agency["task"]["id"]]
        [done] = (await api.data(TASKS, {"filter": {"status": ["DONE"]}}, headers=editor))[
            "translationTasks"
        ]["edges"]
        assert done["node"]["status"] == "DONE" and done["node"]["completedAt"] is not None


async def test_bad_assignments_are_refused_with_every_problem_at_its_field(
    fresh_demo_url: str,
) -> None:
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    contributor = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    async with api_client(fresh_demo_url) as api:
        original = await article(api, editor, UNTRANSLATED)
        refused = await run(
            api,
            CREATE_TASK,
            {
                "input": {
                    "originalId": original["id"],
                    "language": "xx",
                    "assignee": {"email": "not an address", "name": "  "},
                    "note": "Context for the translator.",
                }
            },
            editor,
            "createTranslationTask",
        )
        assert issues(refused) == {
            (("language",), "NOT_ENABLED"),
            (("assignee",), "REQUIRED"),
            (("assignee", "email"), "INVALID_EMAIL"),
        }
        # A character no store keeps is refused at the edge, before the service's checks.
        nul_note = await run(
            api,
            CREATE_TASK,
            {
                "input": {
                    "originalId": original["id"],
                    "language": "tr",
                    "assignee": {"name": "A"},
                    "note": "\x00",
                }
            },
            editor,
            "createTranslationTask",
        )
        assert issues(nul_note) == {(("note",), "INVALID_CHARACTER")}
        for language, assignee, expected in [
            ("en", {"name": "A"}, {(("language",), "IS_ORIGINAL")}),
            ("tr", {"token": "no-such-token"}, {(("assignee", "token"), "NOT_FOUND")}),
            ("tr", {"token": "a\x00b"}, {(("assignee", "token"), "INVALID_CHARACTER")}),
        ]:
            result = await run(
                api,
                CREATE_TASK,
                {
                    "input": {
                        "originalId": original["id"],
                        "language": language,
                        "assignee": assignee,
                    }
                },
                editor,
                "createTranslationTask",
            )
            assert issues(result) == expected
        bad_id = await run(
            api,
            CREATE_TASK,
            {"input": {"originalId": "nonsense", "language": "tr", "assignee": {"name": "A"}}},
            editor,
            "createTranslationTask",
        )
        assert issues(bad_id) == {(("originalId",), "INVALID_ID")}
        article_pk = base64.b64decode(original["id"]).decode().split(":")[1]
        as_page = base64.b64encode(f"Page:{article_pk}".encode()).decode()
        not_a_page = await run(
            api,
            CREATE_TASK,
            {"input": {"originalId": as_page, "language": "tr", "assignee": {"name": "A"}}},
            editor,
            "createTranslationTask",
        )
        assert not_a_page["__typename"] == "NotFoundError"

        first = await ok(
            api,
            CREATE_TASK,
            {"input": {"originalId": original["id"], "language": "tr", "assignee": {"name": "A"}}},
            editor,
            "createTranslationTask",
        )
        twice = await run(
            api,
            CREATE_TASK,
            {"input": {"originalId": original["id"], "language": "tr", "assignee": {"name": "B"}}},
            editor,
            "createTranslationTask",
        )
        assert issues(twice) == {(("language",), "TASK_EXISTS")}

        # Contributors do not assign; readers without a token see no tasks.
        forbidden = await run(
            api,
            CREATE_TASK,
            {"input": {"originalId": original["id"], "language": "ru", "assignee": {"name": "A"}}},
            contributor,
            "createTranslationTask",
        )
        assert forbidden["__typename"] == "ForbiddenError"
        nul = await api.query(TASKS, {"filter": {"assignee": "a\x00b"}}, headers=editor)
        assert nul["data"] is None and "NUL" in nul["errors"][0]["message"]
        anonymous = await api.query(TASKS, {})
        assert anonymous["data"] is None and "token" in anonymous["errors"][0]["message"]

        # An update from a stale version conflicts; cancelling is its own mutation.
        task = first["task"]
        stale = await run(
            api,
            UPDATE_TASK,
            {"input": {"id": task["id"], "expectedVersion": task["version"] + 1, "note": "x"}},
            editor,
            "updateTranslationTask",
        )
        assert stale["__typename"] == "ConflictError"
        assert stale["currentVersion"] == task["version"]
        wrong = await run(
            api,
            UPDATE_TASK,
            {
                "input": {
                    "id": task["id"],
                    "expectedVersion": task["version"],
                    "status": "CANCELLED",
                }
            },
            editor,
            "updateTranslationTask",
        )
        assert issues(wrong) == {(("status",), "USE_CANCEL")}
        # A failed change wrote nothing.
        [unchanged] = (await api.data(TASKS, {}, headers=editor))["translationTasks"]["edges"]
        assert unchanged["node"]["version"] == task["version"]
        assert unchanged["node"]["note"] is None


async def test_editors_reassign_cancel_and_reopen(fresh_demo_url: str) -> None:
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    await issue_token(fresh_demo_url, Role.CONTRIBUTOR, "second-translator")
    async with api_client(fresh_demo_url) as api:
        original = await article(api, editor, UNTRANSLATED)
        created = await ok(
            api,
            CREATE_TASK,
            {"input": {"originalId": original["id"], "language": "ru", "assignee": {"name": "A"}}},
            editor,
            "createTranslationTask",
        )
        task = created["task"]
        updated = await ok(
            api,
            UPDATE_TASK,
            {
                "input": {
                    "id": task["id"],
                    "expectedVersion": task["version"],
                    "assignee": {"token": "second-translator", "email": "st@example.org"},
                    "dueOn": NEXT_WEEK,
                    "note": "Urgent",
                }
            },
            editor,
            "updateTranslationTask",
        )
        task = updated["task"]
        assert task["assignee"] == {
            "token": "second-translator",
            "name": None,
            "email": "st@example.org",
        }
        assert (task["dueOn"], task["note"], task["status"]) == (NEXT_WEEK, "Urgent", "ASSIGNED")

        cancelled = await ok(
            api, CANCEL_TASK, {"input": {"id": task["id"]}}, editor, "cancelTranslationTask"
        )
        assert cancelled["task"]["status"] == "CANCELLED"
        assert cancelled["task"]["completedAt"] is not None
        # With the old one cancelled, the language is free for a new task...
        replacement = await ok(
            api,
            CREATE_TASK,
            {"input": {"originalId": original["id"], "language": "ru", "assignee": {"name": "B"}}},
            editor,
            "createTranslationTask",
        )
        # ...and the cancelled one cannot be reopened beside it.
        reopen = {
            "input": {
                "id": task["id"],
                "expectedVersion": cancelled["task"]["version"],
                "status": "ASSIGNED",
            }
        }
        clash = await run(api, UPDATE_TASK, reopen, editor, "updateTranslationTask")
        assert issues(clash) == {(("status",), "TASK_EXISTS")}
        await ok(
            api,
            CANCEL_TASK,
            {"input": {"id": replacement["task"]["id"]}},
            editor,
            "cancelTranslationTask",
        )
        reopened = await ok(api, UPDATE_TASK, reopen, editor, "updateTranslationTask")
        assert reopened["task"]["status"] == "ASSIGNED"
        assert reopened["task"]["completedAt"] is None


async def test_a_page_is_assigned_and_submitted_as_an_article_is(fresh_demo_url: str) -> None:
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    translator = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR, "page-translator"))
    async with api_client(fresh_demo_url) as api:
        team = (await api.data('{ page(language: "en", slug: "team") { id } }', headers=editor))[
            "page"
        ]
        created = await ok(
            api,
            CREATE_TASK,
            {
                "input": {
                    "originalId": team["id"],
                    "language": "ru",
                    "assignee": {"token": "page-translator"},
                }
            },
            editor,
            "createTranslationTask",
        )
        assert created["task"]["original"]["__typename"] == "Page"
        translated = await ok(
            api,
            """mutation($input: CreatePageTranslationInput!) {
              createPageTranslation(input: $input) {
                __typename ... on CreatePageTranslationSuccess { page { id } } } }""",
            {
                "input": {
                    "originalId": team["id"],
                    "language": "ru",
                    "slug": "komanda",
                    "title": "Команда",
                }
            },
            translator,
            "createPageTranslation",
        )
        submitted = await ok(
            api,
            SUBMIT,
            {"input": {"id": translated["page"]["id"]}},
            translator,
            "submitTranslation",
        )
        [task] = submitted["tasks"]
        assert task["status"] == "SUBMITTED"
        assert task["translation"] == {"__typename": "Page", "title": "Команда", "version": 1}
