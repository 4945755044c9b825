"""An article version's SEO through the real app: fallbacks, overrides set with the article's
mutations (a new version, kept in revisions, restored), every bad field at its path, the
social image as a media usage, noindex for what readers cannot see, and cached answers
dropped when the overrides change."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from publishing.access import Role
from tests.media.files import jpeg, pdf
from tests.media.test_media_mutations import DELETE, Newsroom
from tests.performance.test_response_cache import get
from tests.support.client import api_client
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

NUCLEAR = ("en", "the-future-of-nuclear-verification")
NUCLEAR_TITLE = "The Future of Nuclear Verification"
SITE_URL = "http://localhost:3000"
SEO_FIELDS = """seo {
  title description canonicalUrl noindex
  image { id }
  openGraphImage { url width height mediaType alt }
  overrides { title description canonicalUrl noindex socialImage { id } }
}"""
PAGE = f"""query($language: String!, $slug: String!) {{
  article(language: $language, slug: $slug) {{ id version url excerpt {SEO_FIELDS} }}
}}"""
NODE = f"""query($id: ID!) {{ node(id: $id) {{ ... on Article {{
  id version url status {SEO_FIELDS} revisions {{ id version snapshot }}
}} }} }}"""
RESULT = """__typename
  ... on ValidationError { issues { path code message } }
  ... on ForbiddenError { message }"""
CONFLICT = "... on ConflictError { currentVersion }"
UPDATE = f"""mutation($input: UpdateArticleInput!) {{ updateArticle(input: $input) {{
  {RESULT} {CONFLICT} ... on UpdateArticleSuccess {{ article {{ id version {SEO_FIELDS} }} }}
}} }}"""
CREATE = f"""mutation($input: CreateArticleInput!) {{ createArticle(input: $input) {{
  {RESULT} ... on CreateArticleSuccess {{ article {{ id version url {SEO_FIELDS} }} }}
}} }}"""
TRANSLATE = f"""mutation($input: CreateTranslationInput!) {{ createTranslation(input: $input) {{
  {RESULT} ... on CreateTranslationSuccess {{ article {{ id version {SEO_FIELDS} }} }}
}} }}"""
RESTORE = f"""mutation($input: RestoreRevisionInput!) {{ restoreRevision(input: $input) {{
  {RESULT} {CONFLICT} ... on RestoreRevisionSuccess {{ article {{ version {SEO_FIELDS} }} }}
}} }}"""
PREVIEW = """mutation($input: CreatePreviewLinkInput!) { createPreviewLink(input: $input) {
  __typename ... on CreatePreviewLinkSuccess { token }
} }"""
PREVIEWED = f"""query($token: String!) {{ articlePreview(token: $token) {{ {SEO_FIELDS} }} }}"""
USAGE = "query ($id: ID!) { mediaUsage(id: $id) { kind id field label } }"


@dataclass
class Desk(Newsroom):
    admin: dict[str, str]

    async def as_editor(self, query: str, name: str, **input: Any) -> dict[str, Any]:
        return await self.mutate(query, name, **input)


@pytest.fixture
async def desk(fresh_demo_url: str, tmp_path: Path) -> AsyncIterator[Desk]:
    editor = await issue_token(fresh_demo_url, Role.EDITOR, "editor-ed")
    contributor = await issue_token(fresh_demo_url, Role.CONTRIBUTOR, "contributor-cy")
    admin = await issue_token(fresh_demo_url, Role.ADMIN, "admin-ada")
    async with api_client(fresh_demo_url, media_url=(tmp_path / "media").as_uri()) as api:
        yield Desk(api, fresh_demo_url, bearer(editor), bearer(contributor), bearer(admin))


def _issues(result: dict[str, Any]) -> set[tuple[tuple[Any, ...], str]]:
    assert result["__typename"] == "ValidationError", result
    return {(tuple(i["path"]), i["code"]) for i in result["issues"]}


async def _nuclear(desk: Desk) -> dict[str, Any]:
    data = await desk.api.data(PAGE, {"language": NUCLEAR[0], "slug": NUCLEAR[1]})
    article: dict[str, Any] = data["article"]
    return article


async def test_without_overrides_everything_falls_back_to_the_article(client: Any) -> None:
    article = (await client.data(PAGE, {"language": "en", "slug": NUCLEAR[1]}))["article"]
    seo = article["seo"]
    assert seo["title"] == NUCLEAR_TITLE
    assert seo["description"] == article["excerpt"]
    assert seo["canonicalUrl"] == article["url"] == f"{SITE_URL}/en/articles/{NUCLEAR[1]}"
    assert seo["noindex"] is False
    assert seo["image"] is None and seo["openGraphImage"] is None
    assert seo["overrides"] == {
        "title": None,
        "description": None,
        "canonicalUrl": None,
        "noindex": False,
        "socialImage": None,
    }


async def test_the_demo_shows_overrides_as_editors_set_them(client: Any) -> None:
    variables = {"language": "en", "slug": "turkiyes-gas-hub-ambition"}
    seo = (await client.data(PAGE, variables))["article"]["seo"]
    assert seo["title"] == seo["overrides"]["title"] == "Türkiye's gas hub: what it still lacks"
    assert seo["description"].startswith("Pipelines and LNG terminals are in place.")
    assert seo["overrides"]["canonicalUrl"] is None


async def test_overrides_are_a_new_version_kept_in_revisions_and_restored(desk: Desk) -> None:
    article = await _nuclear(desk)
    image = (await desk.upload(jpeg(1600, 900), "card.jpg"))["media"]["id"]
    overrides = {
        "title": "  Gas hub: what Türkiye still lacks  ",
        "description": "Why a trading hub needs trusted prices.",
        "canonicalUrl": "https://partner.example.org/gas-hub",
        "noindex": True,
        "socialImageId": image,
    }
    updated = await desk.as_editor(
        UPDATE, "updateArticle", id=article["id"], expectedVersion=article["version"], seo=overrides
    )
    assert updated["__typename"] == "UpdateArticleSuccess", updated
    after = updated["article"]
    assert after["version"] == article["version"] + 1
    seo = after["seo"]
    assert seo["title"] == "Gas hub: what Türkiye still lacks"
    assert seo["description"] == "Why a trading hub needs trusted prices."
    assert seo["canonicalUrl"] == "https://partner.example.org/gas-hub"
    assert seo["noindex"] is True
    assert seo["image"] == {"id": image} == seo["overrides"]["socialImage"]
    og = seo["openGraphImage"]
    # Absolute (the API's origin), signed, a 1200x630 JPEG cover crop.
    assert og["url"].startswith("http://pressroom.test/media/")
    assert og["url"].endswith("/1200x630-cover.jpg")
    assert (og["width"], og["height"], og["mediaType"]) == (1200, 630, "image/jpeg")
    rendition = await desk.api.http.get(og["url"].removeprefix("http://pressroom.test"))
    assert rendition.status_code == 200
    assert rendition.headers["content-type"] == "image/jpeg"

    # The revision holds the overrides; restoring the one before brings back none.
    node = (await desk.api.data(NODE, {"id": article["id"]}, headers=desk.editor))["node"]
    revisions = {r["version"]: r for r in node["revisions"]}
    newest = revisions[after["version"]]
    assert newest["snapshot"]["seo"]["canonicalUrl"] == "https://partner.example.org/gas-hub"
    before = revisions[article["version"]]
    restored = await desk.as_editor(
        RESTORE,
        "restoreRevision",
        articleId=article["id"],
        revisionId=before["id"],
        expectedVersion=after["version"],
    )
    assert restored["__typename"] == "RestoreRevisionSuccess", restored
    assert restored["article"]["seo"]["overrides"]["canonicalUrl"] is None
    assert restored["article"]["seo"]["title"] == NUCLEAR_TITLE
    again = await desk.as_editor(
        RESTORE,
        "restoreRevision",
        articleId=article["id"],
        revisionId=newest["id"],
        expectedVersion=restored["article"]["version"],
    )
    assert again["__typename"] == "RestoreRevisionSuccess", again
    assert again["article"]["seo"]["overrides"] == seo["overrides"]

    # A stale version is a conflict, and writes nothing.
    stale = await desk.as_editor(
        UPDATE, "updateArticle", id=article["id"], expectedVersion=article["version"], seo=None
    )
    assert stale["__typename"] == "ConflictError"
    assert (await _nuclear(desk))["seo"]["overrides"]["title"] == seo["title"]

    # null removes them all.
    cleared = await desk.as_editor(
        UPDATE,
        "updateArticle",
        id=article["id"],
        expectedVersion=again["article"]["version"],
        seo=None,
    )
    assert cleared["__typename"] == "UpdateArticleSuccess", cleared
    assert cleared["article"]["seo"]["overrides"]["socialImage"] is None
    assert cleared["article"]["seo"]["canonicalUrl"] == article["url"]


async def test_every_bad_field_is_reported_at_its_path_and_nothing_changes(desk: Desk) -> None:
    article = await _nuclear(desk)
    report = (await desk.upload(pdf(), "report.pdf"))["media"]["id"]
    for bad_url in ("ftp://example.org/x", "/en/articles/elsewhere", "https://", "javascript:x"):
        result = await desk.as_editor(
            UPDATE,
            "updateArticle",
            id=article["id"],
            expectedVersion=article["version"],
            seo={"canonicalUrl": bad_url},
        )
        assert _issues(result) == {(("seo", "canonicalUrl"), "INVALID_URL")}, bad_url
    result = await desk.as_editor(
        UPDATE,
        "updateArticle",
        id=article["id"],
        expectedVersion=article["version"],
        title="",
        seo={
            "title": "x" * 301,
            "description": "y" * 1001,
            "canonicalUrl": "mailto:desk@example.org",
            "socialImageId": report,
        },
    )
    assert _issues(result) == {
        (("title",), "REQUIRED"),
        (("seo", "title"), "TOO_LONG"),
        (("seo", "description"), "TOO_LONG"),
        (("seo", "canonicalUrl"), "INVALID_URL"),
        (("seo", "socialImageId"), "WRONG_KIND"),
    }
    not_an_id = await desk.as_editor(
        UPDATE,
        "updateArticle",
        id=article["id"],
        expectedVersion=article["version"],
        seo={"socialImageId": "bm90LWFuLWlk"},
    )
    assert _issues(not_an_id) == {(("seo", "socialImageId"), "INVALID_ID")}
    unchanged = await _nuclear(desk)
    assert unchanged["version"] == article["version"]
    assert unchanged["seo"] == article["seo"]


async def test_new_versions_take_overrides_and_markdown_excerpts_become_plain_text(
    desk: Desk,
) -> None:
    created = await desk.as_editor(
        CREATE,
        "createArticle",
        language="en",
        slug="plain-text-excerpt",
        title="Plain text",
        excerpt="**Bold** claims and [a link](https://example.org/) *inside*.\n\nSecond paragraph.",
        seo={"title": "Short title"},
    )
    assert created["__typename"] == "CreateArticleSuccess", created
    seo = created["article"]["seo"]
    assert seo["title"] == "Short title"
    assert seo["description"] == "Bold claims and a link inside. Second paragraph."
    # A draft: no page for search engines, whoever reads it.
    assert seo["noindex"] is True and seo["overrides"]["noindex"] is False

    translated = await desk.as_editor(
        TRANSLATE,
        "createTranslation",
        originalId=created["article"]["id"],
        language="tr",
        slug="duz-metin",
        title="Düz metin",
        seo={"description": "Türkçe açıklama", "canonicalUrl": "https://example.org/tr"},
    )
    assert translated["__typename"] == "CreateTranslationSuccess", translated
    assert translated["article"]["seo"]["description"] == "Türkçe açıklama"
    assert translated["article"]["seo"]["title"] == "Düz metin"
    refused = await desk.as_editor(
        CREATE,
        "createArticle",
        language="en",
        slug="bad-canonical",
        title="Bad",
        seo={"canonicalUrl": "example.org/page"},
    )
    assert _issues(refused) == {(("seo", "canonicalUrl"), "INVALID_URL")}


async def test_what_readers_cannot_see_is_never_indexed(desk: Desk) -> None:
    draft = ("ru", "budushchee-yadernogo-kontrolya")
    draft_id = global_id("Article", await article_id(desk.url, *draft))
    node = (await desk.api.data(NODE, {"id": draft_id}, headers=desk.editor))["node"]
    assert node["status"] == "DRAFT" and node["seo"]["noindex"] is True
    link = await desk.api.data(PREVIEW, {"input": {"articleId": draft_id}}, headers=desk.editor)
    token = link["createPreviewLink"]["token"]
    previewed = (await desk.api.data(PREVIEWED, {"token": token}))["articlePreview"]
    assert previewed["seo"]["noindex"] is True
    published = await desk.api.data(NODE, {"id": (await _nuclear(desk))["id"]}, headers=desk.editor)
    assert published["node"]["seo"]["noindex"] is False


async def test_a_social_image_in_use_cannot_be_deleted(desk: Desk) -> None:
    article = await _nuclear(desk)
    image = (await desk.upload(jpeg(300, 200), "social.jpg"))["media"]["id"]
    updated = await desk.as_editor(
        UPDATE,
        "updateArticle",
        id=article["id"],
        expectedVersion=article["version"],
        seo={"socialImageId": image},
    )
    assert updated["__typename"] == "UpdateArticleSuccess", updated
    # Smaller than 1200x630: the largest crop of that shape it holds, never enlarged.
    og = updated["article"]["seo"]["openGraphImage"]
    assert (og["width"], og["height"]) == (300, 157)
    usage = await desk.api.data(USAGE, {"id": image}, headers=desk.editor)
    assert usage["mediaUsage"] == [
        {
            "kind": "article",
            "id": article["id"],
            "field": "seo.socialImage",
            "label": f"{NUCLEAR_TITLE} (en)",
        }
    ]
    refused = await desk.mutate(DELETE, "deleteMedia", id=image)
    assert _issues(refused) == {(("id",), "IN_USE")}
    cleared = await desk.as_editor(
        UPDATE,
        "updateArticle",
        id=article["id"],
        expectedVersion=updated["article"]["version"],
        seo={"title": "Kept, without an image"},
    )
    assert cleared["__typename"] == "UpdateArticleSuccess", cleared
    # The revision that named the image is restorable after the image is gone: the rest comes
    # back, the image is left out.
    gone = await desk.mutate(DELETE, "deleteMedia", id=image)
    assert gone["__typename"] == "DeleteMediaSuccess", gone
    node = (await desk.api.data(NODE, {"id": article["id"]}, headers=desk.editor))["node"]
    with_image = next(r for r in node["revisions"] if r["version"] == updated["article"]["version"])
    restored = await desk.as_editor(
        RESTORE,
        "restoreRevision",
        articleId=article["id"],
        revisionId=with_image["id"],
        expectedVersion=cleared["article"]["version"],
    )
    assert restored["__typename"] == "RestoreRevisionSuccess", restored
    assert restored["article"]["seo"]["overrides"]["socialImage"] is None
    assert restored["article"]["seo"]["overrides"]["title"] is None


async def test_changing_the_overrides_drops_cached_answers(desk: Desk) -> None:
    variables = {"language": NUCLEAR[0], "slug": NUCLEAR[1]}
    first = await get(desk.api, PAGE, variables)
    assert (await get(desk.api, PAGE, variables)).headers["x-pressroom-cache"] == "hit"
    article = first.json()["data"]["article"]
    updated = await desk.as_editor(
        UPDATE,
        "updateArticle",
        id=article["id"],
        expectedVersion=article["version"],
        seo={"title": "A title for search"},
    )
    assert updated["__typename"] == "UpdateArticleSuccess", updated
    after = await get(desk.api, PAGE, variables)
    assert after.headers["x-pressroom-cache"] == "miss"
    assert after.json()["data"]["article"]["seo"]["title"] == "A title for search"
