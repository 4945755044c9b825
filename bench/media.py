"""Media benchmarks: making renditions, and serving stored ones.

    pressroom bench media [--runs 5] [--duration 10]

1. A 1200-pixel WebP rendition of a 24-megapixel JPEG (generated with libvips at run time:
   smooth gradients, edges and grain, about the size of a camera's JPEG), made by the same
   code as ``/media`` renditions, on one core (libvips limited to one thread): wall and CPU
   time per rendition. Target: under 0.3 s.
2. Memory: a Pressroom server (one worker, four rendition workers) is sent four first requests
   at once, for 1200-pixel WebP renditions of four such JPEGs; the worker's peak resident
   size is read from /proc. Target: under 250 MB.
3. Serving a stored rendition: Pressroom's ``/media`` route against Starlette's
   ``StaticFiles`` serving the same file, each in its own server (one worker), driven by the
   same load generator in turns (A, B, A, B), in one run. Target: at least 0.8 x.

Everything runs on a temporary SQLite database and media folder, removed afterwards.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyvips
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

import migrations
from bench.load import Request, run_load
from bench.run import _pressroom_command, _process, peak_memory_mb
from publishing.access import SYSTEM
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.media.ingest import ingest
from publishing.media.limits import MediaLimits
from publishing.media.models import original_path
from publishing.media.renditions import render, rendition_path
from publishing.media.signing import signing_key
from publishing.media.storage import LocalStorage
from publishing.media.urls import ImageFormat, rendition_spec, rendition_url

WIDTH, HEIGHT = 6000, 4000  # 24 megapixels
TARGET_SECONDS = 0.3
TARGET_MB = 250
TARGET_RATIO = 0.8
PRESSROOM_PORT = 8471
STATIC_PORT = 8472


def photo_like_jpeg(target: Path, seed: int = 1) -> int:
    """A 6000 x 4000 JPEG (quality 90) that decodes like a photograph: gradients, a pattern
    of edges and sensor-like grain. Returns its size in bytes."""
    xy = pyvips.Image.xyz(WIDTH, HEIGHT)
    x, y = xy[0], xy[1]
    red = x * (255 / WIDTH)
    green = y * (255 / HEIGHT)
    blue = ((x + y) / 37).sin() * 60 + 128
    random.seed(seed)
    grain = pyvips.Image.gaussnoise(WIDTH, HEIGHT, mean=0, sigma=10, seed=random.randint(0, 9999))
    image = (red.bandjoin([green, blue]) + grain).cast("uchar").copy(interpretation="srgb")
    image.jpegsave(str(target), Q=90)
    return target.stat().st_size


@dataclass
class Prepared:
    database_url: str
    media_root: Path
    urls: list[str]  # four signed 1200-px WebP rendition URLs, of four assets
    static_path: str  # the first rendition's file, relative to the media folder
    original: Path  # the first asset's stored original (what renditions are made from)


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as source:
        while chunk := source.read(1 << 20):
            yield chunk


async def prepare(folder: Path) -> Prepared:
    database_url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    # Alembic runs its own event loop: off this one.
    await asyncio.to_thread(migrations.upgrade, database_url)
    media_root = folder / "media"
    storage = LocalStorage(media_root)
    source = folder / "photo.jpg"
    size = photo_like_jpeg(source)
    print(f"generated a {WIDTH} x {HEIGHT} JPEG of {size / 1e6:.1f} MB")
    spec = rendition_spec(width=1200, image_format=ImageFormat.WEBP)
    engine = create_engine(database_url)
    keys: list[str] = []
    try:
        for copy in range(4):
            # Trailing bytes after the image's end make four distinct uploads of one picture.
            variant = folder / f"photo-{copy}.jpg"
            variant.write_bytes(source.read_bytes() + b"\x00" * copy)
            started = time.perf_counter()
            async with create_sessionmaker(engine)() as session, session.begin():
                done = await ingest(
                    session,
                    SYSTEM,
                    storage,
                    _chunks(variant),
                    variant.name,
                    now=dt.datetime.now(dt.UTC),
                    limits=MediaLimits(max_bytes=200 * 1024 * 1024),
                )
                keys.append(done.asset.key)
            print(f"ingested copy {copy + 1} in {time.perf_counter() - started:.2f} s")
        async with create_sessionmaker(engine)() as session, session.begin():
            secret = await signing_key(session, now=SYSTEM_CLOCK.now())
    finally:
        await engine.dispose()
    urls = [rendition_url(secret, key, spec) for key in keys]
    local = storage.local_path(original_path(keys[0]))
    assert local is not None
    return Prepared(database_url, media_root, urls, rendition_path(keys[0], spec), local)


def time_on_one_core(original: Path, runs: int) -> dict[str, float]:
    pyvips.concurrency_set(1)
    pyvips.cache_set_max(0)  # each run decodes again, as a first request does
    spec = rendition_spec(width=1200, image_format=ImageFormat.WEBP)
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        data = render(original, spec)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    image = pyvips.Image.new_from_buffer(data, "")
    print(
        f"\n1. 1200-px WebP of a 24 MP JPEG, one core, {runs} runs "
        f"({image.width} x {image.height}, {len(data) / 1000:.0f} KB):\n"
        f"   wall median {statistics.median(walls):.3f} s, best {min(walls):.3f} s; "
        f"CPU median {statistics.median(cpus):.3f} s  (target < {TARGET_SECONDS} s)"
    )
    return {"wall_median": statistics.median(walls), "cpu_median": statistics.median(cpus)}


def _server_env(prepared: Prepared, port: int) -> dict[str, str]:
    return {
        "PRESSROOM_DATABASE_URL": prepared.database_url,
        "PRESSROOM_MEDIA_URL": prepared.media_root.as_uri(),
        "PRESSROOM_PORT": str(port),
        "PRESSROOM_PRODUCTION": "true",
        "PRESSROOM_WEBHOOKS_DISPATCHER": "false",
        "PRESSROOM_MEDIA_RENDITION_WORKERS": "4",
    }


def memory_of_four_at_once(prepared: Prepared) -> dict[str, float | None]:
    base = f"http://127.0.0.1:{PRESSROOM_PORT}"
    env = _server_env(prepared, PRESSROOM_PORT)
    with _process(_pressroom_command(1), env, base + "/healthz") as pid:
        before = peak_memory_mb(pid)

        async def four() -> list[int]:
            async with httpx.AsyncClient(base_url=base, timeout=120) as client:
                answers = await asyncio.gather(*(client.get(url) for url in prepared.urls))
            return [a.status_code for a in answers]

        started = time.perf_counter()
        statuses = asyncio.run(four())
        elapsed = time.perf_counter() - started
        peak = peak_memory_mb(pid)
    print(
        f"\n2. Four first requests at once (1200-px WebP of four 24 MP JPEGs), one worker:\n"
        f"   statuses {statuses}, all answered in {elapsed:.2f} s; worker peak resident "
        f"{peak:.0f} MB (idle {before:.0f} MB)  (target < {TARGET_MB} MB)"
    )
    return {"peak_mb": peak, "idle_mb": before, "seconds": elapsed}


def create_static_app() -> Starlette:
    """Starlette's StaticFiles over the media folder (``BENCH_STATIC_ROOT``): the yardstick."""
    root = os.environ["BENCH_STATIC_ROOT"]
    return Starlette(routes=[Mount("/static", StaticFiles(directory=root))])


