"""Featured stories, and import records for sections and menus.

``stories.featured`` marks a story editors put forward (WordPress's sticky posts come in as
featured); it is added in place on both backends. ``import_records`` gains ``section_id`` and
``menu_id`` targets (what a WordPress category and navigation menu became), so its CHECK that
exactly one target is set changes: PostgreSQL replaces the constraint, SQLite rebuilds the
table (nothing refers to it, so its rows are simply copied).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSTRAINT = "ck_import_records_one_target"
BEFORE = ("article_id", "author_id", "tag_id")
AFTER = (*BEFORE, "section_id", "menu_id")


def _one_target(columns: Sequence[str]) -> str:
    return " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in columns) + " = 1"


def _fk(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{table}.id"],
        name=op.f(f"fk_import_records_{column}_{table}"),
        ondelete="CASCADE",
    )


_TARGETS = {
    "article_id": "articles",
    "author_id": "authors",
    "tag_id": "tags",
    "section_id": "sections",
    "menu_id": "menus",
}


def _sqlite_rebuild(targets: Sequence[str]) -> None:
    op.create_table(
        "_import_records_new",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=50), nullable=False),
        sa.Column("site", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        *(sa.Column(c, sa.Integer(), nullable=True) for c in targets),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("target_version", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_one_target(targets), name=op.f(CONSTRAINT)),
        *(_fk(c, _TARGETS[c]) for c in targets),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_records")),
        sa.UniqueConstraint(
            "system",
            "site",
            "kind",
            "external_id",
            name=op.f("uq_import_records_system_site_kind_external_id"),
        ),
    )
    kept = ", ".join(
        [
            *("id", "system", "site", "kind", "external_id", *BEFORE),
            *("fingerprint", "target_version", "imported_at", "updated_at"),
        ]
    )
    op.execute(f"INSERT INTO _import_records_new ({kept}) SELECT {kept} FROM import_records")
    # Dropping the table drops its indexes; they are made again on the copy.
    op.execute("DROP TABLE import_records")
    op.execute("ALTER TABLE _import_records_new RENAME TO import_records")
    for column in targets:
        op.create_index(op.f(f"ix_import_records_{column}"), "import_records", [column])


def upgrade() -> None:
    op.add_column(
        "stories",
        sa.Column("featured", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_rebuild(AFTER)
        return
    for column in ("section_id", "menu_id"):
        op.add_column("import_records", sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f(f"fk_import_records_{column}_{_TARGETS[column]}"),
            "import_records",
            _TARGETS[column],
            [column],
            ["id"],
            ondelete="CASCADE",
        )
        op.create_index(op.f(f"ix_import_records_{column}"), "import_records", [column])
    op.drop_constraint(op.f(CONSTRAINT), "import_records", type_="check")
    op.create_check_constraint(op.f(CONSTRAINT), "import_records", _one_target(AFTER))


def downgrade() -> None:
    # What a section or menu became is forgotten: the next import finds them by slug again.
    op.execute("DELETE FROM import_records WHERE section_id IS NOT NULL OR menu_id IS NOT NULL")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_rebuild(BEFORE)
    else:
        op.drop_constraint(op.f(CONSTRAINT), "import_records", type_="check")
        op.create_check_constraint(op.f(CONSTRAINT), "import_records", _one_target(BEFORE))
        for column in ("menu_id", "section_id"):
            op.drop_index(op.f(f"ix_import_records_{column}"), table_name="import_records")
            op.drop_constraint(
                op.f(f"fk_import_records_{column}_{_TARGETS[column]}"),
                "import_records",
                type_="foreignkey",
            )
            op.drop_column("import_records", column)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE stories DROP COLUMN featured")
    else:
        op.drop_column("stories", "featured")
