"""The sitemap benchmark: N stories in three languages, served by a real server.

Builds the data set in bulk (stories and their en/tr/ru versions straight into the tables,
thousands of rows per statement; no bodies, which sitemaps never read), starts one uvicorn
worker on it, fetches the index and every file it lists, and prints per file the time, bytes
and URL count, and the worker's peak resident memory (VmHWM) at the end.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import func, insert, select, text

import migrations
from publishing.articles.models import Article, ArticleStatus, Story
from publishing.db import create_engine, create_sessionmaker
from publishing.languages.service import enable_languages

LANGUAGES = ("en", "tr", "ru")
ROWS_PER_STATEMENT = 5_000


async def build(database_url: str, stories: int) -> int:
    """Add ``stories`` published stories (three versions each); returns the articles added."""
    await asyncio.to_thread(migrations.upgrade, database_url)
    engine = create_engine(database_url)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            await enable_languages(session, LANGUAGES)
        async with engine.begin() as connection:
            first_story = (await connection.scalar(select(func.max(Story.id)))) or 0
            first_article = (await connection.scalar(select(func.max(Article.id)))) or 0
            for start in range(0, stories, ROWS_PER_STATEMENT):
                ids = range(
                    first_story + start + 1,
                    first_story + min(stories, start + ROWS_PER_STATEMENT) + 1,
                )
                await connection.execute(
                    insert(Story),
                    [{"id": i, "original_language": "en", "created_at": now} for i in ids],
                )
                rows = []
                for i in ids:
                    published = now - dt.timedelta(minutes=i % 500_000)
                    for n, language in enumerate(LANGUAGES):
                        rows.append(
                            {
                                "id": first_article + (i - first_story - 1) * 3 + n + 1,
                                "story_id": i,
                                "language": language,
                                "slug": f"sitemap-bench-{i}",
                                "title": f"Story {i} ({language})",
                                "body": "",
                                "status": ArticleStatus.PUBLISHED,
                                "published_at": published,
                                "version": 1,
                                "content_version": 1,
                                "content_updated_at": published,
                                "source_version": None if n == 0 else 1,
                                "created_at": published,
                                "updated_at": published,
                            }
                        )
                for chunk in range(0, len(rows), ROWS_PER_STATEMENT):
                    await connection.execute(
                        insert(Article), rows[chunk : chunk + ROWS_PER_STATEMENT]
                    )
            if connection.dialect.name == "postgresql":
                for table in ("stories", "articles"):
                    await connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT max(id) FROM {table}))"
                        )
                    )
    finally:
        await engine.dispose()
    return stories * len(LANGUAGES)


@dataclass(frozen=True, slots=True)
class Fetched:
    path: str
    seconds: float
    bytes: int
    urls: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _fetch(client: httpx.Client, path: str) -> Fetched:
    started = time.perf_counter()
    size = urls = 0
    tail = b""
    with client.stream("GET", path) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            size += len(chunk)
            joined = tail + chunk
            urls += joined.count(b"<url>") - tail.count(b"<url>")
            tail = joined[-5:]
    return Fetched(path, time.perf_counter() - started, size, urls)


def _index_paths(body: bytes) -> Iterator[str]:
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    for loc in ET.fromstring(body).findall("s:sitemap/s:loc", ns):
        yield urlsplit(loc.text or "").path


def serve_and_fetch(database_url: str) -> tuple[list[Fetched], float]:
    port = _free_port()
    env = {
        **os.environ,
        "PRESSROOM_DATABASE_URL": database_url,
        "PRESSROOM_WEBHOOKS_DISPATCHER": "false",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app_from_environment",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            for _ in range(100):
                try:
                    client.get("/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            index = _fetch(client, "/sitemap.xml")
            body = client.get("/sitemap.xml").content
            fetched = [index] + [_fetch(client, path) for path in _index_paths(body)]
        return fetched, _peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(database_url: str, stories: int) -> None:
    started = time.perf_counter()
    if stories:
        added = asyncio.run(build(database_url, stories))
        print(f"built {added:,} articles in {time.perf_counter() - started:.1f} s")
    fetched, peak = serve_and_fetch(database_url)
    print(f"{'file':<28} {'seconds':>8} {'MB':>8} {'URLs':>8}")
    for f in fetched:
        print(f"{f.path:<28} {f.seconds:>8.2f} {f.bytes / 1e6:>8.1f} {f.urls:>8,}")
    total = sum(f.urls for f in fetched)
    files = len(fetched)
    seconds = sum(f.seconds for f in fetched)
    print(
        f"{files} files, {total:,} URLs, {sum(f.bytes for f in fetched) / 1e6:.1f} MB "
        f"in {seconds:.1f} s; worker peak RSS {peak:.0f} MB"
    )
