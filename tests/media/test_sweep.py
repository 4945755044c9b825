"""Files nobody owns (a rolled-back upload, an interrupted deletion) are found and removed;
files of assets, and files too young to judge, stay."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from publishing.media.editing import delete_media, no_usages
from publishing.media.ingest import ingest
from publishing.media.limits import MediaLimits
from publishing.media.models import MediaAsset, original_path
from publishing.media.renditions import Renditions, rendition_path
from publishing.media.storage import MediaStorage
from publishing.media.sweep import sweep
from publishing.media.urls import ImageFormat, rendition_spec
from tests.media import files
from tests.media.conftest import EDITOR, NOW, chunks_of, session_on, storage_from

SPEC = rendition_spec(width=40, image_format=ImageFormat.WEBP)


class RolledBack(Exception):
    pass


async def _upload(url: str, storage: MediaStorage, data: bytes, *, commit: bool) -> MediaAsset:
    try:
        async with session_on(url) as session:
            done = await ingest(
                session, EDITOR, storage, chunks_of(data), "x.jpg", now=NOW, limits=MediaLimits()
            )
            if not commit:
                raise RolledBack(done.asset.key)
    except RolledBack as rolled_back:
        return MediaAsset(key=str(rolled_back))
    return done.asset


async def _unowned(url: str, storage: MediaStorage) -> tuple[MediaAsset, MediaAsset, MediaAsset]:
    kept = await _upload(url, storage, files.jpeg(60, 40, (1, 1, 1)), commit=True)
    rolled_back = await _upload(url, storage, files.jpeg(60, 40, (2, 2, 2)), commit=False)
    deleted = await _upload(url, storage, files.jpeg(60, 40, (3, 3, 3)), commit=True)
    renditions = Renditions(storage)
    for asset in (kept, deleted):
        assert await renditions.get(asset.key, SPEC.with_format(ImageFormat.WEBP)) is not None
    async with session_on(url) as session:
        await delete_media(session, EDITOR, deleted.id, usages=no_usages, now=NOW)  # files kept
    return kept, rolled_back, deleted


async def test_unowned_files_go(fresh_demo_url: str, storage: MediaStorage) -> None:
    kept, rolled_back, deleted = await _unowned(fresh_demo_url, storage)
    assert await storage.exists(original_path(rolled_back.key))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)

    async with session_on(fresh_demo_url) as session:
        too_young = await sweep(session, storage, before=later - dt.timedelta(days=1))
        trial = await sweep(session, storage, before=later, dry_run=True)
    assert too_young.keys == []
    assert trial.keys == sorted([rolled_back.key, deleted.key]) and trial.files == 3
    assert await storage.exists(original_path(rolled_back.key))

    async with session_on(fresh_demo_url) as session:
        done = await sweep(session, storage, before=later)
    assert done.keys == trial.keys
    for gone in (rolled_back, deleted):
        assert not await storage.exists(original_path(gone.key))
    assert not await storage.exists(rendition_path(deleted.key, SPEC.with_format(ImageFormat.WEBP)))
    assert await storage.exists(original_path(kept.key))
    assert await storage.exists(rendition_path(kept.key, SPEC.with_format(ImageFormat.WEBP)))


def test_the_command(fresh_demo_url: str, local_settings: dict[str, Any]) -> None:
    storage = storage_from(local_settings, fresh_demo_url)
    kept, rolled_back, deleted = asyncio.run(_unowned(fresh_demo_url, storage))
    root = storage.local_path("originals")
    assert root is not None
    two_days_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).timestamp()
    for file in root.parent.rglob("*"):
        os.utime(file, (two_days_ago, two_days_ago))
    env = {
        **os.environ,
        "PRESSROOM_DATABASE_URL": fresh_demo_url,
        "PRESSROOM_MEDIA_URL": local_settings["media_url"],
    }
    command = [str(Path(sys.executable).with_name("pressroom")), "media", "sweep"]

    trial = subprocess.run([*command, "--dry-run"], env=env, capture_output=True, text=True)
    assert trial.returncode == 0, trial.stderr
    assert "Would remove 3 files" in trial.stdout and "of 2 assets" in trial.stdout
    young = subprocess.run(
        [*command, "--older-than", "72"], env=env, capture_output=True, text=True
    )
    assert "Removed 0 files" in young.stdout
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Removed 3 files" in done.stdout

    assert not (root / rolled_back.key).exists() and not (root / deleted.key).exists()
    assert (root / kept.key).exists()


@pytest.mark.parametrize("url", ["gs://bucket/x"])
def test_the_command_names_a_bad_media_url(url: str, tmp_path: Path) -> None:
    command = [str(Path(sys.executable).with_name("pressroom")), "media", "sweep"]
    env = {
        **os.environ,
        "PRESSROOM_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db",
        "PRESSROOM_MEDIA_URL": url,
    }
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.strip().startswith("pressroom: The media URL must be")
