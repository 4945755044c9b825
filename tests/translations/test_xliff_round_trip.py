"""The seed's arms-control analysis (five footnotes, six references, two notes sharing a source)
out to XLIFF, back translated into Turkish, and an edit of the original showing as stale:
through the real app, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from translate.storage import xliff as xliff12
from translate.storage import xliff2

from publishing.access import Role
from publishing.demo.content import STORIES
from publishing.footnotes.references import find_references
from tests.articles.test_article_mutations import CREATE as CREATE_ARTICLE
from tests.articles.test_article_mutations import new_article
from tests.media.files import png
from tests.support.client import ApiClient
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

# Debian's php-symfony-translation ships the OASIS schemas (installed by .ci/run).
SCHEMAS = Path("/usr/share/php/Symfony/Component/Translation/Resources/schemas")
XML_NS = "http://www.w3.org/XML/1998/namespace"
PREFLIGHT = {"GraphQL-Require-Preflight": "1"}

EXPORT = """
query($id: ID!, $language: String!, $format: XliffFormat!, $changed: Boolean!) {
  exportTranslation(articleId: $id, targetLanguage: $language, format: $format,
                    onlyChanged: $changed) {
    __typename
    ... on TranslationExport { fileName content segmentCount }
    ... on UserError { message }
  }
}
"""
IMPORT = """
mutation($input: ImportTranslationInput!) {
  importTranslation(input: $input) {
    __typename
    ... on ImportTranslationSuccess { created article { id version language { code } title
      body { markdown } footnotes { number content { markdown } source { title } } } }
    ... on ValidationError { message issues { path code message } }
    ... on UserError { message }
  }
}
"""
UPDATE = """
mutation($input: UpdateArticleInput!) {
  updateArticle(input: $input) { __typename ... on UpdateArticleSuccess { article { version } } }
}
"""


def schema(name: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / name), locations={XML_NS: str(SCHEMAS / "xml.xsd")})


async def export(
    client: ApiClient,
    auth: dict[str, str],
    article: str,
    fmt: str = "XLIFF_2_1",
    changed: bool = False,
) -> dict[str, Any]:
    data = await client.data(
        EXPORT,
        {"id": article, "language": "tr", "format": fmt, "changed": changed},
        headers=auth,
    )
    result: dict[str, Any] = data["exportTranslation"]
    assert result["__typename"] == "TranslationExport", result
    return result


async def upload(
    client: ApiClient, auth: dict[str, str], content: str, expected: int | None = None
) -> dict[str, Any]:
    operations = {
        "query": IMPORT,
        "variables": {"input": {"file": None, "expectedVersion": expected}},
    }
    response = await client.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("article.xliff", content.encode(), "application/xliff+xml")},
        headers={**PREFLIGHT, **auth},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["importTranslation"]
    return result


def translate_2(content: str) -> str:
    """A translator's work in a 2.x tool: every source copied to a target, its text turned
    "Turkish" (prefixed), codes kept."""

    def unit(match: re.Match[str]) -> str:
        source = match.group(1)
        translated = re.sub(r">([^<>]+)<", lambda m: f">{_tr(m.group(1))}<", f">{source}<")[1:-1]
        return f"<source>{source}</source>\n        <target>{translated}</target>"

    return re.sub(r"<source>(.*?)</source>", unit, content, flags=re.S)


def _tr(text: str) -> str:
    return text if not text.strip() else f"TR {text}"


@pytest.fixture
async def editor(fresh_demo_url: str) -> dict[str, str]:
    return bearer(await issue_token(fresh_demo_url, Role.EDITOR))


async def test_round_trip_into_turkish_and_the_edited_paragraph_is_stale(
    writable_client: ApiClient, fresh_demo_url: str, editor: dict[str, str]
) -> None:
    original_pk = await article_id(fresh_demo_url, "en", "arms-control-without-a-treaty")
    original = global_id("Article", original_pk)

    exported = await export(writable_client, editor, original)
    content = exported["content"]
    assert exported["fileName"] == "arms-control-without-a-treaty.en-tr.xliff"
    schema("xliff-core-2.0.xsd").validate(content)
    store = xliff2.Xliff2File.parsestring(content.encode())
    units = store.getunits()
    assert len(units) == exported["segmentCount"] > 20
    assert any(unit.source == "Arms Control Without a Treaty" for unit in units)
    assert content.count('subType="pr:footnote"') == 6

    legacy = await export(writable_client, editor, original, "XLIFF_1_2")
    schema("xliff-core-1.2-strict.xsd").validate(legacy["content"])
    legacy_units = xliff12.xlifffile.parsestring(legacy["content"].encode()).getunits()
    assert len(legacy_units) == exported["segmentCount"]

    # A lost footnote reference: refused, naming the segment; nothing written.
    translated = translate_2(content)
    broken = translated.replace(
        '<ph id="1" canCopy="no" canDelete="no" type="other" subType="pr:footnote" '
        'disp="[^treaty]" dataRef="d1" />',
        "",
    )
    assert broken.count("[^treaty]") < translated.count("[^treaty]")
    refused = await upload(writable_client, editor, broken)
    assert refused["__typename"] == "ValidationError"
    codes = {(issue["code"], tuple(issue["path"][:2])) for issue in refused["issues"]}
    assert ("CODE_MISSING", ("file", "segments")) in codes
    assert any("[^treaty]" in issue["message"] for issue in refused["issues"])
    untranslated = await upload(writable_client, editor, content)
    assert untranslated["__typename"] == "ValidationError"
    assert {i["code"] for i in untranslated["issues"]} == {"UNTRANSLATED"}
    assert len(untranslated["issues"]) == exported["segmentCount"]

    imported = await upload(writable_client, editor, translated)
    assert imported["__typename"] == "ImportTranslationSuccess", imported
    assert imported["created"] is True
    article = imported["article"]
    assert article["language"]["code"] == "tr"
    assert article["title"] == "TR Arms Control Without a Treaty"
    body = article["body"]["markdown"]
    english_keys = [
        "treaty",
        "sipri-forces",
        "sipri-china",
        "notify",
        "npt",
        "sipri-forces",
    ]
    assert [r.key for r in find_references(body)] == english_keys
    assert [f["number"] for f in article["footnotes"]] == [1, 2, 3, 4, 5]
    assert all(f["content"]["markdown"].startswith("TR ") for f in article["footnotes"])
    sources = [f["source"]["title"] for f in article["footnotes"] if f["source"]]
    assert len(sources) == 3 and len(set(sources)) == 2  # two notes still share one source

    # Re-exported: every unit carries its Turkish target, marked translated.
    again = await export(writable_client, editor, original)
    assert again["content"].count("<target>") == exported["segmentCount"]
    assert 'state="initial"' not in again["content"]

    # The original changes one paragraph: exactly that segment is stale.
    assert "were modest." in _body()
    version = await _version(writable_client, editor, original)
    edited = await writable_client.data(
        UPDATE,
        {
            "input": {
                "id": original,
                "expectedVersion": version,
                "body": _body().replace("were modest.", "were modest by design."),
            }
        },
        headers=editor,
    )
    assert edited["updateArticle"]["__typename"] == "UpdateArticleSuccess", edited
    changed = await export(writable_client, editor, original, changed=True)
    assert changed["segmentCount"] == 1
    assert "modest by design." in changed["content"]
    assert 'subState="pr:outdated"' in changed["content"]
    schema("xliff-core-2.0.xsd").validate(changed["content"])

    # translationStatus names that segment, with its old and new source.
    status = await writable_client.data(STATUS, {"id": imported["article"]["id"]}, headers=editor)
    translation_status = status["node"]["translationStatus"]
    assert translation_status["isOutdated"] is True
    assert translation_status["changedSegmentCount"] == 1
    (change,) = translation_status["changedSegments"]
    assert change["change"] == "CHANGED" and change["kind"] == "PARAGRAPH"
    assert "were modest." in change["oldSource"]
    assert "were modest by design." in change["newSource"]
    assert f'id="{change["segmentId"]}"' in changed["content"]
    # The translator sends the stale paragraph back (the file of changed segments only): a new
    # version of the translation, every other segment as it was.
    retranslated = translate_2(
        changed["content"].replace("<target>", "<old>").replace("</target>", "</old>")
    )
    retranslated = re.sub(r"\s*<old>.*?</old>", "", retranslated, flags=re.S)
    refused = await upload(writable_client, editor, retranslated)
    assert refused["__typename"] == "ValidationError"
    assert refused["issues"][0]["path"] == ["expectedVersion"]
    current = await _version(writable_client, editor, imported["article"]["id"])
    stale = await upload(writable_client, editor, retranslated, expected=current - 1)
    assert stale["__typename"] == "ConflictError"
    updated = await upload(writable_client, editor, retranslated, expected=current)
    assert updated["__typename"] == "ImportTranslationSuccess", updated
    assert updated["created"] is False
    markdown = updated["article"]["body"]["markdown"]
    assert "\nTR The treaty's central limits" in markdown and "were modest by design." in markdown
    status = await writable_client.data(STATUS, {"id": imported["article"]["id"]}, headers=editor)
    assert status["node"]["translationStatus"] == {
        "isOutdated": False,
        "changedSegmentCount": 0,
        "changedSegments": [],
    }
    assert "\nTR Bilateral arms control" in markdown  # untouched paragraphs kept
    nothing = await writable_client.data(
        EXPORT,
        {"id": original, "language": "tr", "format": "XLIFF_2_1", "changed": True},
        headers=editor,
    )
    assert nothing["exportTranslation"]["__typename"] == "ValidationError"
    assert "no segment changed" in nothing["exportTranslation"]["message"]


STATUS = """
query($id: ID!) { node(id: $id) { ... on Article { translationStatus {
  isOutdated changedSegmentCount
  changedSegments { segmentId change kind oldSource newSource }
} } } }
"""


def _body() -> str:
    story = next(s for s in STORIES if s.key == "after-new-start")
    return story.versions[0].body


async def _version(client: ApiClient, auth: dict[str, str], node: str) -> int:
    data = await client.data(
        "query($id: ID!) { node(id: $id) { ... on Article { version } } }",
        {"id": node},
        headers=auth,
    )
    version: int = data["node"]["version"]
    return version


CREATE_MEDIA = """
mutation ($input: CreateMediaInput!) {
  createMedia(input: $input) { __typename ... on CreateMediaSuccess { media { id } } }
}
"""
IMAGE_TEXTS = """
query($id: ID!) { node(id: $id) { ... on Image { tr: alt(language: "tr")
  trCaption: caption(language: "tr") } } }
