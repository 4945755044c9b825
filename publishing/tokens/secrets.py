"""Keys this installation makes for itself on first use, shared by all its processes."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.tokens.models import InstanceSecret

__all__ = ["instance_secret"]


async def instance_secret(session: AsyncSession, name: str, *, now: dt.datetime) -> bytes:
    """The secret called ``name``, made (random, 48 bytes) when it does not exist yet."""
    statement = select(InstanceSecret.value).where(InstanceSecret.name == name)
    value = await session.scalar(statement)
    if value is None:
        candidate = secrets.token_urlsafe(48)
        try:
            async with session.begin_nested():
                session.add(InstanceSecret(name=name, value=candidate, created_at=now))
        except IntegrityError:
            pass  # another process made it first; use theirs
        value = await session.scalar(statement)
    assert value is not None
    return value.encode()