async def _drive(base: str, target: str, duration: float) -> dict[str, float]:
    outcome = await run_load(
        base,
        lambda _rng: Request("GET", target),
        concurrency=10,
        duration=duration,
        warmup=1.0,
    )
    return outcome.summary()


def serving(prepared: Prepared, duration: float) -> dict[str, float]:
    pressroom_base = f"http://127.0.0.1:{PRESSROOM_PORT}"
    static_base = f"http://127.0.0.1:{STATIC_PORT}"
    static_command = [
        sys.executable, "-m", "uvicorn", "bench.media:create_static_app", "--factory",
        "--port", str(STATIC_PORT), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    env = _server_env(prepared, PRESSROOM_PORT)
    rendition = prepared.urls[0]
    static_target = f"/static/{prepared.static_path}"
    results: dict[str, list[dict[str, float]]] = {"pressroom": [], "static": []}
    with (
        _process(_pressroom_command(1), env, pressroom_base + "/healthz"),
        _process(
            static_command, {"BENCH_STATIC_ROOT": str(prepared.media_root)}, static_base + "/"
        ),
    ):
        same = httpx.get(pressroom_base + rendition).content
        assert same == httpx.get(static_base + static_target).content, "not the same file"
        for _turn in range(2):
            results["pressroom"].append(asyncio.run(_drive(pressroom_base, rendition, duration)))
            results["static"].append(asyncio.run(_drive(static_base, static_target, duration)))
    mean = {name: statistics.fmean(r["throughput"] for r in runs) for name, runs in results.items()}
    p50 = {name: statistics.fmean(r["p50_ms"] for r in runs) for name, runs in results.items()}
    failures = {name: sum(r["failures"] for r in runs) for name, runs in results.items()}
    ratio = mean["pressroom"] / mean["static"]
    print(
        f"\n3. A stored rendition ({len(same) / 1000:.0f} KB) served, concurrency 10, "
        f"2 x {duration:g} s each, in turns:\n"
        f"   Pressroom /media   {mean['pressroom']:7.0f} req/s  p50 {p50['pressroom']:.1f} ms"
        f"  failures {failures['pressroom']}\n"
        f"   StaticFiles        {mean['static']:7.0f} req/s  p50 {p50['static']:.1f} ms"
        f"  failures {failures['static']}\n"
        f"   ratio {ratio:.2f} x  (target >= {TARGET_RATIO} x)"
    )
    return {"pressroom": mean["pressroom"], "static": mean["static"], "ratio": ratio}


def main(runs: int = 5, duration: float = 10.0) -> None:
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-media-") as folder:
        prepared = asyncio.run(prepare(Path(folder)))
        time_on_one_core(prepared.original, runs)
        memory_of_four_at_once(prepared)
        serving(prepared, duration)


if __name__ == "__main__":
    main()
