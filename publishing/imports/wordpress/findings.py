"""What converting one post found to report: each kind of thing once, with how often."""

from __future__ import annotations

from collections import Counter

from publishing.imports.report import ProblemKind

__all__ = ["Findings"]


class Findings:
    def __init__(self) -> None:
        self._seen: Counter[tuple[ProblemKind, str]] = Counter()

    def add(self, kind: ProblemKind, what: str) -> None:
        self._seen[(kind, what)] += 1

    def discard(self, kind: ProblemKind, what: str) -> None:
        """Take back one report of ``what`` (it was dealt with after all)."""
        key = (kind, what)
        self._seen[key] -= 1
        if self._seen[key] <= 0:
            del self._seen[key]

    def problems(self) -> list[tuple[ProblemKind, str]]:
        """In the order first found: "shortcode [gallery] ×2"."""
        return [
            (kind, what if count == 1 else f"{what} ×{count}")
            for (kind, what), count in self._seen.items()
        ]
