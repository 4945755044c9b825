"""Exports unlike the Meridian one: WPML, bad posts, other sites, a publication with content."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from publishing.articles.models import Article
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine
from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.importer import ImportAborted, import_wordpress
from publishing.tags.models import Tag
from tests.imports.conftest import MERIDIAN_EXPORT, write_wxr, wxr_item, wxr_meta
from tests.support.client import api_client

TRANSLATIONS = """query($language: String!, $slug: String!) {
  article(language: $language, slug: $slug) {
    isOriginal language { code } translations { language { code } slug }
    tags { slug name } section { slug name }
  } }"""


async def articles(url: str) -> list[tuple[str, str, str]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                select(Article.language, Article.slug, Article.title).order_by(Article.id)
            )
            return [(r.language, r.slug, r.title) for r in rows]
    finally:
        await engine.dispose()


async def test_wpml_groups_link_versions_and_name_the_original(
    migrated_url: str, tmp_path: Path
) -> None:
    # The English translation is dated first and comes first; WPML still names the original.
    export = write_wxr(
        tmp_path / "wpml.xml",
        wxr_item(
            7,
            "The Caspian Route",
            "<p>English text.</p>",
            slug="caspian-route",
            date="2025-01-01 09:00:00",
            extra=wxr_meta("_wpml_import_language_code", "en")
            + wxr_meta("_wpml_import_translation_group", "42")
            + wxr_meta("_wpml_import_source_language_code", "tr"),
        ),
        wxr_item(
            8,
            "Hazar Güzergâhı",
            "<p>Türkçe metin.</p>",
            slug="hazar-guzergahi",
            date="2025-02-01 09:00:00",
            extra=wxr_meta("_wpml_import_language_code", "tr")
            + wxr_meta("_wpml_import_translation_group", "42")
            + wxr_meta("_wpml_import_source_language_code", ""),
        ),
    )
    report = await import_wordpress(migrated_url, export, now=SYSTEM_CLOCK.now())
    assert (report.created, report.problems) == (2, [])
    async with api_client(migrated_url) as api:
        turkish = await api.data(TRANSLATIONS, {"language": "tr", "slug": "hazar-guzergahi"})
        english = await api.data(TRANSLATIONS, {"language": "en", "slug": "caspian-route"})
    assert turkish["article"]["isOriginal"] is True
    assert turkish["article"]["translations"] == [
        {"language": {"code": "en"}, "slug": "caspian-route"}
    ]
    assert english["article"]["isOriginal"] is False


async def test_a_bad_post_is_reported_and_leaves_nothing_behind(
    migrated_url: str, tmp_path: Path
) -> None:
    export = write_wxr(
        tmp_path / "bad.xml",
        wxr_item(
            1,
            "A title far too long " * 20,
            "<p>Text.</p>",
            extra='<category domain="post_tag" nicename="only-here">Only here</category>',
        ),
        wxr_item(2, "A Good Post", "<p>Text.</p>", slug="a-good-post"),
    )
    report = await import_wordpress(migrated_url, export, now=SYSTEM_CLOCK.now())
    assert (report.created, report.skipped) == (1, 1)
    [failure] = report.problems
    assert failure.kind is ProblemKind.VALIDATION_FAILED
    assert failure.post is not None and failure.post.post_id == 1
    assert failure.detail.startswith("title: A title has at most 300 characters")
    assert await articles(migrated_url) == [("en", "a-good-post", "A Good Post")]
    engine = create_engine(migrated_url)
    try:
        async with engine.connect() as connection:
            tags = list(await connection.scalars(select(Tag.slug)))
    finally:
        await engine.dispose()
    assert tags == []  # the failed post's tag went with it


async def test_two_sites_with_the_same_post_ids_do_not_collide(
    migrated_url: str, tmp_path: Path
) -> None:
    first = write_wxr(
        tmp_path / "a.xml", wxr_item(1, "Alpha", "<p>A.</p>"), site="https://a.example"
    )
    second = write_wxr(
        tmp_path / "b.xml", wxr_item(1, "Beta", "<p>B.</p>"), site="https://b.example"
    )
    assert (await import_wordpress(migrated_url, first, now=SYSTEM_CLOCK.now())).created == 1
    assert (await import_wordpress(migrated_url, second, now=SYSTEM_CLOCK.now())).created == 1
    assert [title for _, _, title in await articles(migrated_url)] == ["Alpha", "Beta"]


async def test_posts_without_a_language_take_the_one_asked_for(
    migrated_url: str, tmp_path: Path
) -> None:
    export = write_wxr(tmp_path / "x.xml", wxr_item(1, "Merhaba", "<p>Dünya.</p>"))
    report = await import_wordpress(
        migrated_url, export, default_language="tr", now=SYSTEM_CLOCK.now()
    )
    assert report.languages_enabled == ["tr"]
    assert await articles(migrated_url) == [("tr", "merhaba", "Merhaba")]


async def test_no_language_anywhere_stops_before_writing(migrated_url: str, tmp_path: Path) -> None:
    export = write_wxr(tmp_path / "x.xml", wxr_item(1, "Hello", "<p>.</p>"), language="")
    with pytest.raises(ImportAborted, match="pass --default-language"):
        await import_wordpress(migrated_url, export, now=SYSTEM_CLOCK.now())
    assert await articles(migrated_url) == []


async def test_importing_into_a_publication_with_content(fresh_demo_url: str) -> None:
    before = await articles(fresh_demo_url)
    report = await import_wordpress(fresh_demo_url, MERIDIAN_EXPORT, now=SYSTEM_CLOCK.now())
    assert report.created == 13
    assert report.languages_enabled == []  # en, tr and ru were enabled already
    # The translated category "energy" is a section (the demo's tag of that slug stays a tag);
    # the demo's sections have other slugs, so both categories make sections of their own.
    assert (report.tags_matched, report.sections_created, report.sections_matched) == (0, 2, 0)
    renamed = {p.detail for p in report.problems if p.kind is ProblemKind.SLUG_CHANGED}
    assert (
        "another en article has the slug 'turkiyes-gas-hub-ambition'; imported as "
        "'turkiyes-gas-hub-ambition-2'"
    ) in renamed
    after = await articles(fresh_demo_url)
    assert after[: len(before)] == before  # what was there stays as it was
    async with api_client(fresh_demo_url) as api:
        page = await api.data(
            TRANSLATIONS, {"language": "en", "slug": "turkiyes-gas-hub-ambition-2"}
        )
    assert {(t["language"]["code"], t["slug"]) for t in page["article"]["translations"]} == {
        ("tr", "turkiyenin-gaz-merkezi-hedefi-2"),
        ("ru", "gazovyi-khab-turtsii"),  # the demo spells its slug differently
    }
    assert page["article"]["section"] == {"slug": "energy", "name": "Energy"}


async def test_two_blogs_of_one_network_do_not_collide(migrated_url: str, tmp_path: Path) -> None:
    # WordPress.com (and every multisite network) gives all its blogs one base_site_url.
    network = "https://wordpress.com/"
    first = write_wxr(
        tmp_path / "a.xml",
        wxr_item(1, "Alpha", "<p>A.</p>"),
        site=network,
        channel="<wp:base_blog_url>https://alpha.wordpress.com</wp:base_blog_url>",
    )
    second = write_wxr(
        tmp_path / "b.xml",
        wxr_item(1, "Beta", "<p>B.</p>"),
        site=network,
        channel="<wp:base_blog_url>https://beta.wordpress.com</wp:base_blog_url>",
    )
    assert (
        await import_wordpress(migrated_url, first, now=SYSTEM_CLOCK.now())
    ).site == "https://alpha.wordpress.com"
    assert (await import_wordpress(migrated_url, second, now=SYSTEM_CLOCK.now())).created == 1
    assert (await import_wordpress(migrated_url, first, now=SYSTEM_CLOCK.now())).unchanged == 1
    assert [title for _, _, title in await articles(migrated_url)] == ["Alpha", "Beta"]


async def test_a_wxr_1_0_export_brings_its_tags_and_its_creators(
    migrated_url: str, tmp_path: Path
) -> None:
    terms = (
        '<category domain="category" nicename="alpha"><![CDATA[Alpha]]></category>'
        '<category domain="tag"><![CDATA[news]]></category>'
        '<category domain="tag" nicename="news"><![CDATA[news]]></category>'
    )
    export = write_wxr(
        tmp_path / "old.xml",
        wxr_item(1, "Old Post", "<p>Text.</p>", slug="old-post", creator="admin", extra=terms),
        namespace="http://wordpress.org/export/1.0/",
        version="1.0",
        author=False,  # WXR 1.0 lists no authors: they are only the posts' dc:creator
    )
    report = await import_wordpress(migrated_url, export, now=SYSTEM_CLOCK.now())
    assert (report.created, report.authors_created, report.tags_created) == (1, 1, 1)
    assert report.sections_created == 1  # the category
    assert report.problems == []
    async with api_client(migrated_url) as api:
        data = await api.data(
            """query { article(language: "en", slug: "old-post") {
                 authors { slug name } tags { slug name } section { slug } } }"""
        )
    assert data["article"]["authors"] == [{"slug": "admin", "name": "admin"}]
    assert data["article"]["tags"] == [{"slug": "news", "name": "news"}]
    assert data["article"]["section"] == {"slug": "alpha"}


async def test_items_without_an_id_import_by_guid_and_items_without_either_are_reported(
    migrated_url: str, tmp_path: Path
) -> None:
    by_guid = (
        wxr_item(0, "Worth a Thousand Words", "<p>Boat.</p>")
        .replace("<wp:post_id>0</wp:post_id>", "")
        .replace("<item>", "<item><guid>https://small.example/?p=19</guid>")
    )
    nameless = wxr_item(0, "Nowhere", "<p>x</p>").replace("<wp:post_id>0</wp:post_id>", "")
    export = write_wxr(tmp_path / "x.xml", by_guid, nameless)
    report = await import_wordpress(migrated_url, export, now=SYSTEM_CLOCK.now())
    assert report.created == 1
    assert [str(p) for p in report.problems] == [
        "not imported: an item “Nowhere” has no post id in WordPress's export namespace"
    ]
    again = await import_wordpress(migrated_url, export, now=SYSTEM_CLOCK.now())
    assert (again.created, again.unchanged) == (0, 1)
