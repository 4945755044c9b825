"""Date, DateTime and Upload as the schema states them: Strawberry's own conversions, with
the exact format named and linked by ``@specifiedBy``, so generated clients and readers know
what a value is instead of seeing an opaque scalar."""

from __future__ import annotations

import dataclasses
import datetime as dt

from strawberry.file_uploads import Upload
from strawberry.file_uploads.scalars import UploadDefinition
from strawberry.schema.types.base_scalars import DateDefinition, DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

# RFC 3339 rather than a scalars.graphql.org page: it is the standard that both formats below
# are written in (its date-time and full-date productions), stable at one address, and what
# the values are: ISO 8601 strings as Python's isoformat() writes them, which fit its grammar.
RFC_3339 = "https://datatracker.ietf.org/doc/html/rfc3339"
MULTIPART_REQUEST_SPEC = "https://github.com/jaydenseric/graphql-multipart-request-spec"

DATE_TIME = dataclasses.replace(
    DateTimeDefinition,
    description=(
        "A moment in time: an RFC 3339 date-time string. Answers are in UTC with a `+00:00` "
        "offset, with microseconds when the moment has them "
        "(`2026-01-31T09:30:00+00:00`, `2026-01-31T09:30:00.250000+00:00`). Arguments need "
        "an offset (`Z` or `+hh:mm`); one without is refused."
    ),
    specified_by_url=RFC_3339,
)
DATE = dataclasses.replace(
    DateDefinition,
    description="A calendar day: an RFC 3339 full-date string, `YYYY-MM-DD` (`2026-01-31`).",
    specified_by_url=f"{RFC_3339}#section-5.6",
)
UPLOAD = dataclasses.replace(
    UploadDefinition,
    description=(
        "A file sent in a multipart request (the GraphQL multipart request specification); "
        "see the README's Media section."
    ),
    specified_by_url=MULTIPART_REQUEST_SPEC,
)

SCALAR_OVERRIDES: dict[object, ScalarDefinition] = {
    dt.datetime: DATE_TIME,
    dt.date: DATE,
    Upload: UPLOAD,
}

__all__ = ["SCALAR_OVERRIDES"]