"""


async def test_featured_image_alt_text_and_caption_go_out_and_come_back(
    writable_client: ApiClient, fresh_demo_url: str, editor: dict[str, str]
) -> None:
    operations = {
        "query": CREATE_MEDIA,
        "variables": {
            "input": {
                "file": None,
                "language": "en",
                "alt": "Missile silos in a field, seen from above",
                "caption": "A launch site, 2024.",
            }
        },
    }
    response = await writable_client.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("silos.png", png(), "image/png")},
        headers={**PREFLIGHT, **editor},
    )
    image = response.json()["data"]["createMedia"]["media"]["id"]
    original = global_id(
        "Article", await article_id(fresh_demo_url, "en", "arms-control-without-a-treaty")
    )
    version = await _version(writable_client, editor, original)
    set_image = await writable_client.data(
        UPDATE,
        {"input": {"id": original, "expectedVersion": version, "featuredImageId": image}},
        headers=editor,
    )
    assert set_image["updateArticle"]["__typename"] == "UpdateArticleSuccess"

    exported = await export(writable_client, editor, original)
    content = exported["content"]
    schema("xliff-core-2.0.xsd").validate(content)
    assert "Featured image. Alternative text of an image" in content
    assert "<source>Missile silos in a field, seen from above</source>" in content
    imported = await upload(writable_client, editor, translate_2(content))
    assert imported["__typename"] == "ImportTranslationSuccess", imported
    texts = await writable_client.data(IMAGE_TEXTS, {"id": image}, headers=editor)
    assert texts["node"] == {
        "tr": "TR Missile silos in a field, seen from above",
        "trCaption": "TR A launch site, 2024.",
    }
    # Exported again, the image's Turkish texts are the existing translation.
    again = await export(writable_client, editor, original)
    assert "<target>TR A launch site, 2024.</target>" in again["content"]


async def test_an_xliff_1_2_file_comes_back_too(
    writable_client: ApiClient, fresh_demo_url: str, editor: dict[str, str]
) -> None:
    original = global_id(
        "Article", await article_id(fresh_demo_url, "en", "arms-control-without-a-treaty")
    )
    exported = await export(writable_client, editor, original, "XLIFF_1_2")
    assert exported["fileName"].endswith(".en-tr.xlf")
    assert 'ctype="x-footnote-reference" equiv-text="[^npt]"' in exported["content"]
    translated = translate_2(exported["content"])
    schema("xliff-core-1.2-strict.xsd").validate(translated)
    # A Turkish article already has the slug the translated title makes.
    taken = await writable_client.data(
        CREATE_ARTICLE,
        {"input": new_article(language="tr", slug="tr-arms-control-without-a-treaty")},
        headers=editor,
    )
    assert taken["createArticle"]["__typename"] == "CreateArticleSuccess"
    imported = await upload(writable_client, editor, translated)
    assert imported["__typename"] == "ImportTranslationSuccess", imported
    slug = await writable_client.data(
        "query($id: ID!) { node(id: $id) { ... on Article { slug } } }",
        {"id": imported["article"]["id"]},
        headers=editor,
    )
    assert slug["node"]["slug"].startswith("tr-arms-control-without-a-treaty-")
    body = imported["article"]["body"]["markdown"]
    assert len(find_references(body)) == 6
    assert "**TR Data exchanges**" in body


async def test_a_token_is_needed_and_a_contributor_is_enough(
    writable_client: ApiClient, fresh_demo_url: str, editor: dict[str, str]
) -> None:
    original = global_id(
        "Article", await article_id(fresh_demo_url, "en", "arms-control-without-a-treaty")
    )
    anonymous = await writable_client.data(
        EXPORT, {"id": original, "language": "tr", "format": "XLIFF_2_1", "changed": False}
    )
    assert anonymous["exportTranslation"]["__typename"] == "ForbiddenError"
    contributor = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    exported = await export(writable_client, contributor, original)
    translated = translate_2(exported["content"])
    # Multipart requests without a token are turned away before the file is read.
    refused = await writable_client.http.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": IMPORT, "variables": {"input": {"file": None}}}),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("article.xliff", translated.encode(), "application/xliff+xml")},
        headers=PREFLIGHT,
    )
    assert refused.status_code == 400 and "need a token" in refused.text
    created = await upload(writable_client, contributor, translated)
    assert created["__typename"] == "ImportTranslationSuccess", created
