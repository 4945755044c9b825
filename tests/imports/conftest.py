"""The WordPress export written for these tests, and databases it was imported into."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest

import migrations
from publishing.clock import SYSTEM_CLOCK
from publishing.imports.report import ImportReport
from publishing.imports.wordpress.importer import import_wordpress
from tests.support.databases import Databases

MERIDIAN_EXPORT = Path(__file__).parent / "fixtures" / "meridian-export.xml"
# Every form of post this project has met in real exports, written anew for the tests.
FORMS_EXPORT = Path(__file__).parent / "fixtures" / "forms-export.xml"


@dataclass(frozen=True)
class Imported:
    url: str
    report: ImportReport


@pytest.fixture(scope="session")
def imported(backend: str, databases: Databases) -> Imported:
    """A new database with the Meridian export imported once, shared: do not write to it."""
    url = databases.empty(backend)
    migrations.upgrade(url)
    report = asyncio.run(import_wordpress(url, MERIDIAN_EXPORT, now=SYSTEM_CLOCK.now()))
    return Imported(url, report)


@pytest.fixture
def migrated_url(empty_url: str) -> str:
    """A private database with the schema and nothing in it."""
    migrations.upgrade(empty_url)
    return empty_url


def wxr_item(
    post_id: int,
    title: str,
    content: str,
    *,
    slug: str = "",
    status: str = "publish",
    creator: str = "editor",
    date: str = "2025-01-10 09:00:00",
    extra: str = "",
) -> str:
    """One ``<item>`` of a WXR file; ``extra`` holds its categories and post meta."""
    return f"""
    <item>
      <title><![CDATA[{title}]]></title>
      <dc:creator><![CDATA[{creator}]]></dc:creator>
      <content:encoded><![CDATA[{content}]]></content:encoded>
      <excerpt:encoded><![CDATA[]]></excerpt:encoded>
      <wp:post_id>{post_id}</wp:post_id>
      <wp:post_date><![CDATA[{date}]]></wp:post_date>
      <wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>
      <wp:post_name><![CDATA[{slug}]]></wp:post_name>
      <wp:status><![CDATA[{status}]]></wp:status>
      <wp:post_type><![CDATA[post]]></wp:post_type>
      {extra}
    </item>"""


def wxr_meta(key: str, value: str) -> str:
    return (
        f"<wp:postmeta><wp:meta_key><![CDATA[{key}]]></wp:meta_key>"
        f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
    )


def write_wxr(
    path: Path,
    *items: str,
    site: str = "https://small.example",
    language: str = "en-US",
    namespace: str = "http://wordpress.org/export/1.2/",
    version: str | None = "1.2",
    channel: str = "",
    author: bool = True,
) -> Path:
    """A small WXR file (1.2 by default) with one author, ``editor``, and the given items;
    ``channel`` adds elements to the channel (``base_blog_url``, terms...)."""
    version_element = "" if version is None else f"<wp:wxr_version>{version}</wp:wxr_version>"
    author_element = (
        "<wp:author><wp:author_login><![CDATA[editor]]></wp:author_login>"
        "<wp:author_display_name><![CDATA[Eda Editor]]></wp:author_display_name></wp:author>"
        if author
        else ""
    )
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="{namespace}excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{namespace}">
<channel>
  <title>Small site</title>
  <language>{language}</language>
  {version_element}
  <wp:base_site_url>{site}</wp:base_site_url>
  {channel}
  {author_element}
  {"".join(items)}
</channel>
</rss>
""",
        encoding="utf-8",
    )
    return path
