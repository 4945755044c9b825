"""Every mutation in the schema, tried with no token and with each role: each identity gets what
its role allows and nothing more.

The mutations are read from the schema itself, so a new one fails this test until it has a
row in MINIMUM_ROLE and a way to build a valid input in INPUTS.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from strawberry.types.base import StrawberryObjectDefinition

from publishing.access import Role
from schema import schema
from schema.permissions import Requires
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token

# The least role that may run each mutation on a fresh target (a draft, for article edits).
MINIMUM_ROLE: dict[str, Role] = {
    "createArticle": Role.CONTRIBUTOR,
    "createTranslation": Role.CONTRIBUTOR,
    "updateArticle": Role.CONTRIBUTOR,
    "createPreviewLink": Role.CONTRIBUTOR,
    "publishArticle": Role.EDITOR,
    "unpublishArticle": Role.EDITOR,
    "archiveArticle": Role.EDITOR,
    "deleteArticle": Role.EDITOR,
    "restoreRevision": Role.EDITOR,
    "setRelatedArticles": Role.EDITOR,
    "createPage": Role.CONTRIBUTOR,
    "createPageTranslation": Role.CONTRIBUTOR,
    "updatePage": Role.CONTRIBUTOR,
    "createPagePreviewLink": Role.CONTRIBUTOR,
    "publishPage": Role.EDITOR,
    "unpublishPage": Role.EDITOR,
    "archivePage": Role.EDITOR,
    "deletePage": Role.EDITOR,
    "restorePageRevision": Role.EDITOR,
    "createAuthor": Role.ADMIN,
    "updateAuthor": Role.ADMIN,
    "deleteAuthor": Role.ADMIN,
    "createTag": Role.ADMIN,
    "updateTag": Role.ADMIN,
    "deleteTag": Role.ADMIN,
    "updateSite": Role.ADMIN,
    "enableLanguage": Role.ADMIN,
    "createWebhook": Role.ADMIN,
    "updateWebhook": Role.ADMIN,
    "deleteWebhook": Role.ADMIN,
    "redeliverWebhookDelivery": Role.ADMIN,
    # Media: uploads are multipart requests, so their roles are tried in
    # tests/media/test_media_mutations.py rather than through INPUTS here.
    "createMedia": Role.CONTRIBUTOR,
    "createMediaFromUrl": Role.CONTRIBUTOR,
    "updateMedia": Role.CONTRIBUTOR,
    "deleteMedia": Role.EDITOR,
    "createSection": Role.ADMIN,
    "updateSection": Role.ADMIN,
    "deleteSection": Role.ADMIN,
    "replaceMenu": Role.ADMIN,
    # A multipart upload too: tried in tests/translations/test_xliff_round_trip.py.
    "importTranslation": Role.CONTRIBUTOR,
    "createTranslationTask": Role.EDITOR,
    "updateTranslationTask": Role.EDITOR,
    "cancelTranslationTask": Role.EDITOR,
    "submitTranslation": Role.CONTRIBUTOR,
    # Needs a machine translation provider: its roles are tried in
    # tests/translations/test_machine_translation.py rather than through INPUTS here.
    "prefillTranslation": Role.CONTRIBUTOR,
}
IDENTITIES: list[Role | None] = [None, Role.CONTRIBUTOR, Role.EDITOR, Role.ADMIN]


def schema_mutations() -> dict[str, str]:
    """Mutation name -> the type of its `input` argument, e.g. "CreateTagInput!"."""
    mutation_type = schema._schema.mutation_type
    assert mutation_type is not None
    return {name: str(field.args["input"].type) for name, field in mutation_type.fields.items()}


def test_every_mutation_declares_its_permission() -> None:
    mutation_type = schema.get_type_by_name("Mutation")
    assert isinstance(mutation_type, StrawberryObjectDefinition)
    undeclared = [
        field.python_name
        for field in mutation_type.fields
        if not any(isinstance(extension, Requires) for extension in field.extensions)
    ]
    assert not undeclared, f"declare these with schema.mutations.mutation: {undeclared}"


def test_every_mutation_has_an_expectation() -> None:
    missing = set(schema_mutations()) - set(MINIMUM_ROLE)
    assert not missing, f"add these mutations to MINIMUM_ROLE and INPUTS: {sorted(missing)}"
    assert set(MINIMUM_ROLE) - set(schema_mutations()) == set(), "stale rows in MINIMUM_ROLE"


@dataclass
class Fixtures:
    """Makes fresh targets through the API with an admin token, so trials never share one."""

    api: ApiClient
    admin: dict[str, str]
    counter: itertools.count[int] = field(default_factory=itertools.count)
    # Languages not enabled in the demo, one per trial of enableLanguage.
    codes: Iterator[str] = field(default_factory=lambda: iter(["de", "fr", "es", "it", "pt"]))

    def unique(self, stem: str) -> str:
        return f"{stem}-{next(self.counter)}"

    async def run(self, name: str, input: dict[str, Any], selection: str) -> dict[str, Any]:
        input_type = schema_mutations()[name]
        result = await self.api.data(
            f"mutation($input: {input_type}) "
            f"{{ {name}(input: $input) {{ __typename {selection} }} }}",
            {"input": input},
            headers=self.admin,
        )
        payload: dict[str, Any] = result[name]
        assert payload["__typename"].endswith("Success"), payload
        return payload

    async def draft(self) -> dict[str, Any]:
        made = await self.run(
            "createArticle",
            {"language": "en", "slug": self.unique("draft"), "title": "A draft"},
            "... on CreateArticleSuccess { article { id version } }",
        )
        article: dict[str, Any] = made["article"]
        return article

    async def published(self) -> dict[str, Any]:
        draft = await self.draft()
        made = await self.run(
            "publishArticle",
            {"id": draft["id"]},
            "... on ArticleStatusSuccess { article { id version revisions { id } } }",
        )
        article: dict[str, Any] = made["article"]
        return article

    async def page_draft(self) -> dict[str, Any]:
        made = await self.run(
            "createPage",
            {"language": "en", "slug": self.unique("page"), "title": "A page"},
            "... on CreatePageSuccess { page { id version } }",
        )
        page: dict[str, Any] = made["page"]
        return page

    async def page_published(self) -> dict[str, Any]:
        draft = await self.page_draft()
        made = await self.run(
            "publishPage",
            {"id": draft["id"]},
            "... on PageStatusSuccess { page { id version revisions { id } } }",
        )
        page: dict[str, Any] = made["page"]
        return page

    async def translation_task(self) -> dict[str, Any]:
        original = await self.draft()
        made = await self.run(
            "createTranslationTask",
            {"originalId": original["id"], "language": "tr", "assignee": {"name": "T"}},
            "... on CreateTranslationTaskSuccess { task { id version } }",
        )
        task: dict[str, Any] = made["task"]
        return task

    async def translation(self) -> str:
        made = await self.run(
            "createTranslation",
            await _create_translation(self),
            "... on CreateTranslationSuccess { article { id } }",
        )
        translation_id: str = made["article"]["id"]
        return translation_id

    async def author(self) -> str:
        made = await self.run(
            "createAuthor",
            {"slug": self.unique("author"), "name": "An author"},
            "... on CreateAuthorSuccess { author { id } }",
        )
        author_id: str = made["author"]["id"]
        return author_id

    async def tag(self) -> str:
        made = await self.run(
            "createTag",
            {"slug": self.unique("tag"), "names": [{"language": "en", "name": "A tag"}]},
            "... on CreateTagSuccess { tag { id } }",
        )
        tag_id: str = made["tag"]["id"]
        return tag_id

    async def site_version(self) -> int:
        found = await self.api.data("{ site { version } }")
        version: int = found["site"]["version"]
        return version

    async def section(self) -> dict[str, Any]:
        slug = self.unique("section")
        made = await self.run(
            "createSection",
            {"translations": [{"language": "en", "name": "A section", "slug": slug}]},
            "... on CreateSectionSuccess { section { id version } }",
        )
        section: dict[str, Any] = made["section"]
        return section

    async def webhook(self) -> str:
        made = await self.run(
            "createWebhook",
            {"url": "http://127.0.0.1:9/hook", "events": ["ARTICLE_PUBLISHED"]},
            "... on CreateWebhookSuccess { webhook { id } }",
        )
        webhook_id: str = made["webhook"]["id"]
        return webhook_id

    async def delivery(self) -> str:
        webhook_id = await self.webhook()
        await self.published()
        found = await self.api.data(
            "{ webhooks { id recentDeliveries { id } } }", headers=self.admin
        )
        [hook] = [w for w in found["webhooks"] if w["id"] == webhook_id]
        delivery_id: str = hook["recentDeliveries"][0]["id"]
        return delivery_id


async def _create_translation(f: Fixtures) -> dict[str, Any]:
    original = await f.draft()
    return {
        "originalId": original["id"],
        "language": "tr",
        "slug": f.unique("ceviri"),
        "title": "T",
    }


async def _update_article(f: Fixtures) -> dict[str, Any]:
    draft = await f.draft()
    return {"id": draft["id"], "expectedVersion": draft["version"], "title": "Changed"}


async def _restore_revision(f: Fixtures) -> dict[str, Any]:
    article = await f.published()
    return {"articleId": article["id"], "revisionId": article["revisions"][0]["id"]}


async def _set_related(f: Fixtures) -> dict[str, Any]:
    one, other = await f.published(), await f.published()
    return {"articleId": one["id"], "relatedArticleIds": [other["id"]]}


async def _create_page_translation(f: Fixtures) -> dict[str, Any]:
    original = await f.page_draft()
    return {"originalId": original["id"], "language": "tr", "slug": f.unique("sayfa"), "title": "T"}


async def _update_page(f: Fixtures) -> dict[str, Any]:
    draft = await f.page_draft()
    return {"id": draft["id"], "expectedVersion": draft["version"], "title": "Changed"}


async def _restore_page_revision(f: Fixtures) -> dict[str, Any]:
    page = await f.page_published()
    return {"pageId": page["id"], "revisionId": page["revisions"][0]["id"]}


INPUTS: dict[str, Callable[[Fixtures], Awaitable[dict[str, Any]]]] = {
    "createArticle": lambda f: _value({"language": "en", "slug": f.unique("new"), "title": "New"}),
    "createTranslation": _create_translation,
    "updateArticle": _update_article,
    "createPreviewLink": lambda f: _with(f.draft(), lambda a: {"articleId": a["id"]}),
    "publishArticle": lambda f: _with(f.draft(), lambda a: {"id": a["id"]}),
    "unpublishArticle": lambda f: _with(f.published(), lambda a: {"id": a["id"]}),
    "archiveArticle": lambda f: _with(f.published(), lambda a: {"id": a["id"]}),
    "deleteArticle": lambda f: _with(f.draft(), lambda a: {"id": a["id"]}),
    "restoreRevision": _restore_revision,
    "setRelatedArticles": _set_related,
    "createPage": lambda f: _value({"language": "en", "slug": f.unique("new-page"), "title": "P"}),
    "createPageTranslation": _create_page_translation,
    "updatePage": _update_page,
    "createPagePreviewLink": lambda f: _with(f.page_draft(), lambda p: {"pageId": p["id"]}),
    "publishPage": lambda f: _with(f.page_draft(), lambda p: {"id": p["id"]}),
    "unpublishPage": lambda f: _with(f.page_published(), lambda p: {"id": p["id"]}),
    "archivePage": lambda f: _with(f.page_published(), lambda p: {"id": p["id"]}),
    "deletePage": lambda f: _with(f.page_draft(), lambda p: {"id": p["id"]}),
    "restorePageRevision": _restore_page_revision,
    "createAuthor": lambda f: _value({"slug": f.unique("writer"), "name": "New"}),
    "updateAuthor": lambda f: _with(f.author(), lambda i: {"id": i, "name": "Changed"}),
    "deleteAuthor": lambda f: _with(f.author(), lambda i: {"id": i}),
    "createTag": lambda f: _value(
        {"slug": f.unique("topic"), "names": [{"language": "en", "name": "New"}]}
    ),
    "updateTag": lambda f: _with(f.tag(), lambda i: {"id": i, "slug": f.unique("renamed")}),
    "deleteTag": lambda f: _with(f.tag(), lambda i: {"id": i}),
    "updateSite": lambda f: _with(
        f.site_version(), lambda v: {"expectedVersion": v, "name": f.unique("Renamed")}
    ),
    "enableLanguage": lambda f: _value({"code": next(f.codes)}),
    "createSection": lambda f: _value(
        {"translations": [{"language": "en", "name": "New", "slug": f.unique("place")}]}
    ),
    "updateSection": lambda f: _with(
        f.section(), lambda s: {"id": s["id"], "expectedVersion": s["version"], "position": 2}
    ),
    "deleteSection": lambda f: _with(f.section(), lambda s: {"id": s["id"]}),
    # A new menu each time: creating one needs no version.
    "replaceMenu": lambda f: _value(
        {
            "name": f.unique("menu"),
            "language": "en",
            "items": [{"url": "https://e.org", "label": "E"}],
        }
    ),
    "createWebhook": lambda f: _value(
        {"url": "http://127.0.0.1:9/hook", "events": ["ARTICLE_UPDATED"]}
    ),
    "updateWebhook": lambda f: _with(f.webhook(), lambda i: {"id": i, "description": "x"}),
    "deleteWebhook": lambda f: _with(f.webhook(), lambda i: {"id": i}),
    "redeliverWebhookDelivery": lambda f: _with(f.delivery(), lambda i: {"deliveryId": i}),
    "createTranslationTask": lambda f: _with(
        f.draft(),
        lambda a: {"originalId": a["id"], "language": "tr", "assignee": {"name": "T"}},
    ),
    "updateTranslationTask": lambda f: _with(
        f.translation_task(),
        lambda t: {"id": t["id"], "expectedVersion": t["version"], "note": "x"},
    ),
    "cancelTranslationTask": lambda f: _with(f.translation_task(), lambda t: {"id": t["id"]}),
    "submitTranslation": lambda f: _with(f.translation(), lambda i: {"id": i}),
}


async def _value(value: dict[str, Any]) -> dict[str, Any]:
    return value


async def _with(target: Awaitable[Any], build: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    return build(await target)


def allowed(identity: Role | None, minimum: Role) -> bool:
    return identity is not None and identity.rank >= minimum.rank


async def test_each_role_gets_what_it_may_and_nothing_more(fresh_demo_url: str) -> None:
    tokens = {role: bearer(await issue_token(fresh_demo_url, role)) for role in Role}
    outcomes: dict[tuple[str, str], str] = {}
    expected: dict[tuple[str, str], str] = {}
    async with api_client(
        fresh_demo_url, webhooks_allow_private=True, webhooks_dispatcher=False
    ) as api:
        fixtures = Fixtures(api, tokens[Role.ADMIN])
        for name, input_type in schema_mutations().items():
            if name not in INPUTS:
                continue  # reported by test_every_mutation_has_an_expectation
            for identity in IDENTITIES:
                input = await INPUTS[name](fixtures)
                result = await api.data(
                    f"mutation($input: {input_type}) {{ {name}(input: $input) {{ __typename "
                    "... on UserError { message } } }",
                    {"input": input},
                    headers=tokens[identity] if identity else {},
                )
                who = identity.value if identity else "no token"
                outcomes[name, who] = result[name]["__typename"]
                success = allowed(identity, MINIMUM_ROLE[name])
                expected[name, who] = "Success" if success else "ForbiddenError"
    mismatches = {
        key: outcome for key, outcome in outcomes.items() if not outcome.endswith(expected[key])
    }
    assert not mismatches, mismatches
    assert len(outcomes) == 4 * len(INPUTS)


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.CONTRIBUTOR, "ForbiddenError"), (Role.EDITOR, "UpdateArticleSuccess")],
)
async def test_only_editors_change_published_articles(
    fresh_demo_url: str, role: Role, expected: str
) -> None:
    admin = bearer(await issue_token(fresh_demo_url, Role.ADMIN))
    token = bearer(await issue_token(fresh_demo_url, role))
    async with api_client(fresh_demo_url, webhooks_dispatcher=False) as api:
        fixtures = Fixtures(api, admin)
        article = await fixtures.published()
        result = await api.data(
            """mutation($input: UpdateArticleInput!) {
              updateArticle(input: $input) { __typename }
            }""",
            {"input": {"id": article["id"], "expectedVersion": article["version"], "title": "X"}},
            headers=token,
        )
        assert result["updateArticle"]["__typename"] == expected
        after = await api.data(
            "query($id: ID!) { node(id: $id) { ... on Article { title } } }",
            {"id": article["id"]},
        )
        changed = expected.endswith("Success")
        assert (after["node"]["title"] == "X") is changed
