"""WordPress media: attachments taken in as assets (fetched, or read from a copied uploads
folder), featured images, body images and galleries as figures, pending files reported and
retried, and a second import that fetches and changes nothing."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from publishing.articles.models import ArticleRevision
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine
from publishing.imports.models import ImportedMedia
from publishing.imports.report import ImportReport, ProblemKind
from publishing.imports.wordpress.importer import MediaSource, import_wordpress
from publishing.media.limits import MediaLimits
from publishing.media.models import MediaAsset
from publishing.media.storage import LocalStorage
from tests.imports.conftest import write_wxr, wxr_item
from tests.media import files
from tests.support.client import api_client

MEDIA_EXPORT = Path(__file__).parent / "fixtures" / "media-export.xml"
UPLOADS = "/wp-content/uploads/"
OPEN = MediaLimits(fetch_allow_private=True, fetch_timeout=5.0)

# What the site's server has (the attachment of 304 is gone: 404).
FILES: dict[str, bytes] = {
    "2024/03/harbour.jpg": files.jpeg(120, 80, files.RED),
    "2024/03/terminal.png": files.png(40, 30),
    "2024/03/annual-report.pdf": files.pdf(),
    "2024/04/plant-scaled.jpg": files.jpeg(64, 48, files.BLUE),
    "2024/04/valve.jpg": files.jpeg(30, 30, (20, 200, 20)),
    "2024/04/meter.jpg": files.jpeg(50, 20, (200, 200, 20)),
    "2024/05/chart.png": files.png(64, 32),
}

PAGE = """
query Page($slug: String!) {
  article(language: "en", slug: $slug) {
    body { markdown html }
    featuredImage { id fileName alt caption width }
    attachments { fileName mediaType }
  }
}
"""


class Site:
    """The WordPress site's web server, answering for its uploads; counts what is asked."""

    def __init__(self, present: dict[str, bytes]) -> None:
        self.present = dict(present)
        self.requests: Counter[str] = Counter()

    def app(self) -> Starlette:
        async def upload(request: Request) -> Response:
            path = request.path_params["path"]
            self.requests[path] += 1
            data = self.present.get(path)
            return Response("gone", 404) if data is None else Response(data)

        return Starlette(routes=[Route(UPLOADS + "{path:path}", upload)])

    def source(self, storage: LocalStorage, limits: MediaLimits = OPEN) -> MediaSource:
        return MediaSource(storage, limits, transport=httpx.ASGITransport(app=self.app()))


async def _import(
    url: str, source: MediaSource | None, path: Path = MEDIA_EXPORT, *, dry_run: bool = False
) -> ImportReport:
    return await import_wordpress(url, path, now=SYSTEM_CLOCK.now(), media=source, dry_run=dry_run)


async def _count(url: str, column: Any) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return int(await connection.scalar(select(func.count(column))) or 0)
    finally:
        await engine.dispose()


async def _pages(url: str, storage: LocalStorage) -> dict[str, Any]:
    slugs = ("harbour-classic", "plant-in-blocks", "gallery-of-the-post")
    async with api_client(url, media_url=storage.root.as_uri()) as api:
        return {s: (await api.data(PAGE, {"slug": s}))["article"] for s in slugs}


def _media_lines(report: ImportReport) -> list[str]:
    return [str(p) for p in report.problems if p.kind is ProblemKind.MEDIA]


@pytest.fixture
def storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "media")


