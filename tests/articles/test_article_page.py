"""The ArticlePage query of the design, on demo content, as a frontend sends it."""

from __future__ import annotations

import re
from typing import Any

from tests.support.client import ApiClient

ARTICLE_PAGE = """
query ArticlePage($language: String!, $slug: String!) {
  article(language: $language, slug: $slug) {
    id title subtitle publishedAt isOriginal readingTimeMinutes
    language { code nativeName direction }
    body { markdown html text }
    authors { name slug bio(language: $language) { markdown html } avatarUrl }
    credits { role author { slug } }
    translations { language { code nativeName } slug title }
    translationStatus { isOutdated sourceUpdatedAt }
    footnotes {
      key number label anchorId referenceIds
      content { html }
      source { title publisher url accessedOn }
      citation
    }
    tags { slug name }
  }
}
"""

GAS_HUB = {"en": "turkiyes-gas-hub-ambition", "tr": "turkiyenin-gaz-merkezi-hedefi"}
GAS_HUB_RU = "gazovyy-hab-turtsii"


async def page(client: ApiClient, language: str, slug: str) -> dict[str, Any]:
    data = await client.data(ARTICLE_PAGE, {"language": language, "slug": slug})
    assert data["article"] is not None, (language, slug)
    article: dict[str, Any] = data["article"]
    return article


def first_reference_order(markdown: str) -> list[str]:
    # The demo bodies hold no code spans, so a plain scan is an independent oracle here.
    return list(dict.fromkeys(re.findall(r"\[\^([A-Za-z0-9_-]+)\]", markdown)))


async def test_english_article_links_its_turkish_and_russian_versions(client: ApiClient) -> None:
    article = await page(client, "en", GAS_HUB["en"])
    assert article["isOriginal"] is True
    assert article["language"] == {"code": "en", "nativeName": "English", "direction": "LTR"}
    assert article["translations"] == [
        {
            "language": {"code": "ru", "nativeName": "Русский"},
            "slug": GAS_HUB_RU,
            "title": article["translations"][0]["title"],
        },
        {
            "language": {"code": "tr", "nativeName": "Türkçe"},
            "slug": GAS_HUB["tr"],
            "title": article["translations"][1]["title"],
        },
    ]
    assert article["translationStatus"] is None
    assert article["readingTimeMinutes"] >= 1


async def test_footnotes_are_numbered_by_first_reference_and_linked(client: ApiClient) -> None:
    article = await page(client, "en", GAS_HUB["en"])
    footnotes = article["footnotes"]
    order = first_reference_order(article["body"]["markdown"])
    assert [f["key"] for f in footnotes] == order
    assert [f["number"] for f in footnotes] == list(range(1, len(order) + 1))
    assert [f["label"] for f in footnotes] == [str(n) for n in range(1, len(order) + 1)]

    html = article["body"]["html"]
    assert "[^" not in html
    cited_twice = 0
    for footnote in footnotes:
        key, label = footnote["key"], footnote["label"]
        assert footnote["anchorId"] == f"fn-{key}"
        refs = footnote["referenceIds"]
        assert len(refs) == article["body"]["markdown"].count(f"[^{key}]")
        cited_twice += len(refs) > 1
        for ref in refs:
            link = f'<a href="#fn-{key}" id="{ref}" rel="noopener noreferrer">{label}</a>'
            assert f'<sup class="footnote-ref">{link}</sup>' in html
    assert cited_twice >= 1, "the demo cites one footnote twice"
    # The list in the editor's order differs from the reading order in this piece.
    assert footnotes[0]["source"] is not None


