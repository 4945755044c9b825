"""A WordPress export imported into Pressroom, then read back the way frontends read it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from publishing.access import Role
from publishing.articles.models import Article, ArticleRevision
from publishing.authors.models import Author
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine
from publishing.footnotes.models import Footnote, Source
from publishing.imports.models import ImportRecord
from publishing.imports.report import ImportReport, ProblemKind
from publishing.imports.wordpress.importer import import_wordpress
from publishing.languages.models import Language
from publishing.tags.models import Tag
from tests.imports.conftest import MERIDIAN_EXPORT, Imported
from tests.support.client import ApiClient, api_client
from tests.support.lookup import article_id, global_id
from tests.support.tokens import bearer, issue_token

PAGE = """
query ArticlePage($language: String!, $slug: String!) {
  article(language: $language, slug: $slug) {
    title excerpt status publishedAt isOriginal numberingStyle version
    language { code }
    body { markdown html }
    authors { name slug bio(language: $language) { markdown } }
    credits { role author { slug } }
    translations { language { code } slug title }
    translationStatus { isOutdated }
    footnotes {
      key number label content { markdown }
      source { title publisher url accessedOn }
      citation
    }
    tags { slug name }
    section { slug name }
  }
}
"""

GAS_HUB = {
    "en": "turkiyes-gas-hub-ambition",
    "tr": "turkiyenin-gaz-merkezi-hedefi",
    "ru": "gazovyi-khab-turtsii",
}
SAFEGUARDS = {
    "en": "safeguards-after-the-review-conference",
    "tr": "gozden-gecirme-konferansindan-sonra",
    "ru": "garantii-magate",
}
IEA = {
    "title": "Gas Market Report, Q1-2025",
    "publisher": "International Energy Agency",
    "url": "https://www.iea.org/reports/gas-market-report-q1-2025",
    "accessedOn": "2025-03-11",
}
NPT = {
    "title": "Treaty on the Non-Proliferation of Nuclear Weapons (NPT)",
    "publisher": "United Nations Office for Disarmament Affairs",
    "url": "https://disarmament.unoda.org/wmd/nuclear/npt/",
    "accessedOn": "2025-02-18",
}


async def page(
    api: ApiClient, language: str, slug: str, headers: dict[str, str] | None = None
) -> Any:
    data = await api.data(PAGE, {"language": language, "slug": slug}, headers=headers)
    return data["article"]


async def editor(url: str) -> dict[str, str]:
    return bearer(await issue_token(url, Role.EDITOR))


async def counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    tables = {
        "articles": Article.id,
        "revisions": ArticleRevision.id,
        "authors": Author.id,
        "tags": Tag.id,
        "footnotes": Footnote.id,
        "sources": Source.id,
        "records": ImportRecord.id,
        "languages": Language.code,
    }
    try:
        async with engine.connect() as connection:
            return {
                name: int(await connection.scalar(select(func.count(column))) or 0)
                for name, column in tables.items()
            }
    finally:
        await engine.dispose()


def problems(report: ImportReport) -> set[tuple[ProblemKind, int | None]]:
    return {(p.kind, p.post.post_id if p.post else None) for p in report.problems}


def edited(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """The Meridian export with some text changed, as a newer export would have it."""
    text = MERIDIAN_EXPORT.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "newer-export.xml"
    path.write_text(text, encoding="utf-8")
    return path


# -- the first import ------------------------------------------------------------------------


def test_report_counts_what_the_export_holds(imported: Imported) -> None:
    report = imported.report
    assert (report.posts_seen, report.created, report.updated, report.unchanged) == (14, 13, 0, 0)
    assert report.skipped == 1  # the post in the trash
    assert report.pages == 1  # "About the Institute"
    assert dict(report.other_items) == {"attachment": 1}
    assert report.languages_enabled == ["en", "ru", "tr"]
    # Categories are sections now (Energy, translated, is one); tags stay tags.
    assert (report.authors_created, report.tags_created, report.sections_created) == (4, 3, 2)
    assert (report.footnotes, report.cited, len(report.sources)) == (16, 10, 6)
    assert "13 created" in report.render()


def test_problems_are_reported_with_their_post(imported: Imported) -> None:
    assert problems(imported.report) == {
        (ProblemKind.CITATION_NOT_PARSED, 111),
        (ProblemKind.MARKER_WITHOUT_NOTE, 143),
        (ProblemKind.NOTE_WITHOUT_MARKER, 143),
        (ProblemKind.UNKNOWN_AUTHOR, 143),
        (ProblemKind.NOT_IMPORTED, 144),
    }
    rendered = imported.report.render()
    assert "post 143 “Sanctions Review: What Changed in 2024”: unknown author: 'ghostwriter'" in (
        rendered
    )
    assert "marker [3] has no note" in rendered
    assert "note 4 “A note the text never points to.” has no marker" in rendered
    assert "post 144 “Old Draft We Threw Away”: not imported: WordPress status 'trash'" in rendered


async def test_public_page_serves_the_original_with_its_authors_and_footnotes(
    imported: Imported,
) -> None:
    async with api_client(imported.url) as api:
        article = await page(api, "en", GAS_HUB["en"])
    assert article["title"] == "Türkiye’s Gas Hub Ambition"
    assert article["isOriginal"] is True
    assert article["publishedAt"] == "2025-03-01T07:30:00+00:00"
    assert article["excerpt"].startswith("Pipelines, terminals and a trading floor")
    assert sorted((t["language"]["code"], t["slug"]) for t in article["translations"]) == [
        ("ru", GAS_HUB["ru"]),
        ("tr", GAS_HUB["tr"]),
    ]
    assert [a["slug"] for a in article["authors"]] == ["elif-kaya", "jmorgan"]
    elif_kaya = article["authors"][0]
    assert elif_kaya["name"] == "Elif Kaya"
    assert "directs the **energy programme**" in elif_kaya["bio"]["markdown"]
    assert article["authors"][1]["bio"] is None

    html = article["body"]["html"]
    for kept in (
        '<a href="https://www.epias.com.tr/en/"',
        ">EPİAŞ</a>",
        "<h2>Pipelines and terminals</h2>",
        "<li>TANAP, carrying Azerbaijani gas west;</li>",
        "<blockquote>",
        '<img src="https://meridian-archive.example/wp-content/uploads/2025/03/pipeline.jpg"',
        "<em>three</em>",
        "<strong>hub without trade</strong>",
    ):
        assert kept in html
    assert html.count('class="footnote-ref"') == 3
    assert "data-fn" not in html and "wp:" not in html

    footnotes = article["footnotes"]
    assert [(f["key"], f["label"]) for f in footnotes] == [("fn1", "1"), ("fn2", "2")]
    assert footnotes[0]["source"] == IEA
    assert footnotes[0]["citation"].startswith("“Gas Market Report, Q1-2025”")
    assert footnotes[1]["source"] is None
    assert footnotes[1]["content"]["markdown"] == (
        "Spot prices at the Turkish exchange were quoted in *lira per MWh* until 2024."
    )
    assert {(t["slug"], t["name"]) for t in article["tags"]} == {("natural-gas", "Natural gas")}
    assert article["section"] == {"slug": "energy", "name": "Energy"}


async def test_translations_are_linked_and_credit_their_translators(imported: Imported) -> None:
    async with api_client(imported.url) as api:
        turkish = await page(api, "tr", GAS_HUB["tr"])
        russian = await page(api, "ru", GAS_HUB["ru"])
        balkans = await page(api, "en", "the-balkans-wire-up")
    assert turkish["isOriginal"] is False
    assert turkish["translationStatus"] == {"isOutdated": False}
    assert {(c["role"], c["author"]["slug"]) for c in turkish["credits"]} == {
        ("AUTHOR", "elif-kaya"),
        ("AUTHOR", "jmorgan"),
        ("TRANSLATOR", "selin"),
    }
    assert {(c["role"], c["author"]["slug"]) for c in russian["credits"]} >= {
        ("TRANSLATOR", "dmitri")
    }
    # The translated category is one section, named in each language.
    assert turkish["section"]["name"] == "Enerji"
    assert russian["section"]["name"] == "Энергетика"
    # Two notes in two languages cite one source: stored once.
    assert turkish["footnotes"][0]["source"] == IEA
    assert "Erişim Tarihi: 11.03.2025" in turkish["footnotes"][0]["citation"]
    engine = create_engine(imported.url)
    try:
        async with engine.connect() as connection:
            stored = await connection.scalar(
                select(func.count(Source.id)).where(Source.title == IEA["title"])
            )
    finally:
        await engine.dispose()
    assert stored == 1
    # The Turkish version came first in the file; it still joined its original's story.
    assert balkans["isOriginal"] is True
    assert [(t["language"]["code"], t["slug"]) for t in balkans["translations"]] == [
        ("tr", "balkan-elektrik-aglari")
    ]


async def test_hand_typed_markers_in_both_numerals_meet_their_notes(imported: Imported) -> None:
    async with api_client(imported.url) as api:
        english = await page(api, "en", SAFEGUARDS["en"])
        turkish = await page(api, "tr", SAFEGUARDS["tr"])
    # [1], [ii], <sup>3</sup>, [1] again, <sup>4</sup>: one arabic list of four notes.
    assert english["numberingStyle"] == "ARABIC"
    assert [(f["key"], f["label"]) for f in english["footnotes"]] == [
        ("fn1", "1"),
        ("fn2", "2"),
        ("fn3", "3"),
        ("fn4", "4"),
    ]
    markdown = english["body"]["markdown"]
    assert markdown.count("[^fn1]") == 2
    for leftover in ("[ii]", "<sup>", "Notes", "Interview"):
        assert leftover not in markdown
    assert english["footnotes"][0]["source"] == NPT
    assert english["footnotes"][1]["source"] == {
        "title": "IAEA Safeguards Explained",
        "publisher": "International Atomic Energy Agency",
        "url": "https://www.iaea.org/topics/safeguards-explained",
        "accessedOn": "2025-03-11",
    }
    assert english["footnotes"][2]["source"] is None  # its date could not be read: reported
    assert english["footnotes"][3] == {
        "key": "fn4",
        "number": 4,
        "label": "4",
        "content": {"markdown": "Interview with a former inspector, Vienna, January 2025."},
        "source": None,
        "citation": None,
    }
    # The Turkish notes are numbered in roman: so is the article.
    assert turkish["numberingStyle"] == "ROMAN"
    assert [f["label"] for f in turkish["footnotes"]] == ["i", "ii", "iii"]
    assert turkish["footnotes"][0]["source"] == NPT
    assert "Kaynaklar" not in turkish["body"]["markdown"]


async def test_statuses_become_drafts_schedules_and_archives(imported: Imported) -> None:
    hidden = {
        "draft": ("en", "water-diplomacy-on-the-euphrates"),
        "scheduled": ("en", "arctic-shipping-lanes-open-early"),
        "private": ("en", "board-memo-funding-outlook"),
        "draft translation": ("ru", SAFEGUARDS["ru"]),
    }
    headers = await editor(imported.url)
    async with api_client(imported.url) as api:
        for language, slug in hidden.values():
            assert await page(api, language, slug) is None, slug
        seen = {
            name: await page(api, language, slug, headers)
            for name, (language, slug) in hidden.items()
        }
        english = await page(api, "en", SAFEGUARDS["en"], headers)
    assert (seen["draft"]["status"], seen["draft"]["publishedAt"]) == ("DRAFT", None)
    assert seen["scheduled"]["status"] == "SCHEDULED"
    assert seen["scheduled"]["publishedAt"] == "2099-06-01T06:00:00+00:00"
    assert seen["private"]["status"] == "ARCHIVED"
    # Its language and group came only from Polylang's serialised group term.
    russian = seen["draft translation"]
    assert (russian["status"], russian["isOriginal"]) == ("DRAFT", False)
    assert russian["footnotes"][0]["source"] == {
        "title": "Договор о нераспространении ядерного оружия",
        "publisher": "Управление ООН по вопросам разоружения",
        "url": "https://disarmament.unoda.org/wmd/nuclear/npt/",
        "accessedOn": "2025-02-18",
    }
    assert ("ru", SAFEGUARDS["ru"]) in {
        (t["language"]["code"], t["slug"]) for t in english["translations"]
    }


async def test_a_post_without_language_or_known_author_still_arrives(imported: Imported) -> None:
    async with api_client(imported.url) as api:
        article = await page(api, "en", "sanctions-review-2024")
    assert article["language"] == {"code": "en"}
    assert article["credits"] == []
    assert [f["label"] for f in article["footnotes"]] == ["1", "2"]
    assert article["footnotes"][0]["source"]["publisher"] == "European Council"
    assert "[3]" not in article["body"]["markdown"]
    assert "never points to" not in article["body"]["markdown"]


# -- importing again -------------------------------------------------------------------------


async def test_importing_the_same_file_again_changes_nothing(migrated_url: str) -> None:
    await import_wordpress(migrated_url, MERIDIAN_EXPORT, now=SYSTEM_CLOCK.now())
    before = await counts(migrated_url)
    again = await import_wordpress(migrated_url, MERIDIAN_EXPORT, now=SYSTEM_CLOCK.now())
    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 13, 1)
    assert (again.authors_created, again.authors_updated, again.tags_created) == (0, 0, 0)
    assert again.footnotes == 0
    assert await counts(migrated_url) == before


async def test_a_newer_export_updates_changed_posts_with_a_new_revision(
    migrated_url: str, tmp_path: Path
) -> None:
    await import_wordpress(migrated_url, MERIDIAN_EXPORT, now=SYSTEM_CLOCK.now())
    before = await counts(migrated_url)
    newer = edited(
        tmp_path,
        (
            "ended without a consensus document, the third in a row.",
            "ended without a consensus document for the third time running.",
        ),
        ("Boru hatları, terminaller ve bir ticaret platformu.", "Boru hatları ve terminaller."),
    )
    report = await import_wordpress(migrated_url, newer, now=SYSTEM_CLOCK.now())
    assert (report.created, report.updated, report.unchanged) == (0, 2, 11)
    after = await counts(migrated_url)
    assert after["revisions"] == before["revisions"] + 2
    assert after["articles"] == before["articles"]

    headers = await editor(migrated_url)
    async with api_client(migrated_url) as api:
        english = await api.data(
            """query($slug: String!) { article(language: "en", slug: $slug) {
                 body { markdown } revisions { version createdBy } } }""",
            {"slug": SAFEGUARDS["en"]},
            headers=headers,
        )
        turkish = await page(api, "tr", SAFEGUARDS["tr"])
        gas_hub_tr = await page(api, "tr", GAS_HUB["tr"])
    article = english["article"]
    assert "for the third time running" in article["body"]["markdown"]
    assert article["revisions"][-1]["createdBy"] == "import:wordpress"
    # The original moved on: its translation now says so.
    assert turkish["translationStatus"] == {"isOutdated": True}
    assert gas_hub_tr["excerpt"] == "Boru hatları ve terminaller."

    third = await import_wordpress(migrated_url, newer, now=SYSTEM_CLOCK.now())
    assert (third.updated, third.unchanged) == (0, 13)
    assert await counts(migrated_url) == after


async def test_edits_made_here_are_not_overwritten(migrated_url: str, tmp_path: Path) -> None:
    await import_wordpress(migrated_url, MERIDIAN_EXPORT, now=SYSTEM_CLOCK.now())
    headers = await editor(migrated_url)
    target = await article_id(migrated_url, "en", SAFEGUARDS["en"])
    async with api_client(migrated_url) as api:
        current = await page(api, "en", SAFEGUARDS["en"])
        result = await api.data(
            """mutation($input: UpdateArticleInput!) { updateArticle(input: $input) {
                 __typename } }""",
            {
                "input": {
                    "id": global_id("Article", target),
                    "expectedVersion": current["version"],
                    "title": "Safeguards, Revisited by Our Editors",
                }
            },
            headers=headers,
        )
        assert result["updateArticle"]["__typename"] == "UpdateArticleSuccess"
        newer = edited(tmp_path, ("the third in a row.", "the third time in a row."))
        report = await import_wordpress(migrated_url, newer, now=SYSTEM_CLOCK.now())
        after = await page(api, "en", SAFEGUARDS["en"])
    assert (ProblemKind.EDITED_HERE, 111) in problems(report)
    assert report.updated == 0
    assert after["title"] == "Safeguards, Revisited by Our Editors"
    assert "the third in a row." in after["body"]["markdown"]


# -- dry runs --------------------------------------------------------------------------------


async def test_a_dry_run_reports_everything_and_writes_nothing(migrated_url: str) -> None:
    before = await counts(migrated_url)
    report = await import_wordpress(
        migrated_url, MERIDIAN_EXPORT, dry_run=True, now=SYSTEM_CLOCK.now()
    )
    assert report.dry_run is True
    assert (report.created, report.skipped, report.footnotes) == (13, 1, 16)
    assert report.languages_enabled == ["en", "ru", "tr"]
    assert len(report.problems) == 5
    assert report.render().startswith("Dry run: nothing was written.")
    assert await counts(migrated_url) == before


async def test_a_dry_run_of_a_newer_export_leaves_the_old_text(
    migrated_url: str, tmp_path: Path
) -> None:
    await import_wordpress(migrated_url, MERIDIAN_EXPORT, now=SYSTEM_CLOCK.now())
    before = await counts(migrated_url)
    newer = edited(tmp_path, ("the third in a row.", "the fourth in a row."))
    report = await import_wordpress(migrated_url, newer, dry_run=True, now=SYSTEM_CLOCK.now())
    assert report.updated == 1
    assert await counts(migrated_url) == before
    async with api_client(migrated_url) as api:
        article = await page(api, "en", SAFEGUARDS["en"])
    assert "the third in a row." in article["body"]["markdown"]