async def test_attachments_become_assets_and_bodies_show_them_as_figures(
    migrated_url: str, storage: LocalStorage
) -> None:
    site = Site(FILES)
    report = await _import(migrated_url, site.source(storage))
    assert (report.created, report.skipped) == (3, 0)
    # 7 attachments, and chart.png: an upload a body shows that no attachment describes.
    assert report.media_files == 8
    assert (report.media_taken_in, report.media_unreachable, report.media_refused) == (7, 1, 0)
    assert "attachment" not in report.other_items
    assert "Media: 8 files, 7 taken in, 0 already here, 1 pending (1 unreachable, 0 refused)" in (
        report.render()
    )
    # Resized copies were never fetched: each upload once, as uploaded.
    assert set(site.requests) == {*FILES, "2024/03/lost-pipeline.jpg"}
    assert max(site.requests.values()) == 1

    pages = await _pages(migrated_url, storage)
    classic = pages["harbour-classic"]
    markdown = classic["body"]["markdown"]
    figures = re.findall(r'!\[([^\]]*)\]\(media:(\d+)(?: "([^"]*)")?\)', markdown)
    # [caption] (its link to the file dropped), the image beside text moved before it, then
    # [gallery ids="306,307"] as two figures with the attachments' captions.
    assert [(alt, caption) for alt, _, caption in figures] == [
        ("", "The harbour, before the storm."),
        ("Throughput chart", ""),
        ("Valve", "A valve, closed."),
        ("Meter", ""),
    ]
    assert markdown.startswith("An analysis of the harbour.\n\n![](media:")
    assert "Throughput rose in the spring, as the chart shows." in markdown
    assert "![Elsewhere](https://other.example/pic.jpg)" in markdown  # not the site's
    html = classic["body"]["html"]
    assert html.count('<figure class="media">') == 4
    assert "<figcaption>The harbour, before the storm.</figcaption>" in html
    assert 'alt="Cranes over the harbour"' in html  # the attachment's alt fills in
    assert "media.example" not in html

    featured = classic["featuredImage"]
    assert featured["fileName"] == "harbour.jpg" and featured["width"] == 120
    assert (featured["alt"], featured["caption"]) == (
        "Cranes over the harbour",
        "The harbour at dawn.",
    )
    assert classic["attachments"] == [
        {"fileName": "annual-report.pdf", "mediaType": "application/pdf"}
    ]

    blocks = pages["plant-in-blocks"]
    block_figures = re.findall(
        r'!\[([^\]]*)\]\(media:(\d+)(?: "([^"]*)")?\)', blocks["body"]["markdown"]
    )
    # wp:image from the scaled upload's resized copy; a wp:gallery (5.8 form) then its caption;
    # a wp:gallery of nested image blocks.
    assert [(alt, caption) for alt, _, caption in block_figures] == [
        ("", "The plant at night"),
        ("A valve", "Valve, closed"),
        ("", ""),
        ("", ""),
    ]
    assert "Parts of the plant" in blocks["body"]["markdown"]
    ids = [int(i) for _, i, _ in figures + block_figures]
    assert ids[1] != ids[0] and ids[2] == ids[5] and ids[3] == ids[6] and ids[7] == ids[0]
    assert blocks["featuredImage"]["fileName"] == "plant-scaled.jpg"

    gallery = pages["gallery-of-the-post"]
    markdown = gallery["body"]["markdown"]
    # [gallery] with no ids: the post's own uploads in menu order; the lost one stays at its
    # WordPress address, and is reported with the post.
    assert re.search(r"!\[\]\(media:\d+\)", markdown) is None
    assert re.search(r"!\[The LNG terminal\]\(media:\d+\)", markdown)
    assert "![](https://media.example/wp-content/uploads/2024/03/lost-pipeline.jpg)" in markdown
    assert gallery["featuredImage"] is None
    lines = _media_lines(report)
    assert len(lines) == 2, lines
    assert all(
        line.startswith("post 403 “Gallery of the post”: media not imported:") for line in lines
    )
    assert (
        "featured image (attachment 304, https://media.example/wp-content/uploads/2024/03/lost-pipeline.jpg)"
        in lines[1]
    )
    assert "HTTP 404" in lines[0] and "tried again on the next import" in lines[0]


