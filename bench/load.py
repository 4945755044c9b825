"""A small HTTP/1.1 load generator on raw asyncio streams.

Each of ``concurrency`` workers keeps one keep-alive connection and sends requests back to
back for ``duration`` seconds. It is deliberately thin (no HTTP library, no parsing beyond the
status line and Content-Length): on a machine shared by server, database and load generator,
every cycle the generator spends is taken from what it measures.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    target: str  # path and query string
    body: bytes = b""


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    failures: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    bytes: int = 0
    elapsed: float = 0.0

    def add(self, part: Outcome) -> None:
        """Counts ``part`` (another turn of the same load) into this one."""
        self.latencies += part.latencies
        self.failures += part.failures
        self.bytes += part.bytes
        self.elapsed += part.elapsed
        for status, count in part.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            if not ordered:
                return float("nan")
            return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

        return {
            "requests": len(ordered),
            "failures": self.failures,
            "throughput": len(ordered) / self.elapsed if self.elapsed else 0.0,
            "p50_ms": pct(50),
            "p90_ms": pct(90),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "mean_ms": statistics.fmean(ordered) * 1000 if ordered else float("nan"),
            "mean_bytes": self.bytes / len(ordered) if ordered else 0.0,
        }


def encode(request: Request, host: str) -> bytes:
    head = [
        f"{request.method} {request.target} HTTP/1.1",
        f"Host: {host}",
        "Accept: application/json",
    ]
    if request.method == "POST":
        head += ["Content-Type: application/json", f"Content-Length: {len(request.body)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + request.body


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, payload: bytes
) -> tuple[int, int]:
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    body = await reader.readexactly(length) if length else b""
    return status, len(body)


async def run_load(
    base_url: str,
    make_request: Callable[[random.Random], Request],
    *,
    concurrency: int,
    duration: float,
    warmup: float = 2.0,
    seed: int = 1,
) -> Outcome:
    """Drive ``base_url`` with requests from ``make_request`` (called per request)."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    outcome = Outcome()
    started = time.perf_counter()
    measuring_from = started + warmup
    stop_at = measuring_from + duration

    async def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while (now := time.perf_counter()) < stop_at:
                payload = encode(make_request(rng), f"{host}:{port}")
                try:
                    status, size = await _exchange(reader, writer, payload)
                except (asyncio.IncompleteReadError, ConnectionError):
                    outcome.failures += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                done = time.perf_counter()
                if now < measuring_from:
                    continue
                outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
                if status in (200, 304):
                    outcome.latencies.append(done - now)
                    outcome.bytes += size
                else:
                    outcome.failures += 1
        finally:
            writer.close()

    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    # Requests started before the stop finish after it, and are counted: so is their time.
    outcome.elapsed = time.perf_counter() - measuring_from
    return outcome
