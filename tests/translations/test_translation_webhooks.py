"""TRANSLATION_OUTDATED and TRANSLATION_SUBMITTED, as a translation agency's system hears
them: an outdated translation once, when it falls behind; a submission with its tasks."""

from __future__ import annotations

from typing import Any

from publishing.access import Role
from tests.support.tokens import bearer, issue_token
from tests.translations.support import (
    CREATE_TASK,
    NUCLEAR,
    SUBMIT,
    TASKS,
    UNTRANSLATED,
    UPDATE_ARTICLE,
    article,
    ok,
)
from tests.translations.test_xliff_round_trip import export, translate_2, upload
from tests.webhooks.harness import create_webhook
from tests.webhooks.stepping import HOOK, Stepped, stepped

EVENTS = ["TRANSLATION_OUTDATED", "TRANSLATION_SUBMITTED"]


async def _edit(
    webhooks: Stepped, editor: dict[str, str], key: tuple[str, str], **fields: Any
) -> None:
    current = await article(webhooks.api, editor, key)
    changes = {"id": current["id"], "expectedVersion": current["version"], **fields}
    await ok(webhooks.api, UPDATE_ARTICLE, {"input": changes}, editor, "updateArticle")


async def _heard(webhooks: Stepped) -> list[dict[str, Any]]:
    """Everything delivered since the last call."""
    await webhooks.drain()
    bodies = [r.json for r in webhooks.receiver.requests]
    webhooks.receiver.requests.clear()
    return bodies


async def test_a_translation_is_announced_outdated_once_when_it_falls_behind(
    fresh_demo_url: str,
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with stepped(fresh_demo_url) as webhooks:
        await create_webhook(webhooks.api, admin, HOOK, EVENTS)
        original = await article(webhooks.api, editor, NUCLEAR)
        current = {
            t["language"]["code"]: t
            for t in original["translations"]
            if not t["translationStatus"]["isOutdated"]
        }
        assert current, "the demo story has translations that follow its original"

        # A change that leaves body and footnotes alone outdates nothing.
        await _edit(webhooks, editor, NUCLEAR, title="The Future of Nuclear Verification (2)")
        assert await _heard(webhooks) == []

        # The body changes: each translation that followed it is outdated, once.
        body = original["body"]["markdown"]
        await _edit(webhooks, editor, NUCLEAR, body=body + "\n\nA new closing paragraph.")
        heard = await _heard(webhooks)
        assert [e["type"] for e in heard] == ["TRANSLATION_OUTDATED"] * len(current)
        by_language = {e["translation"]["language"]: e["translation"] for e in heard}
        assert set(by_language) == set(current)
        for language, sent in by_language.items():
            assert sent["id"] == current[language]["id"]
            assert sent["original"]["language"] == "en"
            assert sent["sourceVersion"] < sent["original"]["contentVersion"]
        after = await article(webhooks.api, editor, NUCLEAR)
        assert all(t["translationStatus"]["isOutdated"] for t in after["translations"])

        # A further edit says nothing new: they were already behind.
        await _edit(webhooks, editor, NUCLEAR, body=body + "\n\nA different closing paragraph.")
        assert await _heard(webhooks) == []

        # Brought up to date, the Turkish version falls behind again at the next change.
        tr = next(t for t in after["translations"] if t["language"]["code"] == "tr")
        await _edit(webhooks, editor, ("tr", tr["slug"]), markUpToDate=True)
        await _edit(webhooks, editor, NUCLEAR, body=body + "\n\nA third closing paragraph.")
        heard = await _heard(webhooks)
        assert [(e["type"], e["translation"]["language"]) for e in heard] == [
            ("TRANSLATION_OUTDATED", "tr")
        ]


async def test_a_submission_is_announced_with_its_tasks(fresh_demo_url: str) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    translator = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR, "ru-translator"))
    async with stepped(fresh_demo_url) as webhooks:
        await create_webhook(webhooks.api, admin, HOOK, EVENTS)
        original = await article(webhooks.api, editor, NUCLEAR)
        ru = next(t for t in original["translations"] if t["language"]["code"] == "ru")
        created = await ok(
            webhooks.api,
            CREATE_TASK,
            {
                "input": {
                    "originalId": original["id"],
                    "language": "ru",
                    "assignee": {"token": "ru-translator", "email": "ru@agency.example"},
                    "dueOn": "2030-01-31",
                }
            },
            editor,
            "createTranslationTask",
        )
        # The Russian draft exists already: the task starts in progress.
        assert created["task"]["status"] == "IN_PROGRESS"

        submitted = await ok(
            webhooks.api, SUBMIT, {"input": {"id": ru["id"]}}, translator, "submitTranslation"
        )
        assert [t["status"] for t in submitted["tasks"]] == ["SUBMITTED"]
        [event] = await _heard(webhooks)
        assert event["type"] == "TRANSLATION_SUBMITTED"
        sent = event["translation"]
        assert (sent["id"], sent["language"], sent["status"]) == (ru["id"], "ru", "DRAFT")
        assert sent["original"]["id"] == original["id"]
        assert sent["tasks"] == [
            {
                "id": created["task"]["id"],
                "status": "SUBMITTED",
                "assigneeName": None,
                "assigneeEmail": "ru@agency.example",
                "dueOn": "2030-01-31",
            }
        ]
        assert event["surrogateKeys"] == []

        # The original is not a translation: nothing is submitted, nothing announced.
        refused = (
            await webhooks.api.data(SUBMIT, {"input": {"id": original["id"]}}, headers=translator)
        )["submitTranslation"]
        assert refused["__typename"] == "ValidationError"
        assert refused["issues"][0]["code"] == "NOT_A_TRANSLATION"
        assert await _heard(webhooks) == []


