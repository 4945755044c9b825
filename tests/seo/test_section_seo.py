"""Sections' SEO per language through createSection/updateSection: fallbacks to the section's
texts, image and URL, changes language by language (a new version each), bad input at its
path, social images as media usages, cached answers dropped on change, and a listing's
statements independent of how many sections it shows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from publishing.access import Role
from tests.media.files import jpeg, pdf
from tests.media.test_media_mutations import DELETE
from tests.performance.test_response_cache import get
from tests.seo.test_article_seo import Desk
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token

pytestmark = pytest.mark.anyio

SITE_URL = "http://localhost:3000"
SEO = """title description canonicalUrl noindex image { id }
  overrides { title description canonicalUrl noindex socialImage { id } }"""
SECTION = f"""query($slug: String!) {{ section(language: "en", slug: $slug) {{
  id version
  seo {{ {SEO} }}
  tr: seo(language: "TR") {{ {SEO} }}
  ru: seo(language: "ru") {{ {SEO} }}
}} }}"""
RESULT = """__typename ... on ValidationError { issues { path code } }"""
CREATE = f"""mutation($input: CreateSectionInput!) {{ createSection(input: $input) {{
  {RESULT} ... on CreateSectionSuccess {{ section {{
    id version en: seo(language: "en") {{ {SEO} }} tr: seo(language: "tr") {{ {SEO} }}
  }} }}
}} }}"""
UPDATE = f"""mutation($input: UpdateSectionInput!) {{ updateSection(input: $input) {{
  {RESULT} ... on UpdateSectionSuccess {{ section {{
    version en: seo(language: "en") {{ {SEO} }}
  }} }}
}} }}"""
USAGE = "query ($id: ID!) { mediaUsage(id: $id) { kind id field label } }"
SITE_DESCRIPTION = "Analysis of energy, security and economic policy."


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


async def _section(desk: Desk, slug: str) -> dict[str, Any]:
    found: dict[str, Any] = (await desk.api.data(SECTION, {"slug": slug}))["section"]
    return found


def _issues(result: dict[str, Any]) -> set[tuple[tuple[Any, ...], str]]:
    assert result["__typename"] == "ValidationError", result
    return {(tuple(i["path"]), i["code"]) for i in result["issues"]}


async def test_a_section_falls_back_to_its_texts_url_and_image_per_language(desk: Desk) -> None:
    analysis = await _section(desk, "analysis")
    assert analysis["seo"]["title"] == "Analysis"
    assert analysis["seo"]["description"] == "In-depth analysis of policy questions."
    assert analysis["seo"]["canonicalUrl"] == f"{SITE_URL}/en/sections/analysis"
    assert analysis["seo"]["noindex"] is False and analysis["seo"]["image"] is None
    # Each language its own name, description and page (with its own slug).
    assert analysis["tr"]["title"] == "Analiz"
    assert analysis["tr"]["description"] == "Politika sorularına derinlemesine bakış."
    assert analysis["tr"]["canonicalUrl"] == f"{SITE_URL}/tr/sections/analiz"
    assert analysis["ru"]["canonicalUrl"] == f"{SITE_URL}/ru/sections/analitika"

    # No description: the site's; no texts in a language: the fallback chain's, as `url`;
    # the section's image is the social image until an override names another.
    image = (await desk.upload(jpeg(800, 600), "desk.jpg"))["media"]["id"]
    created = await _admin(
        desk,
        CREATE,
        "createSection",
        translations=[{"language": "en", "name": "Briefs", "slug": "briefs"}],
        imageId=image,
    )
    assert created["__typename"] == "CreateSectionSuccess", created
    assert created["section"]["en"]["title"] == "Briefs"
    assert created["section"]["en"]["description"] == SITE_DESCRIPTION
    assert created["section"]["en"]["image"] == {"id": image}
    assert created["section"]["tr"]["title"] == "Briefs"
    assert created["section"]["tr"]["canonicalUrl"] == f"{SITE_URL}/en/sections/briefs"
    assert created["section"]["tr"]["overrides"]["socialImage"] is None


async def test_section_overrides_change_language_by_language(desk: Desk) -> None:
    social = (await desk.upload(jpeg(1200, 630), "social.jpg"))["media"]["id"]
    created = await _admin(
        desk,
        CREATE,
        "createSection",
        translations=[
            {"language": "en", "name": "Energy desk", "slug": "energy-desk"},
            {"language": "tr", "name": "Enerji masası", "slug": "enerji-masasi"},
        ],
        seo=[{"language": "tr", "seo": {"title": "Enerji: analiz", "noindex": True}}],
    )
    assert created["__typename"] == "CreateSectionSuccess", created
    section = created["section"]
    assert section["tr"]["title"] == "Enerji: analiz" and section["tr"]["noindex"] is True
    assert section["en"]["title"] == "Energy desk" and section["en"]["noindex"] is False

    first = await _admin(
        desk,
        UPDATE,
        "updateSection",
        id=section["id"],
        expectedVersion=section["version"],
        seo=[
            {
                "language": "en",
                "seo": {
                    "title": "Energy policy analysis",
                    "description": "Gas, power and the transition.",
                    "canonicalUrl": "https://example.org/energy",
                    "socialImageId": social,
                },
            }
        ],
    )
    assert first["__typename"] == "UpdateSectionSuccess", first
    # An SEO change is a change of the section: a new version.
    assert first["section"]["version"] == section["version"] + 1
    en = first["section"]["en"]
    assert en["title"] == "Energy policy analysis"
    assert en["description"] == "Gas, power and the transition."
    assert en["canonicalUrl"] == "https://example.org/energy"
    assert en["image"] == {"id": social}
    assert en["overrides"]["socialImage"] == {"id": social}
    after = await _section(desk, "energy-desk")
    assert after["tr"]["title"] == "Enerji: analiz"  # languages left out stay

    usage = await desk.api.data(USAGE, {"id": social}, headers=desk.editor)
    assert usage["mediaUsage"] == [
        {
            "kind": "section",
            "id": section["id"],
            "field": "seo.socialImage",
            "label": "Energy desk (en)",
        }
    ]
    refused = await desk.mutate(DELETE, "deleteMedia", id=social)
    assert _issues(refused) == {(("id",), "IN_USE")}

    # null deletes one language's overrides; the other's stay.
    second = await _admin(
        desk,
        UPDATE,
        "updateSection",
        id=section["id"],
        expectedVersion=after["version"],
        seo=[{"language": "tr", "seo": None}],
    )
    assert second["__typename"] == "UpdateSectionSuccess", second
    again = await _section(desk, "energy-desk")
    assert again["tr"]["title"] == "Enerji masası" and again["tr"]["noindex"] is False
    assert again["seo"]["title"] == "Energy policy analysis"
    # Once no override shows it, the image can go.
    cleared = await _admin(
        desk,
        UPDATE,
        "updateSection",
        id=section["id"],
        expectedVersion=again["version"],
        seo=[{"language": "en", "seo": None}],
    )
    assert cleared["section"]["en"]["title"] == "Energy desk"
    deleted = await desk.mutate(DELETE, "deleteMedia", id=social)
    assert deleted["__typename"] == "DeleteMediaSuccess", deleted


async def test_bad_section_overrides_are_reported_at_their_paths(desk: Desk) -> None:
    analysis = await _section(desk, "analysis")
    document = await desk.upload(pdf(), "paper.pdf")
    refused = await _admin(
        desk,
        UPDATE,
        "updateSection",
        id=analysis["id"],
        expectedVersion=analysis["version"],
        seo=[
            {"language": "en", "seo": {"canonicalUrl": "not a url"}},
            {"language": "xx", "seo": {"title": "t" * 301}},
            {"language": "EN", "seo": None},
            {"language": "ru"},
            {"language": "tr", "seo": {"socialImageId": document["media"]["id"]}},
        ],
    )
    assert _issues(refused) == {
        (("seo", "0", "seo", "canonicalUrl"), "INVALID_URL"),
        (("seo", "1", "language"), "NOT_ENABLED"),
        (("seo", "1", "seo", "title"), "TOO_LONG"),
        (("seo", "2", "language"), "DUPLICATE"),
        (("seo", "3", "seo"), "REQUIRED"),
        (("seo", "4", "seo", "socialImageId"), "WRONG_KIND"),
    }
    # Nothing written, not even a new version.
    assert await _section(desk, "analysis") == analysis

    bad_new = await _admin(
        desk,
        CREATE,
        "createSection",
        translations=[{"language": "en", "name": "Briefs", "slug": "briefs"}],
        seo=[
            {"language": "en", "seo": {"canonicalUrl": "http:/x"}},
            {"language": "tr", "seo": {"title": " "}},
            {"language": "tr", "seo": {}},
        ],
    )
    assert _issues(bad_new) == {
        (("seo", "0", "seo", "canonicalUrl"), "INVALID_URL"),
        (("seo", "2", "language"), "DUPLICATE"),
    }
    missing = await desk.api.data('query { section(language: "en", slug: "briefs") { id } }')
    assert missing["section"] is None


async def test_a_cached_section_seo_changes_after_update_section(desk: Desk) -> None:
    query = """query($slug: String!) { section(language: "en", slug: $slug) {
      version seo { title description } } }"""
    first = await get(desk.api, query, {"slug": "commentary"})
    section = first.json()["data"]["section"]
    assert section["seo"]["title"] == "Commentary"
    assert (await get(desk.api, query, {"slug": "commentary"})).headers[
        "x-pressroom-cache"
    ] == "hit"
    found = await _section(desk, "commentary")
    updated = await _admin(
        desk,
        UPDATE,
        "updateSection",
        id=found["id"],
        expectedVersion=found["version"],
        seo=[{"language": "en", "seo": {"title": "Commentary and opinion"}}],
    )
    assert updated["__typename"] == "UpdateSectionSuccess", updated
    after = await get(desk.api, query, {"slug": "commentary"})
    assert after.headers["x-pressroom-cache"] == "miss"
    assert after.json()["data"]["section"]["seo"]["title"] == "Commentary and opinion"


async def test_a_listing_of_12_sections_costs_the_statements_of_3(desk: Desk) -> None:
    listing = """{{ {phase}: sections(language: "en") {{
      slug seo {{ title description canonicalUrl image {{ id }} }} }} }}"""
    image = (await desk.upload(jpeg(800, 600), "cover.jpg"))["media"]["id"]
    social = (await desk.upload(jpeg(1200, 630), "card.jpg"))["media"]["id"]

    async def count(phase: str) -> tuple[int, list[dict[str, Any]]]:
        # A query of its own per phase: a cached answer would cost no statement at all (and
        # a new section does not drop a cached listing of sections).
        query = listing.format(phase=phase)
        await desk.api.data(query, headers=desk.editor)  # the token's first use
        desk.api.counter.reset()
        data = await desk.api.data(query, headers=desk.editor)
        return desk.api.counter.count, data[phase]

    # The demo's three top-level sections, one with an image and overrides showing another.
    analysis = await _section(desk, "analysis")
    changed = await _admin(
        desk,
        UPDATE,
        "updateSection",
        id=analysis["id"],
        expectedVersion=analysis["version"],
        imageId=image,
        seo=[{"language": "en", "seo": {"socialImageId": social, "title": "Analyses"}}],
    )
    assert changed["__typename"] == "UpdateSectionSuccess", changed
    # Another with an image and no override: both relations are read in either phase.
    commentary = await _section(desk, "commentary")
    pictured = await _admin(
        desk,
        UPDATE,
        "updateSection",
        id=commentary["id"],
        expectedVersion=commentary["version"],
        imageId=image,
    )
    assert pictured["__typename"] == "UpdateSectionSuccess", pictured
    three, sections = await count("three")
    assert len(sections) == 3
    assert sections[0]["seo"]["title"] == "Analyses"
    assert sections[0]["seo"]["image"] == {"id": social}
    assert sections[1]["seo"]["image"] == {"id": image}
    for index in range(9):
        created = await _admin(
            desk,
            CREATE,
            "createSection",
            translations=[{"language": "en", "name": f"Desk {index}", "slug": f"desk-{index}"}],
            imageId=image,
            seo=[{"language": "en", "seo": {"description": f"Desk {index}'s work."}}],
            position=index + 10,
        )
        assert created["__typename"] == "CreateSectionSuccess", created
    twelve, sections = await count("twelve")
    assert len(sections) == 12
    assert sections[-1]["seo"] == {
        "title": "Desk 8",
        "description": "Desk 8's work.",
        "canonicalUrl": f"{SITE_URL}/en/sections/desk-8",
        "image": {"id": image},
    }
    assert three == twelve, (three, twelve)
