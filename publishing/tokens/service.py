"""Creating, listing, revoking and checking editorial tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor, Role
from publishing.errors import Issues, NotFoundError
from publishing.tokens.models import ApiToken

PREFIX = "prs"
_TOKEN = re.compile(rf"{PREFIX}_([A-Za-z0-9]{{12}})_([A-Za-z0-9_-]{{20,100}})")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._@-]{0,99}")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    name: str
    role: Role
    token: str  # shown once; only its hash is kept


async def create_token(
    session: AsyncSession, name: str, role: Role, *, now: dt.datetime
) -> IssuedToken:
    issues = Issues()
    if not NAME.fullmatch(name):
        issues.add(("name",), "INVALID_FORMAT", "A token name is 1-100 letters, digits, ' ._@-'.")
    elif await session.scalar(select(ApiToken.id).where(ApiToken.name == name)):
        issues.add(("name",), "TAKEN", f"A token named {name!r} exists already.")
    issues.raise_if_any()
    public_id = "".join(secrets.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(12))
    secret = secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            name=name, public_id=public_id, secret_hash=_hash(secret), role=role, created_at=now
        )
    )
    await session.flush()
    return IssuedToken(name, role, f"{PREFIX}_{public_id}_{secret}")


async def list_tokens(session: AsyncSession) -> list[ApiToken]:
    return list(await session.scalars(select(ApiToken).order_by(ApiToken.name)))


async def revoke_token(session: AsyncSession, name: str, *, now: dt.datetime) -> ApiToken:
    token = await session.scalar(select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise NotFoundError("token", name, f"No token named {name!r}.")
    if token.revoked_at is None:
        token.revoked_at = now
        await session.flush()
    return token


def public_id(presented: str) -> str | None:
    """The public part of a well-formed token (it names the token, and grants nothing)."""
    match = _TOKEN.fullmatch(presented)
    return None if match is None else match.group(1)


async def authenticate(session: AsyncSession, presented: str) -> Actor | None:
    """The actor a presented token stands for, or None if it is malformed, unknown or revoked."""
    match = _TOKEN.fullmatch(presented)
    if match is None:
        return None
    public_id, secret = match.groups()
    token = await session.scalar(select(ApiToken).where(ApiToken.public_id == public_id))
    # Compare even when no row matched, so timing says nothing about which part was wrong.
    expected = token.secret_hash if token is not None else _hash("")
    if not hmac.compare_digest(expected, _hash(secret)) or token is None:
        return None
    if token.revoked_at is not None:
        return None
    return Actor(token.name, token.role)
