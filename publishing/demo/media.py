"""The demo publication's media, drawn at seed time with libvips (nothing is downloaded): a
featured image per story, a portrait per author, a chart in one body, and a PDF report
attached to one article. Drawing is deterministic, so seeding again finds the same bytes
(the same assets) and adds only what is missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pyvips
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor
from publishing.articles import editing
from publishing.articles.editing import ArticleChanges
from publishing.articles.models import Article
from publishing.authors.models import Author
from publishing.demo import content
from publishing.global_ids import global_id
from publishing.media.ingest import ingest
from publishing.media.limits import MediaLimits
from publishing.media.models import (
    ArticleAttachment,
    ArticleFeaturedImage,
    AuthorAvatar,
    MediaText,
)
from publishing.media.storage import MediaStorage

__all__ = ["seed_media"]

# One colour pair per story, in content.STORIES order (cycled).
PALETTE = (
    ((18, 52, 86), (230, 126, 34)),
    ((34, 49, 63), (46, 204, 113)),
    ((44, 62, 80), (52, 152, 219)),
    ((120, 40, 31), (241, 196, 15)),
    ((74, 35, 90), (26, 188, 156)),
    ((23, 32, 42), (231, 76, 60)),
    ((110, 72, 30), (243, 156, 18)),
    ((21, 67, 96), (155, 89, 182)),
    ((11, 83, 69), (236, 240, 241)),
    ((81, 90, 90), (192, 57, 43)),
)
FIGURE_ARTICLE = ("en", "drought-on-the-anatolian-plateau")
REPORT_ARTICLE = ("en", "the-future-of-nuclear-verification")

# Portraits show initials, so one language's alt text serves (others fall back to it).
_PORTRAIT_LANGUAGE = "en"


def _gradient(
    width: int, height: int, top: tuple[int, ...], bottom: tuple[int, ...]
) -> pyvips.Image:
    # A diagonal blend from one colour to the other.
    xy = pyvips.Image.xyz(width, height)
    t = (xy[0] / width + xy[1] / height) / 2
    bands = [t * (b - a) + a for a, b in zip(top, bottom, strict=True)]
    return bands[0].bandjoin(bands[1:]).cast("uchar").copy(interpretation="srgb")


def _text(text: str, width: int, dpi: int) -> pyvips.Image:
    return pyvips.Image.text(text, width=width, dpi=dpi, font="sans bold")


def _overlay(
    base: pyvips.Image, mask: pyvips.Image, colour: tuple[int, ...], x: int, y: int
) -> pyvips.Image:
    """``colour`` painted through ``mask`` (a one-band alpha) onto ``base`` at x, y."""
    ink = (mask.new_from_image(list(colour)).copy(interpretation="srgb")).bandjoin(mask)
    return base.composite2(ink, "over", x=x, y=y).flatten().cast("uchar")


def featured_image(title: str, index: int) -> bytes:
    """A 1600 x 900 card: a gradient, a few circles, and the title on a dark band."""
    top, bottom = PALETTE[index % len(PALETTE)]
    width, height = 1600, 900
    image = _gradient(width, height, top, bottom)
    xy = pyvips.Image.xyz(width, height)
    for n in range(3):
        cx, cy, r = 300 + 480 * n, 260 + 90 * ((n + index) % 3), 140 + 40 * ((index + n) % 2)
        distance = ((xy[0] - cx) ** 2 + (xy[1] - cy) ** 2) ** 0.5
        ring = ((distance < r) & (distance > r - 24)).cast("uchar")
        image = _overlay(image, ring, (255, 255, 255), 0, 0)
    band = pyvips.Image.black(width, 220) + 160
    image = _overlay(image, band.cast("uchar"), (0, 0, 0), 0, height - 220)
    words = _text(title, width - 160, 220)
    image = _overlay(image, words, (255, 255, 255), 80, height - 110 - words.height // 2)
    return bytes(image.jpegsave_buffer(Q=82))


def portrait(name: str, index: int) -> bytes:
    """A 600 x 600 portrait stand-in: initials on a gradient."""
    top, bottom = PALETTE[(index * 3 + 1) % len(PALETTE)]
    image = _gradient(600, 600, bottom, top)
    initials = "".join(part[0] for part in name.split()[:2])
    letters = _text(initials, 500, 600)
    x, y = (600 - letters.width) // 2, (600 - letters.height) // 2
    return bytes(_overlay(image, letters, (255, 255, 255), x, y).jpegsave_buffer(Q=85))


def chart() -> bytes:
    """A 1200 x 700 bar chart: twelve months of rainfall, the last ones short."""
    width, height = 1200, 700
    paper = pyvips.Image.black(width, height, bands=3).new_from_image([248, 246, 240])
    image = paper.cast("uchar").copy(interpretation="srgb")
    values = (72, 64, 58, 51, 40, 22, 9, 6, 14, 31, 38, 29)
    for month, value in enumerate(values):
        bar_height = value * 7
        bar = pyvips.Image.black(60, bar_height) + 255
        colour = (52, 101, 164) if value > 20 else (204, 84, 38)
        image = _overlay(
            image, bar.cast("uchar"), colour, 90 + month * 90, height - 80 - bar_height
        )
    axis = pyvips.Image.black(width - 120, 4) + 255
    image = _overlay(image, axis.cast("uchar"), (60, 60, 60), 60, height - 80)
    label = _text("Monthly rainfall, mm (illustrative)", 900, 150)
    image = _overlay(image, label, (40, 40, 40), 60, 30)
    return bytes(image.pngsave_buffer())


def report_pdf(title: str) -> bytes:
    """A one-page PDF with the title in Helvetica: small, valid, and made here."""
    safe = title.encode("latin-1", "replace").replace(b"\\", b"\\\\")
    safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 18 Tf 72 720 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _asset_id(
    session: AsyncSession,
    actor: Actor,
    storage: MediaStorage,
    data: bytes,
    name: str,
    now: dt.datetime,
) -> int:
    done = await ingest(session, actor, storage, _chunks(data), name, now=now, limits=MediaLimits())
    return done.asset.id


async def seed_media(
    session: AsyncSession, actor: Actor, storage: MediaStorage, now: dt.datetime
) -> None:
    articles = {
        (language, slug): (article_id, story_id)
        for article_id, story_id, language, slug in await session.execute(
            select(Article.id, Article.story_id, Article.language, Article.slug)
        )
    }
    featured = set(await session.scalars(select(ArticleFeaturedImage.article_id)))
    for index, story in enumerate(content.STORIES):
        original = story.versions[0]
        found = articles.get((original.language, original.slug))
        if found is None:
            continue
        versions = [
            articles[v.language, v.slug][0]
            for v in story.versions
            if (v.language, v.slug) in articles
        ]
        if all(article_id in featured for article_id in versions):
            continue
        image_id = await _asset_id(
            session, actor, storage, featured_image(original.title, index), f"{story.key}.jpg", now
        )
        # Cards need alt text; the drawing shows the title on an abstract background.
        alt = f"Title card: {original.title}"
        await session.merge(MediaText(asset_id=image_id, language=original.language, alt=alt))
        session.add_all(
            ArticleFeaturedImage(article_id=article_id, asset_id=image_id)
            for article_id in versions
            if article_id not in featured
        )

    authors = dict((await session.execute(select(Author.slug, Author.id))).all())
    with_avatar = set(await session.scalars(select(AuthorAvatar.author_id)))
    for index, demo in enumerate(content.AUTHORS):
        author_id = authors.get(demo.slug)
        if author_id is None or author_id in with_avatar:
            continue
        image_id = await _asset_id(
            session, actor, storage, portrait(demo.name, index), f"{demo.slug}.jpg", now
        )
        alt = f"Initials of {demo.name}"
        await session.merge(MediaText(asset_id=image_id, language=_PORTRAIT_LANGUAGE, alt=alt))
        session.add(AuthorAvatar(author_id=author_id, asset_id=image_id))

    report = articles.get(REPORT_ARTICLE)
    if report is not None:
        attached = await session.scalar(
            select(ArticleAttachment.asset_id).where(ArticleAttachment.article_id == report[0])
        )
        if attached is None:
            pdf_id = await _asset_id(
                session,
                actor,
                storage,
                report_pdf("Verification in practice: a field guide (demo report)"),
                "verification-field-guide.pdf",
                now,
            )
            session.add(ArticleAttachment(article_id=report[0], asset_id=pdf_id, position=0))

    target = articles.get(FIGURE_ARTICLE)
    if target is not None:
        article = await session.get(Article, target[0])
        if article is not None and "](media:" not in article.body:
            chart_id = await _asset_id(session, actor, storage, chart(), "rainfall.png", now)
            target = global_id("Image", chart_id)
            figure = (
                f"![Bar chart of monthly rainfall](media:{target} "
                '"Rainfall fell short from June on.")'
            )
            first, _, rest = article.body.partition("\n\n")
            await editing.update_article(
                session,
                actor,
                article.id,
                article.version,
                ArticleChanges(body=f"{first}\n\n{figure}\n\n{rest}".rstrip() + "\n"),
                now=now,
            )
    await session.flush()
