"""SQLite's FTS5 tables: one per tokenizer, both reading their text from ``article_search``.

They are "external content" tables (the text is stored once, in ``article_search``), so a
change must first remove the old text from the index with FTS5's 'delete' command.
"""

from __future__ import annotations

from typing import Final

from publishing.search.languages import SQLITE_PLAIN, SQLITE_STEMMED

TABLES: Final = {SQLITE_STEMMED: "article_fts_porter", SQLITE_PLAIN: "article_fts_plain"}
_TOKENIZERS: Final = {
    SQLITE_STEMMED: "porter unicode61 remove_diacritics 2",
    SQLITE_PLAIN: "unicode61 remove_diacritics 2",
}
COLUMNS: Final = ("title", "lead", "body", "notes")
# bm25 weight of each column, in COLUMNS order: the title counts most, footnotes least.
WEIGHTS: Final = (10.0, 4.0, 2.0, 1.0)
# FTS5 keeps each table's data in shadow tables named after it (_data, _idx, _config, ...).
_PREFIX: Final = "article_fts_"


def create_statements() -> list[str]:
    return [
        f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(COLUMNS)}, "
        f"content='article_search', content_rowid='article_id', "
        f"tokenize='{_TOKENIZERS[config]}')"
        for config, table in TABLES.items()
    ]


def drop_statements() -> list[str]:
    return [f"DROP TABLE IF EXISTS {table}" for table in TABLES.values()]


def is_index_table(name: str) -> bool:
    """True for the FTS5 tables and their shadow tables: created by the migration on SQLite
    only, and not described by the models (so schema comparisons leave them out)."""
    return name.startswith(_PREFIX)


def insert_statement(config: str) -> str:
    table = TABLES[config]
    return (
        f"INSERT INTO {table} (rowid, {', '.join(COLUMNS)}) "
        "VALUES (:article_id, :title, :lead, :body, :notes)"
    )


def delete_statement(config: str) -> str:
    # The old values must be given exactly as indexed; they come from article_search.
    table = TABLES[config]
    return (
        f"INSERT INTO {table} ({table}, rowid, {', '.join(COLUMNS)}) "
        "VALUES ('delete', :article_id, :title, :lead, :body, :notes)"
    )
