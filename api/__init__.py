"""The HTTP edge: the Starlette app, its routes and lifespan, and the command line."""

from api.app import create_app
from api.settings import Settings

__all__ = ["Settings", "create_app"]
