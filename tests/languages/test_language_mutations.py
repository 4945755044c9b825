"""Enabling languages: administrators add a language CLDR knows; content may use it at once."""

from __future__ import annotations

from typing import Any

from publishing.access import Role
from tests.support.client import ApiClient
from tests.support.tokens import bearer, issue_token

ENABLE = """mutation($code: String!) { enableLanguage(input: {code: $code}) {
  __typename
  ... on UserError { message }
  ... on ValidationError { issues { path code message } }
  ... on EnableLanguageSuccess { language { code name nativeName direction } }
} }"""
LANGUAGES = "{ languages { code nativeName } }"
DEMO_LANGUAGES = [
    {"code": "en", "nativeName": "English"},
    {"code": "tr", "nativeName": "Türkçe"},
    {"code": "ru", "nativeName": "Русский"},
]
CREATE_TAG = """mutation($input: CreateTagInput!) { createTag(input: $input) {
  __typename ... on CreateTagSuccess { tag { de: name(language: "de") } }
} }"""


async def admin(url: str) -> dict[str, str]:
    return bearer(await issue_token(url, Role.ADMIN))


def problems(result: dict[str, Any]) -> set[tuple[tuple[str, ...], str]]:
    assert result["__typename"] == "ValidationError", result
    return {(tuple(issue["path"]), issue["code"]) for issue in result["issues"]}


async def test_admin_enables_german_and_content_can_use_it(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    headers = await admin(fresh_demo_url)
    assert (await writable_client.data(LANGUAGES))["languages"] == DEMO_LANGUAGES
    tag = {"slug": "water", "names": [{"language": "de", "name": "Wasser"}]}
    refused = await writable_client.data(CREATE_TAG, {"input": tag}, headers=headers)
    assert refused["createTag"]["__typename"] == "ValidationError"

    result = await writable_client.data(ENABLE, {"code": "de"}, headers=headers)
    assert result["enableLanguage"] == {
        "__typename": "EnableLanguageSuccess",
        "language": {"code": "de", "name": "German", "nativeName": "Deutsch", "direction": "LTR"},
    }
    # Offered after the languages already enabled; the default stays first.
    languages = (await writable_client.data(LANGUAGES))["languages"]
    assert languages == [*DEMO_LANGUAGES, {"code": "de", "nativeName": "Deutsch"}]

    created = await writable_client.data(CREATE_TAG, {"input": tag}, headers=headers)
    assert created["createTag"] == {"__typename": "CreateTagSuccess", "tag": {"de": "Wasser"}}


async def test_tags_are_normalised_and_direction_comes_from_cldr(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    result = await writable_client.data(
        ENABLE, {"code": " AR "}, headers=await admin(fresh_demo_url)
    )
    assert result["enableLanguage"]["language"] == {
        "code": "ar",
        "name": "Arabic",
        "nativeName": "العربية",
        "direction": "RTL",
    }
    result = await writable_client.data(
        ENABLE, {"code": "pt_br"}, headers=await admin(fresh_demo_url)
    )
    assert result["enableLanguage"]["language"]["code"] == "pt-BR"
    codes = [lang["code"] for lang in (await writable_client.data(LANGUAGES))["languages"]]
    assert codes == ["en", "tr", "ru", "ar", "pt-BR"]


async def test_unknown_and_enabled_languages_are_refused(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    headers = await admin(fresh_demo_url)
    expected = {
        "xx-nope": "UNKNOWN_LANGUAGE",
        "und": "UNKNOWN_LANGUAGE",
        "": "REQUIRED",
        "en": "ALREADY_ENABLED",
        "RU": "ALREADY_ENABLED",
    }
    for code, problem in expected.items():
        result = await writable_client.data(ENABLE, {"code": code}, headers=headers)
        assert problems(result["enableLanguage"]) == {(("code",), problem)}, code
    assert (await writable_client.data(LANGUAGES))["languages"] == DEMO_LANGUAGES


async def test_only_administrators_enable_languages(
    writable_client: ApiClient, fresh_demo_url: str
) -> None:
    for role in (Role.EDITOR, Role.CONTRIBUTOR, None):
        headers = None if role is None else bearer(await issue_token(fresh_demo_url, role))
        result = await writable_client.data(ENABLE, {"code": "de"}, headers=headers)
        assert result["enableLanguage"]["__typename"] == "ForbiddenError", role
        assert result["enableLanguage"]["message"]
    assert (await writable_client.data(LANGUAGES))["languages"] == DEMO_LANGUAGES
