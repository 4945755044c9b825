"""Bearer tokens -> the acting editor; a bad token is refused, never read as anonymous."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

from publishing.access import Actor
from publishing.tokens.service import authenticate, public_id


class Unauthenticated(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def response(self) -> JSONResponse:
        return JSONResponse(
            {"errors": [{"message": self.message, "extensions": {"code": "UNAUTHENTICATED"}}]},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="pressroom"'},
        )


async def actor_for(
    connection: HTTPConnection, sessionmaker: async_sessionmaker[AsyncSession]
) -> Actor | None:
    """None for a request without credentials; Unauthenticated for wrong ones."""
    header = connection.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must read 'Bearer <token>'.")
    async with sessionmaker() as session:
        actor = await authenticate(session, token.strip())
    if actor is None:
        raise Unauthenticated("The token is not valid: it is unknown, mistyped or revoked.")
    return actor


def token_public_id(header: str) -> str:
    """The public part of the token in an Authorization header that authenticated: what logs
    may name a client by."""
    return public_id(header.strip().partition(" ")[2].strip()) or "unknown"
