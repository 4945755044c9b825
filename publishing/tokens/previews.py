"""Signed, expiring preview links: whoever holds one may read one article, draft or not."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.tokens.models import InstanceSecret

KEY_NAME = "preview-signing-key"
DEFAULT_LIFETIME = dt.timedelta(hours=24)


async def signing_key(session: AsyncSession, *, now: dt.datetime) -> bytes:
    """This installation's key, made on first use and shared by all its processes."""
    value = await session.scalar(
        select(InstanceSecret.value).where(InstanceSecret.name == KEY_NAME)
    )
    if value is None:
        candidate = secrets.token_urlsafe(48)
        try:
            async with session.begin_nested():
                session.add(InstanceSecret(name=KEY_NAME, value=candidate, created_at=now))
        except IntegrityError:
            pass  # another process made it first; use theirs
        value = await session.scalar(
            select(InstanceSecret.value).where(InstanceSecret.name == KEY_NAME)
        )
    assert value is not None
    return value.encode()


def _sign(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def make_preview_token(key: bytes, article_id: int, expires_at: dt.datetime) -> str:
    payload = f"{article_id}.{int(expires_at.timestamp())}"
    return f"{payload}.{_sign(key, payload)}"


def read_preview_token(key: bytes, token: str, now: dt.datetime) -> int | None:
    """The article id a valid, unexpired token names; None for anything else."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    payload = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_sign(key, payload), parts[2]):
        return None
    if int(parts[1]) < now.timestamp():
        return None
    return int(parts[0])
