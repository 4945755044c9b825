"""A demo database with articles written for search: inflected forms in three languages,
words found only in footnotes, phrases, and articles readers must not find."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.articles.editing import FootnoteData
from tests.search.writing import add, write
from tests.support.databases import Databases


async def _search_articles(session: AsyncSession) -> None:
    await add(
        session,
        "en",
        "caspian-talks-resume",
        "Caspian Talks Resume",
        "The negotiations over the Caspian seabed resumed in Baku this spring.[^m]",
        footnotes=(FootnoteData("m", "Minutes of the quinquennial summit, kept by the host."),),
        days_ago=3,
    )
    await add(
        session,
        "en",
        "glacier-retreat-in-the-caucasus",
        "Glacier Retreat in the Caucasus",
        "Meltwater feeds the valleys below; the ice field shrinks every summer.",
        days_ago=2,
    )
    await add(
        session,
        "en",
        "mountain-water",
        "Mountain Water",
        "Towns downstream of a glacier in the Andes ration water in dry years.",
        days_ago=1,
    )
    await add(
        session,
        "en",
        "escaping-is-not-optional",
        "Escaping Is Not Optional",
        "Use <script>alert('pwned')</script> and <b>bold</b> with care: pwned & proud.",
    )
    await add(
        session,
        "ru",
        "zapret-yadernogo-oruzhiya",
        "Запрет ядерного оружия",
        "Договор о запрещении ядерного оружия вступил в силу без переговоров с державами.",
    )
    await add(
        session,
        "tr",
        "barajlar-ve-kuraklik",
        "Barajlar ve kuraklık",
        "Barajların doluluk oranı düştü. Çiftçiler kuraklığın etkisini her gün hissediyor.",
    )
    # Hidden from readers: all mention the lighthouse, as does one visible article.
    await add(session, "en", "lighthouse-visible", "Lighthouse Keepers", "A lighthouse story.")
    await add(
        session, "en", "zephyrine-draft", "Zephyrine Draft", "lighthouse zephyrine", status="draft"
    )
    await add(
        session,
        "en",
        "quillback-scheduled",
        "Quillback Scheduled",
        "lighthouse quillback",
        status="scheduled",
    )
    await add(
        session,
        "en",
        "marmalade-archived",
        "Marmalade Archived",
        "lighthouse marmalade",
        status="archived",
    )


@pytest.fixture(scope="module")
def search_url(backend: str, databases: Databases, demo_url: str) -> str:
    """A private copy of the demo database with the articles above (read-only for tests)."""
    url = databases.copy_of(backend, demo_url)
    asyncio.run(write(url, _search_articles))
    return url