async def test_an_imported_xliff_file_is_a_submission_and_a_later_edit_is_stale(
    fresh_demo_url: str,
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with stepped(fresh_demo_url) as webhooks:
        api = webhooks.api
        await create_webhook(api, admin, HOOK, EVENTS)
        original = await article(api, editor, UNTRANSLATED)
        created = await ok(
            api,
            CREATE_TASK,
            {
                "input": {
                    "originalId": original["id"],
                    "language": "tr",
                    "assignee": {"name": "Ayşe Translator", "email": "ayse@agency.example"},
                }
            },
            editor,
            "createTranslationTask",
        )
        assert created["task"]["staleSegmentCount"] is None  # nothing translated yet

        # The agency's tool sends the file back: the translation is made, and handed in.
        exported = await export(api, editor, original["id"])
        imported = await upload(api, editor, translate_2(exported["content"]))
        assert imported["__typename"] == "ImportTranslationSuccess", imported
        [event] = await _heard(webhooks)
        assert event["type"] == "TRANSLATION_SUBMITTED"
        assert event["translation"]["id"] == imported["article"]["id"]
        assert [t["status"] for t in event["translation"]["tasks"]] == ["SUBMITTED"]
        [listed] = (await api.data(TASKS, {}, headers=editor))["translationTasks"]["edges"]
        assert listed["node"]["status"] == "SUBMITTED"
        assert listed["node"]["staleSegmentCount"] == 0

        # One paragraph of the original changes: the task shows one stale segment, and the
        # agency hears that its translation is outdated.
        body = original["body"]["markdown"]
        first = body.split("\n\n")[0]
        await _edit(webhooks, editor, UNTRANSLATED, body=body.replace(first, first + " Indeed."))
        [outdated] = await _heard(webhooks)
        assert outdated["type"] == "TRANSLATION_OUTDATED"
        assert outdated["translation"]["tasks"][0]["assigneeEmail"] == "ayse@agency.example"
        [listed] = (await api.data(TASKS, {}, headers=editor))["translationTasks"]["edges"]
        assert listed["node"]["staleSegmentCount"] == 1
