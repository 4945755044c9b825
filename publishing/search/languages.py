"""Which stemmer an article's language gets, on each backend."""

from __future__ import annotations

from typing import Final

# PostgreSQL's built-in text search configurations, by ISO 639-1 code (PostgreSQL 15).
POSTGRES_CONFIGS: Final = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

# SQLite's FTS5 ships one stemmer, Porter's, which is for English only: English articles go to
# a table that stems, every other language to one that only folds case and diacritics.
SQLITE_STEMMED: Final = "porter"
SQLITE_PLAIN: Final = "plain"


def base_language(code: str) -> str:
    """``pt-BR`` -> ``pt``: stemmers follow the language, not the region or script."""
    return code.split("-", 1)[0].lower()


def postgres_config(code: str) -> str:
    return POSTGRES_CONFIGS.get(base_language(code), "simple")


def sqlite_config(code: str) -> str:
    return SQLITE_STEMMED if base_language(code) == "en" else SQLITE_PLAIN


def config_for(dialect: str, code: str) -> str:
    """The configuration an article in ``code`` is indexed and searched with on ``dialect``."""
    return postgres_config(code) if dialect == "postgresql" else sqlite_config(code)
