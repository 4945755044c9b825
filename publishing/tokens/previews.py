"""Signed, expiring preview links: whoever holds one may read one article (or page), draft or
not. A token names an ``articles`` row; each preview query reads only its own kind."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from publishing.access import Actor, Permission, Role
from publishing.articles.models import Article, StoryKind
from publishing.articles.reading import articles_by_id
from publishing.articles.visibility import Visibility
from publishing.errors import NotFoundError, invalid
from publishing.tokens.secrets import instance_secret

KEY_NAME = "preview-signing-key"
DEFAULT_HOURS = 24
MAX_HOURS = 720  # thirty days: a link for a review, not a way to publish
CREATE_PREVIEW_LINK = Permission(Role.CONTRIBUTOR, "Creating a preview link")


@dataclass(frozen=True, slots=True)
class PreviewLink:
    token: str
    expires_at: dt.datetime
    article: Article


async def create_preview_link(
    session: AsyncSession,
    actor: Actor,
    article_id: int,
    *,
    hours: int = DEFAULT_HOURS,
    now: dt.datetime,
    kind: StoryKind = StoryKind.ARTICLE,
) -> PreviewLink:
    """A token that shows one article (a page, for ``kind`` PAGE), draft or not, to whoever
    holds it for ``hours``."""
    actor.require(CREATE_PREVIEW_LINK)
    if not 1 <= hours <= MAX_HOURS:
        invalid(("expiresInHours",), "OUT_OF_RANGE", f"expiresInHours runs from 1 to {MAX_HOURS}.")
    # Loaded as every read path loads it (with its story), so it renders like a query's.
    found = await articles_by_id(
        session, [article_id], Visibility(now, include_unpublished=True), kind
    )
    article = found.get(article_id)
    if article is None:
        raise NotFoundError("page" if kind is StoryKind.PAGE else "article", article_id)
    # The token holds whole seconds: the time returned is the one it stops working at.
    expires_at = (now + dt.timedelta(hours=hours)).replace(microsecond=0)
    token = make_preview_token(await signing_key(session, now=now), article_id, expires_at)
    return PreviewLink(token, expires_at, article)


async def signing_key(session: AsyncSession, *, now: dt.datetime) -> bytes:
    """This installation's key, made on first use and shared by all its processes."""
    return await instance_secret(session, KEY_NAME, now=now)


def _sign(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def make_preview_token(key: bytes, article_id: int, expires_at: dt.datetime) -> str:
    payload = f"{article_id}.{int(expires_at.timestamp())}"
    return f"{payload}.{_sign(key, payload)}"


def read_preview_token(key: bytes, token: str, now: dt.datetime) -> int | None:
    """The article id a valid, unexpired token names; None for anything else."""
    # Tokens are ASCII: anything else is not one (and neither str.isdigit, which accepts
    # other scripts' digits, nor compare_digest, which refuses non-ASCII str, may see it).
    if not token.isascii():
        return None
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    payload = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_sign(key, payload), parts[2]):
        return None
    if int(parts[1]) < now.timestamp():
        return None
    return int(parts[0])