async def test_importing_again_fetches_and_changes_nothing_then_retries_the_pending(
    migrated_url: str, storage: LocalStorage
) -> None:
    site = Site(FILES)
    await _import(migrated_url, site.source(storage))
    assets = await _count(migrated_url, MediaAsset.id)
    revisions = await _count(migrated_url, ArticleRevision.id)
    site.requests.clear()

    again = await _import(migrated_url, site.source(storage))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (again.media_here, again.media_taken_in, again.media_unreachable) == (7, 0, 1)
    assert site.requests == Counter({"2024/03/lost-pipeline.jpg": 1})  # only the pending one
    assert await _count(migrated_url, MediaAsset.id) == assets
    assert await _count(migrated_url, ArticleRevision.id) == revisions
    # Unchanged posts are not converted again: the pending file has a line of its own.
    assert _media_lines(again) == [
        "media not imported: attachment 304 "
        "(https://media.example/wp-content/uploads/2024/03/lost-pipeline.jpg): "
        "The server answered HTTP 404, not 200; tried again on the next import"
    ]

    # The file is back on the server: the next import takes it in and shows it.
    site.present["2024/03/lost-pipeline.jpg"] = files.jpeg(33, 22, (90, 90, 90))
    retried = await _import(migrated_url, site.source(storage))
    assert (retried.media_taken_in, retried.media_unreachable) == (1, 0)
    assert (retried.updated, retried.unchanged) == (1, 2)
    assert _media_lines(retried) == []
    page = (await _pages(migrated_url, storage))["gallery-of-the-post"]
    assert "lost-pipeline" not in page["body"]["markdown"]
    assert page["featuredImage"]["fileName"] == "lost-pipeline.jpg"
    engine = create_engine(migrated_url)
    try:
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    select(ImportedMedia.failure, ImportedMedia.attempts).where(
                        ImportedMedia.external_id == "attachment:304"
                    )
                )
            ).all()
    finally:
        await engine.dispose()
    assert [tuple(r) for r in rows] == [(None, 2)]


async def test_media_from_a_copied_uploads_folder_needs_no_network(
    migrated_url: str, storage: LocalStorage, tmp_path: Path
) -> None:
    folder = tmp_path / "uploads"
    for relative, data in FILES.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)

    def no_network(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"fetched {request.url}")

    source = MediaSource(storage, OPEN, folder=folder, transport=httpx.MockTransport(no_network))
    report = await _import(migrated_url, source)
    assert (report.media_taken_in, report.media_unreachable) == (7, 1)
    lines = _media_lines(report)
    assert any("2024/03/lost-pipeline.jpg is not in" in line for line in lines), lines
    page = (await _pages(migrated_url, storage))["harbour-classic"]
    assert page["featuredImage"]["fileName"] == "harbour.jpg"
    assert page["body"]["markdown"].count("](media:") == 4


async def test_refused_and_unreachable_addresses_stay_pending(
    migrated_url: str, storage: LocalStorage, tmp_path: Path
) -> None:
    export = write_wxr(
        tmp_path / "refused.xml",
        wxr_item(
            501,
            "Private",
            '<img class="wp-image-601" src="http://127.0.0.1/wp-content/uploads/a.jpg" alt="A">',
            slug="private",
        ),
        """<item><title>a</title><wp:post_id>601</wp:post_id><wp:post_type>attachment</wp:post_type>
        <wp:status>inherit</wp:status><wp:post_parent>501</wp:post_parent>
        <wp:attachment_url>http://127.0.0.1/wp-content/uploads/a.jpg</wp:attachment_url></item>""",
        site="http://127.0.0.1",
    )
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200, content=files.jpeg())

    closed = MediaLimits(fetch_allow_private=False, fetch_timeout=5.0)
    source = MediaSource(storage, closed, transport=httpx.MockTransport(answer))
    report = await _import(migrated_url, source, export)
    assert (report.created, report.media_refused, report.media_taken_in) == (1, 1, 0)
    assert asked == []  # refused before any request
    (line,) = _media_lines(report)
    assert "private, loopback or reserved address" in line
    async with api_client(migrated_url) as api:
        data = await api.data(PAGE, {"slug": "private"})
    assert data["article"]["body"]["markdown"] == "![A](http://127.0.0.1/wp-content/uploads/a.jpg)"


async def test_a_dry_run_takes_nothing_in(migrated_url: str, storage: LocalStorage) -> None:
    site = Site(FILES)
    report = await _import(migrated_url, site.source(storage), dry_run=True)
    assert report.media_not_tried == 8 and report.media_taken_in == 0
    assert not site.requests
    assert _media_lines(report) == []
    assert await _count(migrated_url, MediaAsset.id) == 0


async def test_without_media_galleries_and_featured_images_are_reported_as_before(
    migrated_url: str,
) -> None:
    report = await _import(migrated_url, None)
    lines = _media_lines(report)
    assert (
        "post 401 “Harbour, classic”: media not imported: shortcode [gallery] of attachments "
        "306,307" in lines
    )
    assert (
        "post 401 “Harbour, classic”: media not imported: featured image (attachment 301)" in lines
    )
    assert report.other_items["attachment"] == 7
