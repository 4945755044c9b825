"""Finding and keeping import records: what an external object became here."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.imports.models import ImportRecord


class RecordKind(enum.StrEnum):
    POST = "post"
    AUTHOR = "author"
    TERM = "term"  # a tag
    SECTION = "section"  # a category
    MENU = "menu"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where imported objects come from: a system and one site of it."""

    system: str
    site: str


async def find_record(
    session: AsyncSession, origin: Origin, kind: RecordKind, external_id: str
) -> ImportRecord | None:
    return await session.scalar(
        select(ImportRecord).where(
            ImportRecord.system == origin.system,
            ImportRecord.site == origin.site,
            ImportRecord.kind == kind.value,
            ImportRecord.external_id == external_id,
        )
    )


async def records_of(
    session: AsyncSession, origin: Origin, kind: RecordKind, external_ids: list[str]
) -> list[ImportRecord]:
    if not external_ids:
        return []
    rows = await session.scalars(
        select(ImportRecord).where(
            ImportRecord.system == origin.system,
            ImportRecord.site == origin.site,
            ImportRecord.kind == kind.value,
            ImportRecord.external_id.in_(external_ids),
        )
    )
    return list(rows)


async def keep_record(
    session: AsyncSession,
    origin: Origin,
    kind: RecordKind,
    external_id: str,
    *,
    article_id: int | None = None,
    author_id: int | None = None,
    tag_id: int | None = None,
    section_id: int | None = None,
    menu_id: int | None = None,
    fingerprint: str | None = None,
    target_version: int | None = None,
    now: dt.datetime,
) -> ImportRecord:
    """Create the record, or point the existing one at this target and fingerprint."""
    record = await find_record(session, origin, kind, external_id)
    if record is None:
        record = ImportRecord(
            system=origin.system,
            site=origin.site,
            kind=kind.value,
            external_id=external_id,
            imported_at=now,
        )
        session.add(record)
    record.article_id = article_id
    record.author_id = author_id
    record.tag_id = tag_id
    record.section_id = section_id
    record.menu_id = menu_id
    record.fingerprint = fingerprint
    record.target_version = target_version
    record.updated_at = now
    await session.flush()
    return record
