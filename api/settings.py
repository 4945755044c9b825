"""Configuration read from ``PRESSROOM_*`` environment variables."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can set; each field is ``PRESSROOM_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="PRESSROOM_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./pressroom.db"
    host: str = "127.0.0.1"
    port: int = 8000
    # Production turns off the GraphiQL IDE and masks unexpected errors.
    production: bool = False
    # Seconds a request waits for a database connection before failing as unavailable.
    database_timeout: float = 5.0
