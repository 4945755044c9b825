"""What changed in an original since a translation was made, segment by segment."""

from __future__ import annotations

import strawberry

from publishing.translations.segments import ChangeKind as ChangeKindModel
from publishing.translations.segments import SegmentChange
from publishing.translations.segments import SegmentKind as SegmentKindModel

SegmentChangeKind = strawberry.enum(
    ChangeKindModel,
    name="SegmentChangeKind",
    description="How a segment of the original changed since a translation was made.",
)
SegmentKind = strawberry.enum(
    SegmentKindModel,
    name="SegmentKind",
    description="What a segment is: a field, a block of the body, a footnote, an image text.",
)


@strawberry.type(
    description="A segment of the original added, changed or removed since the revision a "
    "translation was made from. Sources are Markdown, footnote references included."
)
class TranslationSegmentChange:
    segment_id: str = strawberry.field(
        description="The segment's id, as XLIFF exports carry it (for CHANGED: the new id)."
    )
    change: SegmentChangeKind  # type: ignore[valid-type]
    kind: SegmentKind  # type: ignore[valid-type]
    old_source: str | None = strawberry.field(description="Null for ADDED.")
    new_source: str | None = strawberry.field(description="Null for REMOVED.")

    @classmethod
    def from_change(cls, change: SegmentChange) -> TranslationSegmentChange:
        segment = change.new or change.old
        assert segment is not None
        return cls(
            segment_id=change.segment_id,
            change=change.change,
            kind=segment.kind,
            old_source=change.old_source,
            new_source=change.new_source,
        )


__all__ = ["SegmentChangeKind", "SegmentKind", "TranslationSegmentChange"]