async def test_authors_bios_follow_the_page_language(client: ApiClient) -> None:
    english = await page(client, "en", GAS_HUB["en"])
    turkish = await page(client, "tr", GAS_HUB["tr"])
    en_author, tr_author = english["authors"][0], turkish["authors"][0]
    assert en_author["slug"] == tr_author["slug"] == "elif-aydin"
    assert en_author["bio"]["markdown"] != tr_author["bio"]["markdown"]
    assert "<p>" in en_author["bio"]["html"]
    # The long English bio carries a link, sanitised but kept.
    assert 'rel="noopener noreferrer"' in en_author["bio"]["html"]
    roles = {(c["role"], c["author"]["slug"]) for c in turkish["credits"]}
    assert ("AUTHOR", "elif-aydin") in roles
    assert any(role == "TRANSLATOR" for role, _ in roles)


async def test_citations_are_localised(client: ApiClient) -> None:
    turkish = await page(client, "tr", GAS_HUB["tr"])
    russian = await page(client, "ru", GAS_HUB_RU)
    english = await page(client, "en", GAS_HUB["en"])
    date = r"\d{2}\.\d{2}\.\d{4}"
    tr_citations = [f["citation"] for f in turkish["footnotes"] if f["citation"]]
    ru_citations = [f["citation"] for f in russian["footnotes"] if f["citation"]]
    assert tr_citations and all(re.search(rf"Erişim Tarihi: {date}\)$", c) for c in tr_citations)
    assert ru_citations and all(re.search(rf"дата обращения: {date}\)$", c) for c in ru_citations)
    assert all("Accessed: " in f["citation"] for f in english["footnotes"] if f["citation"])
    # Same source, same access date, in each language's own form.
    source = turkish["footnotes"][0]["source"]
    year, month, day = source["accessedOn"].split("-")
    assert f"{day}.{month}.{year}" in turkish["footnotes"][0]["citation"]


async def test_tag_names_follow_the_page_language(client: ApiClient) -> None:
    english = await page(client, "en", GAS_HUB["en"])
    turkish = await page(client, "tr", GAS_HUB["tr"])
    assert [t["slug"] for t in english["tags"]] == [t["slug"] for t in turkish["tags"]]
    assert english["tags"][0]["name"] != turkish["tags"][0]["name"]


async def test_roman_numbering(client: ApiClient) -> None:
    article = await page(client, "en", "arms-control-without-a-treaty")
    labels = [f["label"] for f in article["footnotes"]]
    assert labels[:4] == ["i", "ii", "iii", "iv"][: len(labels[:4])]
    assert all(f">{f['label']}</a></sup>" in article["body"]["html"] for f in article["footnotes"])


async def test_translation_from_an_older_revision_is_outdated(client: ApiClient) -> None:
    outdated = await page(client, "tr", "avrupanin-karbon-siniri-ve-turk-ihracatcilari")
    current = await page(client, "ru", "uglerodnaya-granitsa-evropy-i-turetskiy-eksport")
    assert outdated["translationStatus"]["isOutdated"] is True
    assert current["translationStatus"]["isOutdated"] is False
    assert outdated["translationStatus"]["sourceUpdatedAt"]


async def test_article_page_costs_a_fixed_number_of_statements(client: ApiClient) -> None:
    counts = []
    for language, slug in (("en", GAS_HUB["en"]), ("tr", GAS_HUB["tr"]), ("ru", GAS_HUB_RU)):
        client.counter.reset()
        await page(client, language, slug)
        counts.append(client.counter.count)
    assert counts[0] == counts[1] == counts[2]
    assert counts[0] <= 10, client.counter.statements


async def test_unknown_language_names_the_enabled_ones(client: ApiClient) -> None:
    result = await client.query(ARTICLE_PAGE, {"language": "de", "slug": "x"})
    assert result["data"] == {"article": None}
    [error] = result["errors"]
    assert error["path"] == ["article"]
    assert "'de' is not enabled" in error["message"]
    assert "en, tr, ru" in error["message"]


async def test_language_tags_are_case_insensitive(client: ApiClient) -> None:
    article = await page(client, "TR", GAS_HUB["tr"])
    assert article["language"]["code"] == "tr"
