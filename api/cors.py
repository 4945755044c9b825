"""Cross-origin access: browsers may call the API only from the origins the operator lists."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware


def cors_middleware(origins: list[str]) -> list[Middleware]:
    """Starlette's CORS middleware for ``origins``; none at all when the list is empty, so no
    response carries CORS headers and browsers keep other sites' scripts out."""
    if not origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            # Browsers may reuse a preflight answer for ten minutes.
            max_age=600,
        )
    ]
