"""The key rendition URLs are signed with: made on first use, kept in the database, so every
process (and machine) of an installation signs and checks alike with nothing to configure."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from publishing.tokens.secrets import instance_secret

__all__ = ["KEY_NAME", "signing_key"]

KEY_NAME = "media-signing-key"


async def signing_key(session: AsyncSession, *, now: dt.datetime) -> bytes:
    return await instance_secret(session, KEY_NAME, now=now)
