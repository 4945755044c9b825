"""A machine-made segment of a translation, as `Content.machineTranslatedSegments` shows it."""

from __future__ import annotations

import datetime as dt

import strawberry

from publishing.translations.machine_marks import MachineSegment


@strawberry.type(
    description="A segment of a translation still as a machine translated it (no person has "
    "edited it since)."
)
class MachineTranslatedSegment:
    segment_id: str = strawberry.field(
        description="The original's segment id (an XLIFF unit's id)."
    )
    provider: str = strawberry.field(description="Which service translated it: deepl, ...")
    translated_at: dt.datetime

    @classmethod
    def from_model(cls, mark: MachineSegment) -> MachineTranslatedSegment:
        return cls(
            segment_id=mark.segment_id, provider=mark.provider, translated_at=mark.created_at
        )
