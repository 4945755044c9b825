"""Authors' and tags' SEO per language through updateAuthor/updateTag (and their creation):
fallbacks in each language, changes language by language, bad input at its path, social
images as media usages, and cached answers dropped on change."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from publishing.access import Role
from tests.media.files import jpeg
from tests.media.test_media_mutations import DELETE
from tests.performance.test_response_cache import get
from tests.seo.test_article_seo import Desk
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

SITE_URL = "http://localhost:3000"
SEO = """title description canonicalUrl noindex image { id }
  overrides { title description canonicalUrl noindex socialImage { id } }"""
AUTHOR = f"""query($slug: String!) {{ author(slug: $slug) {{
  id name
  seo {{ {SEO} }}
  tr: seo(language: "TR") {{ {SEO} }}
  ru: seo(language: "ru") {{ {SEO} }}
}} }}"""
TAGS = f"""{{ tags {{ id slug
  seo {{ {SEO} }} tr: seo(language: "tr") {{ {SEO} }} ru: seo(language: "ru") {{ {SEO} }}
}} }}"""
RESULT = """__typename
  ... on ValidationError { issues { path code } }
  ... on ForbiddenError { message }"""
UPDATE_AUTHOR = f"""mutation($input: UpdateAuthorInput!) {{ updateAuthor(input: $input) {{
  {RESULT} ... on UpdateAuthorSuccess {{ author {{ seo(language: "en") {{ {SEO} }} }} }}
}} }}"""
CREATE_AUTHOR = f"""mutation($input: CreateAuthorInput!) {{ createAuthor(input: $input) {{
  {RESULT} ... on CreateAuthorSuccess {{ author {{
    en: seo(language: "en") {{ {SEO} }} tr: seo(language: "tr") {{ {SEO} }}
  }} }}
}} }}"""
UPDATE_TAG = f"""mutation($input: UpdateTagInput!) {{ updateTag(input: $input) {{
  {RESULT} ... on UpdateTagSuccess {{ tag {{ ru: seo(language: "ru") {{ {SEO} }} }} }}
}} }}"""
CREATE_TAG = f"""mutation($input: CreateTagInput!) {{ createTag(input: $input) {{
  {RESULT} ... on CreateTagSuccess {{ tag {{ en: seo(language: "en") {{ {SEO} }} }} }}
}} }}"""
USAGE = "query ($id: ID!) { mediaUsage(id: $id) { kind id field label } }"


@pytest.fixture
async def desk(fresh_demo_url: str, tmp_path: Path) -> AsyncIterator[Desk]:
    editor = await issue_token(fresh_demo_url, Role.EDITOR, "editor-ed")
    contributor = await issue_token(fresh_demo_url, Role.CONTRIBUTOR, "contributor-cy")
    admin = await issue_token(fresh_demo_url, Role.ADMIN, "admin-ada")
    async with api_client(fresh_demo_url, media_url=(tmp_path / "media").as_uri()) as api:
        yield Desk(api, fresh_demo_url, bearer(editor), bearer(contributor), bearer(admin))


async def _admin(desk: Desk, query: str, mutation: str, **input: Any) -> dict[str, Any]:
    data = await desk.api.data(query, {"input": input}, headers=desk.admin)
    result: dict[str, Any] = data[mutation]
    return result


def _issues(result: dict[str, Any]) -> set[tuple[tuple[Any, ...], str]]:
    assert result["__typename"] == "ValidationError", result
    return {(tuple(i["path"]), i["code"]) for i in result["issues"]}


async def test_an_author_falls_back_to_name_bio_and_portrait_per_language(client: Any) -> None:
    author = (await client.data(AUTHOR, {"slug": "elif-aydin"}))["author"]
    # No language asked and none from a page: the default language.
    assert author["seo"]["title"] == "Elif Aydın"
    assert author["seo"]["canonicalUrl"] == f"{SITE_URL}/en/authors/elif-aydin"
    assert author["seo"]["description"].startswith("Elif Aydın is a senior fellow")
    # The bio's first paragraph only, as plain text.
    assert "\n" not in author["seo"]["description"]
    assert author["tr"]["canonicalUrl"] == f"{SITE_URL}/tr/authors/elif-aydin"
    assert author["tr"]["description"].startswith("Elif Aydın, Meridian Enstitüsü'nde")
    assert author["seo"]["noindex"] is False and author["seo"]["image"] is None
    # The demo describes another author's page in English and Russian, not in Turkish.
    irina = (await client.data(AUTHOR, {"slug": "irina-sokolova"}))["author"]
    assert (
        irina["seo"]["description"] == "Irina Sokolova writes on arms control and nuclear policy."
    )
    assert irina["ru"]["description"] == "Ирина Соколова пишет о контроле над вооружениями."
    assert irina["tr"]["overrides"]["description"] is None
    assert irina["tr"]["description"] and irina["tr"]["description"] != irina["seo"]["description"]


async def test_author_overrides_change_language_by_language(desk: Desk) -> None:
    author = (await desk.api.data(AUTHOR, {"slug": "elif-aydin"}))["author"]
    portrait = (await desk.upload(jpeg(400, 400), "portrait.jpg"))["media"]["id"]
    social = (await desk.upload(jpeg(1200, 630), "social.jpg"))["media"]["id"]
    first = await _admin(
        desk,
        UPDATE_AUTHOR,
        "updateAuthor",
        id=author["id"],
        avatarId=portrait,
        seo=[
            {"language": "en", "seo": {"title": "Elif Aydın, energy and foreign policy"}},
            {"language": "tr", "seo": {"description": "Enerji ve dış politika", "noindex": True}},
        ],
    )
    assert first["__typename"] == "UpdateAuthorSuccess", first
    en = first["author"]["seo"]
    assert en["title"] == "Elif Aydın, energy and foreign policy"
    assert en["image"] == {"id": portrait}  # no override: the portrait
    after = (await desk.api.data(AUTHOR, {"slug": "elif-aydin"}))["author"]
    assert after["tr"]["title"] == "Elif Aydın"
    assert after["tr"]["description"] == "Enerji ve dış politika"
    assert after["tr"]["noindex"] is True
    # Overrides of one language are not another's: Russian falls back entirely.
    assert after["ru"] == author["ru"] | {"image": {"id": portrait}}

    # Only the languages named change: en gets an image, tr is deleted, nothing else moves.
    second = await _admin(
        desk,
        UPDATE_AUTHOR,
        "updateAuthor",
        id=author["id"],
        seo=[
            {"language": "en", "seo": {"socialImageId": social}},
            {"language": "tr", "seo": None},
        ],
    )
    assert second["__typename"] == "UpdateAuthorSuccess", second
    assert second["author"]["seo"]["title"] == "Elif Aydın"  # the whole set was replaced
    assert second["author"]["seo"]["image"] == {"id": social}
    again = (await desk.api.data(AUTHOR, {"slug": "elif-aydin"}))["author"]
    assert again["tr"]["overrides"]["description"] is None
    usage = await desk.api.data(USAGE, {"id": social}, headers=desk.editor)
    assert usage["mediaUsage"] == [
        {
            "kind": "author",
            "id": author["id"],
            "field": "seo.socialImage",
            "label": "Elif Aydın (en)",
        }
    ]
    refused = await desk.mutate(DELETE, "deleteMedia", id=social)
    assert _issues(refused) == {(("id",), "IN_USE")}


async def test_bad_author_and_tag_overrides_are_reported_at_their_paths(desk: Desk) -> None:
    author = (await desk.api.data(AUTHOR, {"slug": "elif-aydin"}))["author"]
    refused = await _admin(
        desk,
        UPDATE_AUTHOR,
        "updateAuthor",
        id=author["id"],
        seo=[
            {"language": "en", "seo": {"canonicalUrl": "not a url"}},
            {"language": "xx", "seo": {"title": "t" * 301}},
            {"language": "EN", "seo": None},
            {"language": "ru"},
        ],
    )
    assert _issues(refused) == {
        (("seo", "0", "seo", "canonicalUrl"), "INVALID_URL"),
        (("seo", "1", "language"), "NOT_ENABLED"),
        (("seo", "1", "seo", "title"), "TOO_LONG"),
        (("seo", "2", "language"), "DUPLICATE"),
        (("seo", "3", "seo"), "REQUIRED"),
    }
    unchanged = (await desk.api.data(AUTHOR, {"slug": "elif-aydin"}))["author"]
    assert unchanged == author

    created = await _admin(
        desk,
        CREATE_AUTHOR,
        "createAuthor",
        slug="new-fellow",
        name="New Fellow",
        seo=[{"language": "tr", "seo": {"title": "Yeni araştırmacı"}}],
    )
    assert created["__typename"] == "CreateAuthorSuccess", created
    assert created["author"]["tr"]["title"] == "Yeni araştırmacı"
    assert created["author"]["en"]["title"] == "New Fellow"
    # No bio, no override: the site's description.
    assert (
        created["author"]["en"]["description"]
        == "Analysis of energy, security and economic policy."
    )

    tags = (await desk.api.data(TAGS))["tags"]
    bad_tag = await _admin(
        desk,
        UPDATE_TAG,
        "updateTag",
        id=tags[0]["id"],
        seo=[{"language": "ru", "seo": {"canonicalUrl": "//example.org/x"}}],
    )
    assert _issues(bad_tag) == {(("seo", "0", "seo", "canonicalUrl"), "INVALID_URL")}
    bad_new_tag = await _admin(
        desk,
        CREATE_TAG,
        "createTag",
        slug="new-tag",
        names=[{"language": "en", "name": "New"}],
        seo=[{"language": "en", "seo": {"canonicalUrl": "http:/x"}}],
    )
    assert _issues(bad_new_tag) == {(("seo", "0", "seo", "canonicalUrl"), "INVALID_URL")}


async def test_tag_overrides_per_language_and_cached_answers(desk: Desk) -> None:
    tags = (await get(desk.api, TAGS, {})).json()["data"]["tags"]
    energy = next(t for t in tags if t["slug"] == "energy")
    assert energy["seo"]["title"] == "Energy"
    assert energy["seo"]["canonicalUrl"] == f"{SITE_URL}/en/tags/energy"
    assert energy["ru"]["canonicalUrl"] == f"{SITE_URL}/ru/tags/energy"
    assert energy["ru"]["title"] != "Energy"  # its Russian name
    assert (await get(desk.api, TAGS, {})).headers["x-pressroom-cache"] == "hit"

    social = (await desk.upload(jpeg(800, 600), "energy.jpg"))["media"]["id"]
    updated = await _admin(
        desk,
        UPDATE_TAG,
        "updateTag",
        id=energy["id"],
        seo=[
            {
                "language": "ru",
                "seo": {
                    "title": "Энергетика: анализ",
                    "description": "Всё об энергетике.",
                    "canonicalUrl": "https://example.org/ru/energy",
                    "socialImageId": social,
                },
            }
        ],
    )
    assert updated["__typename"] == "UpdateTagSuccess", updated
    after = await get(desk.api, TAGS, {})
    assert after.headers["x-pressroom-cache"] == "miss"
    energy_after = next(t for t in after.json()["data"]["tags"] if t["slug"] == "energy")
    assert energy_after["ru"]["title"] == "Энергетика: анализ"
    assert energy_after["ru"]["image"] == {"id": social}
    assert energy_after["seo"] == energy["seo"]
    usage = await desk.api.data(USAGE, {"id": social}, headers=desk.editor)
    assert usage["mediaUsage"] == [
        {"kind": "tag", "id": energy["id"], "field": "seo.socialImage", "label": "energy (ru)"}
    ]
    created = await _admin(
        desk,
        CREATE_TAG,
        "createTag",
        slug="hydrogen",
        names=[{"language": "en", "name": "Hydrogen"}],
        seo=[{"language": "en", "seo": {"description": "Hydrogen policy.", "noindex": True}}],
    )
    assert created["__typename"] == "CreateTagSuccess", created
    assert created["tag"]["en"]["description"] == "Hydrogen policy."
    assert created["tag"]["en"]["noindex"] is True
