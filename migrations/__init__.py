"""Alembic migrations (``env.py`` and ``versions/``); run them from code (the CLI, tests,
benchmarks) through ``publishing.migrating``, re-exported here."""

from __future__ import annotations

from publishing.migrating import alembic_config, check, downgrade, upgrade

__all__ = ["alembic_config", "check", "downgrade", "upgrade"]
