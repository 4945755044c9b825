"""Machine-translation drafts: a provider (a real HTTP server on a loopback port, started by
the test) fills what nobody translated; its segments stay marked until a person edits them;
a provider's failure writes nothing."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from publishing.access import Role
from tests.support.client import ApiClient, api_client
from tests.support.tokens import bearer, issue_token
from tests.translations.fake_provider import FakeProvider, fake_provider
from tests.translations.support import (
    CREATE_TRANSLATION,
    NUCLEAR,
    RESULT,
    UNTRANSLATED,
    UPDATE_ARTICLE,
    article,
    issues,
    ok,
    run,
)
from tests.translations.test_xliff_round_trip import export, schema

PREFILL = f"""mutation($input: PrefillTranslationInput!) {{
  prefillTranslation(input: $input) {{ {RESULT}
    ... on ConflictError {{ currentVersion }}
    ... on MachineTranslationError {{ code }}
    ... on PrefillTranslationSuccess {{ filledSegments unfilledSegments
      translation {{ version }} }} }} }}"""
TRANSLATION = """query($id: ID!) { node(id: $id) { ... on Article {
  id version title subtitle excerpt body { markdown }
  footnotes { key content { markdown } source { title } }
  machineTranslatedSegments { segmentId provider translatedAt } } } }"""


XLIFF_2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF_1 = "urn:oasis:names:tc:xliff:document:1.2"


def _settings(fake: FakeProvider, provider: str = "deepl") -> dict[str, Any]:
    return {
        "machine_translation": provider,
        "machine_translation_url": fake.url,
        "machine_translation_key": "test-key",
        "machine_translation_timeout": 1.0,
    }


async def _draft(api: ApiClient, translator: dict[str, str]) -> dict[str, Any]:
    """A Turkish draft of the untranslated story with only its title translated."""
    original = await article(api, translator, UNTRANSLATED)
    created = await ok(
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
    return created["article"]


async def _read(api: ApiClient, headers: dict[str, str], article_id: str) -> Any:
    return (await api.data(TRANSLATION, {"id": article_id}, headers=headers))["node"]


def _references(markdown: str) -> list[str]:
    return re.findall(r"\[\^([^\]]+)\](?!:)", markdown)


async def test_a_draft_is_filled_and_marked_until_a_person_edits(fresh_demo_url: str) -> None:
    translator = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    async with fake_provider() as fake, api_client(fresh_demo_url, **_settings(fake)) as api:
        draft = await _draft(api, translator)
        original = await article(api, translator, UNTRANSLATED)
        prefilled = await ok(
            api,
            PREFILL,
            {"input": {"id": draft["id"], "expectedVersion": draft["version"]}},
            translator,
            "prefillTranslation",
        )
        filled = prefilled["filledSegments"]
        assert filled and prefilled["unfilledSegments"] == []
        assert "title" not in filled  # a person translated it

        # DeepL's API, as DeepL documents it: the key, XML tag handling, its language codes.
        [(path, headers, body)] = fake.requests
        assert path == "/v2/translate"
        assert headers["authorization"] == "DeepL-Auth-Key test-key"
        assert (body["source_lang"], body["target_lang"], body["tag_handling"]) == (
            "EN",
            "TR",
            "xml",
        )
        assert len(body["text"]) == len(filled)
        assert any("<x id=" in text for text in body["text"])  # footnote references as codes

        translation = await _read(api, translator, draft["id"])
        body_md = translation["body"]["markdown"]
        assert _references(body_md) == _references(original["body"]["markdown"])
        assert "(tr) For the first time since 1972" in body_md
        assert translation["title"] == "Antlaşmasız Silah Denetimi"
        assert translation["subtitle"].startswith("(tr) ")
        assert translation["footnotes"] and all(
            f["content"]["markdown"].startswith("(tr) ") for f in translation["footnotes"]
        )
        marks = translation["machineTranslatedSegments"]
        assert sorted(m["segmentId"] for m in marks) == sorted(filled)
        assert {m["provider"] for m in marks} == {"deepl"}

        # A person rewrites one paragraph: that segment is theirs now, the rest still the
        # machine's. Changing the title alone leaves every mark.
        await ok(
            api,
            UPDATE_ARTICLE,
            {
                "input": {
                    "id": draft["id"],
                    "expectedVersion": translation["version"],
                    "title": "Antlaşmasız Silah Denetimi (taslak)",
                }
            },
            translator,
            "updateArticle",
        )
        retitled = await _read(api, translator, draft["id"])
        assert len(retitled["machineTranslatedSegments"]) == len(filled)
        first_paragraph = body_md.split("\n\n")[0]
        edited = body_md.replace(
            first_paragraph,
            "1972'den beri ilk kez iki büyük nükleer cephanelik bir antlaşmayla bağlı "
            "değil[^treaty].",
        )
        await ok(
            api,
            UPDATE_ARTICLE,
            {"input": {"id": draft["id"], "expectedVersion": retitled["version"], "body": edited}},
            translator,
            "updateArticle",
        )
        after = await _read(api, translator, draft["id"])
        remaining = {m["segmentId"] for m in after["machineTranslatedSegments"]}
        assert len(remaining) == len(filled) - 1 and remaining < set(filled)

        # Nothing is left untranslated: a second prefill asks nothing and writes nothing.
        again = await ok(
            api,
            PREFILL,
            {"input": {"id": draft["id"], "expectedVersion": after["version"]}},
            translator,
            "prefillTranslation",
        )
        assert again["filledSegments"] == [] and again["translation"]["version"] == after["version"]
        assert len(fake.requests) == 1

        # Readers without a token never see the marks (a published translation here).
        anonymous = await api.query(
            """{ article(language: "tr", slug: "nukleer-denetimin-gelecegi") {
                 title machineTranslatedSegments { segmentId } } }"""
        )
        assert anonymous["data"] == {"article": None}
        assert "token" in anonymous["errors"][0]["message"]


async def test_provider_failures_write_nothing(fresh_demo_url: str) -> None:
    translator = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    async with fake_provider() as fake, api_client(fresh_demo_url, **_settings(fake)) as api:
        draft = await _draft(api, translator)
        variables = {"input": {"id": draft["id"], "expectedVersion": draft["version"]}}
        for mode, code in [
            ("quota", "REFUSED"),
            ("slow", "UNAVAILABLE"),
            ("garbage", "BAD_RESPONSE"),
        ]:
            fake.mode = mode
            failed = await run(api, PREFILL, variables, translator, "prefillTranslation")
            assert failed["__typename"] == "MachineTranslationError", failed
            assert failed["code"] == code and failed["message"]
            unchanged = await _read(api, translator, draft["id"])
            assert unchanged["version"] == draft["version"]
            assert unchanged["body"]["markdown"] == ""
            assert unchanged["machineTranslatedSegments"] == []

        # Codes the provider broke: that segment stays as it was, the rest are filled.
        fake.mode = "drop-codes"
        partly = await ok(api, PREFILL, variables, translator, "prefillTranslation")
        [unfilled] = partly["unfilledSegments"]
        assert unfilled not in partly["filledSegments"]
        translation = await _read(api, translator, draft["id"])
        assert "\nFor the first time since 1972" in "\n" + translation["body"]["markdown"]
        assert unfilled not in {m["segmentId"] for m in translation["machineTranslatedSegments"]}

    # A server closed meanwhile: nothing answers on its port.
    async with api_client(fresh_demo_url, **_settings(fake)) as api:
        current = await _read(api, translator, draft["id"])
        gone = await run(
            api,
            PREFILL,
            {"input": {"id": draft["id"], "expectedVersion": current["version"]}},
            translator,
            "prefillTranslation",
        )
        assert gone["__typename"] == "MachineTranslationError" and gone["code"] == "UNAVAILABLE"


async def test_what_cannot_be_prefilled(fresh_demo_url: str) -> None:
    translator = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    async with api_client(fresh_demo_url) as api:
        draft = await _draft(api, translator)
        off = await run(
            api,
            PREFILL,
            {"input": {"id": draft["id"], "expectedVersion": draft["version"]}},
            translator,
            "prefillTranslation",
        )
        assert off["__typename"] == "MachineTranslationError" and off["code"] == "NOT_CONFIGURED"
        # Without a token, nothing is read or asked: refused first.
        anonymous = await run(
            api,
            PREFILL,
            {"input": {"id": draft["id"], "expectedVersion": draft["version"]}},
            {},
            "prefillTranslation",
        )
        assert anonymous["__typename"] == "ForbiddenError"
    async with fake_provider() as fake, api_client(fresh_demo_url, **_settings(fake)) as api:
        original = await article(api, translator, NUCLEAR)
        published = next(t for t in original["translations"] if t["language"]["code"] == "tr")
        for target, expected in [
            (original, {(("id",), "NOT_A_TRANSLATION")}),
            (published, {(("id",), "NOT_A_DRAFT")}),
        ]:
            refused = await run(
                api,
                PREFILL,
                {"input": {"id": target["id"], "expectedVersion": target["version"]}},
                translator,
                "prefillTranslation",
            )
            assert issues(refused) == expected
        stale = await run(
            api,
            PREFILL,
            {"input": {"id": draft["id"], "expectedVersion": draft["version"] + 5}},
            translator,
            "prefillTranslation",
        )
        assert stale["__typename"] == "ConflictError"
        assert fake.requests == []


async def test_libretranslate_fills_a_draft_too(fresh_demo_url: str) -> None:
    translator = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    settings = {**_settings(FakeProvider()), "machine_translation": "libretranslate"}
    async with fake_provider() as fake:
        settings["machine_translation_url"] = fake.url
        async with api_client(fresh_demo_url, **settings) as api:
            draft = await _draft(api, translator)
            prefilled = await ok(
                api,
                PREFILL,
                {"input": {"id": draft["id"], "expectedVersion": draft["version"]}},
                translator,
                "prefillTranslation",
            )
            [(path, _, body)] = fake.requests
            assert path == "/translate"
            assert (body["source"], body["target"], body["format"]) == ("en", "tr", "html")
            assert body["api_key"] == "test-key"
            translation = await _read(api, translator, draft["id"])
            assert "(tr) For the first time since 1972" in translation["body"]["markdown"]
            assert {m["provider"] for m in translation["machineTranslatedSegments"]} == {
                "libretranslate"
            }
            assert len(prefilled["filledSegments"]) == len(translation["machineTranslatedSegments"])


async def test_machine_text_is_exported_as_a_target_to_review(fresh_demo_url: str) -> None:
    translator = bearer(await issue_token(fresh_demo_url, Role.CONTRIBUTOR))
    editor = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    async with fake_provider() as fake, api_client(fresh_demo_url, **_settings(fake)) as api:
        draft = await _draft(api, translator)
        prefilled = await ok(
            api,
            PREFILL,
            {"input": {"id": draft["id"], "expectedVersion": draft["version"]}},
            translator,
            "prefillTranslation",
        )
        filled = set(prefilled["filledSegments"])
        original = await article(api, editor, UNTRANSLATED)

        current = await export(api, editor, original["id"])
        schema("xliff-core-2.0.xsd").validate(current["content"])
        root = ET.fromstring(current["content"])
        states = {
            unit.get("id"): unit.find(f"{{{XLIFF_2}}}segment").attrib
            for unit in root.iter(f"{{{XLIFF_2}}}unit")
        }
        machine = {i for i, a in states.items() if a.get("subState") == "pr:machine"}
        assert machine == filled
        assert all(states[i]["state"] == "initial" for i in machine)
        assert states["title"]["state"] == "translated"  # a person's

        legacy = await export(api, editor, original["id"], "XLIFF_1_2")
        schema("xliff-core-1.2-strict.xsd").validate(legacy["content"])
        targets = {
            unit.get("id"): unit.find(f"{{{XLIFF_1}}}target").attrib
            for unit in ET.fromstring(legacy["content"]).iter(f"{{{XLIFF_1}}}trans-unit")
        }
        suggested = {i for i, a in targets.items() if a.get("state-qualifier") == "mt-suggestion"}
        assert suggested == filled
