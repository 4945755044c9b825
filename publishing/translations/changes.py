"""What changed between two segmentations of an original, and which segments of a
translation answer which of the original's (see publishing.translations.segments)."""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from publishing.translations.segments import Segment

__all__ = ["ChangeKind", "SegmentChange", "align_segments", "diff_segments"]


class ChangeKind(enum.StrEnum):
    ADDED = "ADDED"
    CHANGED = "CHANGED"
    REMOVED = "REMOVED"


@dataclass(frozen=True, slots=True)
class SegmentChange:
    """One segment of the original added, changed or removed between two versions. A
    changed segment has the new version's id (what an export of it carries)."""

    segment_id: str
    change: ChangeKind
    old: Segment | None
    new: Segment | None

    @property
    def old_source(self) -> str | None:
        return self.old.source if self.old else None

    @property
    def new_source(self) -> str | None:
        return self.new.source if self.new else None


def _by_field(segments: Iterable[Segment]) -> dict[str, list[Segment]]:
    grouped: dict[str, list[Segment]] = {}
    for segment in segments:
        grouped.setdefault(segment.field, []).append(segment)
    return grouped


def diff_segments(old: Sequence[Segment], new: Sequence[Segment]) -> list[SegmentChange]:
    """What changed from ``old`` to ``new`` (two segmentations of one article), field by
    field in ``new``'s order, then fields only ``old`` has. Within a field the sequences are
    aligned by id and source, so a block edited in place is one ``CHANGED``, not a removal
    and an addition."""
    before, after = _by_field(old), _by_field(new)
    names = list(dict.fromkeys([*after, *before]))
    changes: list[SegmentChange] = []
    for name in names:
        olds, news = before.get(name, []), after.get(name, [])
        matcher = difflib.SequenceMatcher(
            None, [(s.id, s.source) for s in olds], [(s.id, s.source) for s in news], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            removed, added = olds[i1:i2], news[j1:j2]
            paired = min(len(removed), len(added))
            for previous, current in zip(removed[:paired], added[:paired], strict=True):
                changes.append(SegmentChange(current.id, ChangeKind.CHANGED, previous, current))
            for current in added[paired:]:
                changes.append(SegmentChange(current.id, ChangeKind.ADDED, None, current))
            for previous in removed[paired:]:
                changes.append(SegmentChange(previous.id, ChangeKind.REMOVED, previous, None))
    return changes


def align_segments(source: Sequence[Segment], translation: Sequence[Segment]) -> dict[str, Segment]:
    """Pair the segments of an original with those of a translation of the same version
    (by field, then by the order of blocks of the same kind): source id -> translated
    segment. A translation built by ``Segmentation.restore`` pairs completely; one written
    by hand pairs as far as its structure follows the original's."""
    before, after = _by_field(source), _by_field(translation)
    pairs: dict[str, Segment] = {}
    for name, originals in before.items():
        translated = after.get(name, [])
        matcher = difflib.SequenceMatcher(
            None, [s.kind for s in originals], [s.kind for s in translated], autojunk=False
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                for original, version in zip(originals[i1:i2], translated[j1:j2], strict=True):
                    pairs[original.id] = version
    return pairs
