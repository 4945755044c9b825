"""Enabled languages are data; names and direction come from CLDR."""

from __future__ import annotations

import pytest

from publishing.languages.service import EnabledLanguages, canonical_tag, language_info
from tests.support.client import ApiClient


async def test_languages_query_names_languages_natively(client: ApiClient) -> None:
    data = await client.data("{ languages { code name nativeName direction } }")
    assert data["languages"] == [
        {"code": "en", "name": "English", "nativeName": "English", "direction": "LTR"},
        {"code": "tr", "name": "Turkish", "nativeName": "Türkçe", "direction": "LTR"},
        {"code": "ru", "name": "Russian", "nativeName": "Русский", "direction": "LTR"},
    ]


def test_cldr_supplies_right_to_left_and_regional_names() -> None:
    assert language_info("ar").direction == "RTL"
    assert language_info("pt-BR").name == "Portuguese (Brazil)"
    with pytest.raises(ValueError):
        language_info("xx-nope")


def test_tags_are_normalised_and_fall_back_to_base_then_default() -> None:
    assert canonical_tag("PT-br") == "pt-BR"
    enabled = EnabledLanguages(("en", "pt", "tr"))
    assert enabled.fallback_chain("pt-BR") == ("pt-BR", "pt", "en", "tr")
    assert enabled.pick({"tr": "Türkçe", "pt": "Português"}, "pt-BR") == "Português"
    assert enabled.pick({"tr": "Türkçe"}, "ru") == "Türkçe"
    assert enabled.resolve("TR") == "tr"
