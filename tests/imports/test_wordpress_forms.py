"""The forms export imported through the API's services, then read the way frontends read it."""

from __future__ import annotations

from sqlalchemy import select

from publishing.articles.models import Article
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine
from publishing.imports.report import ProblemKind
from publishing.imports.wordpress.importer import import_wordpress
from tests.imports.conftest import FORMS_EXPORT
from tests.imports.test_wordpress_import import counts, editor
from tests.support.client import api_client

PAGE = """query($slug: String!) {
  article(language: "en", slug: $slug) { title status publishedAt body { html } } }"""


async def published_at(url: str, slug: str) -> object:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.scalar(select(Article.published_at).where(Article.slug == slug))
    finally:
        await engine.dispose()


async def test_the_forms_export_imports_with_every_loss_reported(migrated_url: str) -> None:
    report = await import_wordpress(migrated_url, FORMS_EXPORT, now=SYSTEM_CLOCK.now())
    assert report.site == "https://forms.example"  # the blog, not WordPress.com
    assert (report.posts_seen, report.pages, report.created, report.skipped) == (13, 1, 13, 0)
    assert dict(report.other_items) == {"attachment": 1}  # pages and menus are imported
    # The category hierarchy (Gas under Energy) is kept as sections, and not reported.
    assert (report.sections_created, report.tags_created, report.menus_created) == (2, 0, 1)
    lines = [str(p) for p in report.problems]
    assert not any("category hierarchy" in line for line in lines)
    expected = [
        "post 202 “Blocks: Text, Tables, Code and Layout”: not converted: dynamic block "
        "wp:latest-posts (made by WordPress when shown)",
        "post 203 “Classic: Embeds and Shortcodes”: media not imported: shortcode [gallery] "
        "of attachments 7,8,9",
        "post 203 “Classic: Embeds and Shortcodes”: not converted: shortcode [contact-form-7]",
        "post 204 “Blocks: Embeds and Dynamic Blocks”: not converted: dynamic block "
        "wp:calendar (made by WordPress when shown)",
        "post 205 “Members Only”: withheld: password-protected in WordPress: imported "
        "archived, not public",
        "post 207: untitled: no title in WordPress; titled “Nothing names this post, but "
        "its first words …”",
        "post 209 “Undated”: undated: no date in the export",
        "post 210 “Pinned to the Top”: media not imported: featured image (attachment 7)",
        "post 212 “In Three Pages”: flattened: 3 pages (<!--nextpage-->) joined",
    ]
    for line in expected:
        assert line in lines
    assert report.count(ProblemKind.VALIDATION_FAILED) == 0

    async with api_client(migrated_url) as api:
        anonymous = {
            slug: (await api.data(PAGE, {"slug": slug}))["article"]
            for slug in ("members-only", "staff-notes", "classic-embeds", "undated")
        }
        as_editor = {
            slug: (await api.data(PAGE, {"slug": slug}, headers=await editor(migrated_url)))[
                "article"
            ]
            for slug in ("members-only", "staff-notes")
        }
    # Neither a password-protected nor a private post becomes public; both keep their dates.
    assert anonymous["members-only"] is None and anonymous["staff-notes"] is None
    assert (as_editor["members-only"]["status"], as_editor["members-only"]["publishedAt"]) == (
        "ARCHIVED",
        "2025-02-05T07:00:00+00:00",
    )
    assert as_editor["staff-notes"]["publishedAt"] == "2025-02-06T07:00:00+00:00"
    html = anonymous["classic-embeds"]["body"]["html"]
    assert '<figure class="embed" data-provider="vimeo"><a href="https://vimeo.com/76979871"' in (
        html
    )
    assert "[gallery ids" not in html and "contact-form-7" not in html
    assert anonymous["undated"]["publishedAt"] is not None


async def test_importing_the_forms_export_again_changes_nothing(migrated_url: str) -> None:
    await import_wordpress(migrated_url, FORMS_EXPORT, now=SYSTEM_CLOCK.now())
    before = await counts(migrated_url)
    undated = await published_at(migrated_url, "undated")
    again = await import_wordpress(migrated_url, FORMS_EXPORT, now=SYSTEM_CLOCK.now())
    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 13, 0)
    assert await counts(migrated_url) == before
    assert await published_at(migrated_url, "undated") == undated
