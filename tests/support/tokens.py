"""Editorial tokens for tests, made the way `pressroom token create` makes them."""

from __future__ import annotations

import secrets

from publishing.access import Role
from publishing.clock import SYSTEM_CLOCK
from publishing.db import create_engine, create_sessionmaker
from publishing.tokens.service import create_token


async def issue_token(database_url: str, role: Role, name: str | None = None) -> str:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            issued = await create_token(
                session,
                name or f"{role.value.lower()}-{secrets.token_hex(3)}",
                role,
                now=SYSTEM_CLOCK.now(),
            )
    finally:
        await engine.dispose()
    return issued.token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
