"""Removing stored files no asset owns.

Files are written before the transaction that records them commits, and removed after the
one that deletes them commits, so that no committed asset ever lacks its file. The price: a
transaction that rolls back after its upload was stored, or a process that dies between a
deletion's commit and its file removal, leaves files nobody owns. This finds them (an asset
key in a storage path that no row has) and removes them with their renditions; files younger
than ``before`` are left alone, since their upload's transaction may still be open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.media.models import MediaAsset, original_path
from publishing.media.storage import MediaStorage

__all__ = ["SweepReport", "sweep"]

_BATCH = 500


@dataclass
class SweepReport:
    keys: list[str] = field(default_factory=list)  # assets whose files were (or would be) removed
    files: int = 0
    bytes: int = 0


async def _known(session: AsyncSession, keys: Iterable[str]) -> set[str]:
    wanted = list(keys)
    known: set[str] = set()
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        known.update(await session.scalars(select(MediaAsset.key).where(MediaAsset.key.in_(batch))))
    return known


async def sweep(
    session: AsyncSession, storage: MediaStorage, *, before: dt.datetime, dry_run: bool = False
) -> SweepReport:
    """Remove the files of keys no asset has, when all of them are older than ``before``."""
    newest: dict[str, dt.datetime] = {}
    sizes: dict[str, tuple[int, int]] = {}
    for folder in ("originals", "renditions"):
        async for stored in storage.list(folder):
            parts = stored.path.split("/")
            if len(parts) < 2:
                continue
            key = parts[1]
            if key.startswith("."):
                continue  # a write under way (temporary files are renamed when complete)
            if key not in newest or stored.modified > newest[key]:
                newest[key] = stored.modified
            count, size = sizes.get(key, (0, 0))
            sizes[key] = (count + 1, size + stored.size)
    known = await _known(session, newest)
    report = SweepReport()
    for key in sorted(newest):
        if key in known or newest[key] >= before:
            continue
        report.keys.append(key)
        report.files += sizes[key][0]
        report.bytes += sizes[key][1]
        if not dry_run:
            await storage.delete(original_path(key))
            await storage.delete_prefix(f"renditions/{key}")
    return report
