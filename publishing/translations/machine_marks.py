"""Which segments of a translation a machine wrote, for as long as nobody has edited them.

A mark is the original's segment id and a hash of the text the machine wrote. Every write of
the translation drops the marks whose text is no longer there (a person edited it), so a read
takes the stored marks as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from publishing.access import Permission, Role
from publishing.articles.models import Article
from publishing.articles.revisions import snapshot
from publishing.db import Base, UTCDateTime
from publishing.footnotes.models import Footnote, Source
from publishing.translations.segments import ArticleText, Segment, segment_article

READ_MACHINE_SEGMENTS = Permission(Role.CONTRIBUTOR, "Reading machine-translation marks")


class MachineSegment(Base):
    """One segment of a translation as a machine translated it."""

    __tablename__ = "machine_translated_segments"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    # The original's segment id (what an XLIFF unit carries).
    segment_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    # Where the segment lives in the translation ("body", "footnote:KEY", "title"...).
    field: Mapped[str] = mapped_column(String(200))
    # SHA-256 of the machine's text, whitespace collapsed and inline codes left out.
    text_hash: Mapped[str] = mapped_column(String(64))
    provider: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def hashes_by_field(segments: Sequence[Segment]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for segment in segments:
        found[segment.field].add(text_hash(segment.text))
    return found


async def footnote_rows(
    session: AsyncSession, article_id: int
) -> list[tuple[Footnote, Source | None]]:
    rows = await session.execute(
        select(Footnote, Source)
        .outerjoin(Source, Source.id == Footnote.source_id)
        .where(Footnote.article_id == article_id)
        .order_by(Footnote.position)
    )
    return [(footnote, source) for footnote, source in rows]


async def article_text(session: AsyncSession, article: Article) -> ArticleText:
    """The translatable text of ``article`` as stored now (media texts left out)."""
    return ArticleText.from_snapshot(snapshot(article, await footnote_rows(session, article.id)))


async def translation_written(session: AsyncSession, article: Article) -> None:
    """Drop the marks of segments whose machine text is no longer in ``article``."""
    marks = list(
        await session.scalars(select(MachineSegment).where(MachineSegment.article_id == article.id))
    )
    if not marks:
        return
    present = hashes_by_field(segment_article(await article_text(session, article)).segments)
    gone = [m.segment_id for m in marks if m.text_hash not in present.get(m.field, set())]
    if gone:
        await session.execute(
            delete(MachineSegment).where(
                MachineSegment.article_id == article.id, MachineSegment.segment_id.in_(gone)
            )
        )


async def marks_by_article(
    session: AsyncSession, article_ids: Sequence[int]
) -> dict[int, list[MachineSegment]]:
    rows = await session.scalars(
        select(MachineSegment)
        .where(MachineSegment.article_id.in_(article_ids))
        .order_by(MachineSegment.article_id, MachineSegment.created_at, MachineSegment.segment_id)
    )
    found: dict[int, list[MachineSegment]] = defaultdict(list)
    for mark in rows:
        found[mark.article_id].append(mark)
    return found
