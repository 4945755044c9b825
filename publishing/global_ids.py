"""The ids the public API gives objects, for code that hands them out outside a GraphQL
response: a webhook payload is built inside the write that caused it, by services that know
nothing of the schema, yet receivers must get the ids clients query with.

The format is Relay's, which Strawberry's ``relay.GlobalID`` writes for the schema:
base64 of ``"Type:pk"``. A test holds the two to the same answer.
"""

from __future__ import annotations

import base64


def global_id(type_name: str, pk: int) -> str:
    """The id the GraphQL API gives the ``type_name`` object with primary key ``pk``."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()
