"""Sections and navigation menus.

``sections`` form a tree (``parent_id``) with a name, slug and description per language
(``section_translations``; a slug is unique in its language) and an optional image, a media
asset that cannot be deleted while a section shows it. A story is filed under one primary
section (``stories.primary_section_id``, added in place: SQLite adds a column with a
REFERENCES clause without rebuilding the table) and may appear in others (``story_sections``).

``menus`` are named per language; ``menu_items`` form a tree per menu, each pointing at
exactly one story, section, tag or external URL (a CHECK). Targets RESTRICT deletion.

Webhook events gain SECTION_CREATED, SECTION_UPDATED, SECTION_DELETED and MENU_UPDATED (the
CHECK constraint on ``webhook_events.type`` is replaced as 0010 does).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-09 10:00:00
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The constraint's replacement is 0010's, with more types than 0012 (pages) left it with.
_media_events = importlib.import_module("migrations.versions.0010_media_webhook_events")
BEFORE = importlib.import_module("migrations.versions.0012_pages").AFTER
AFTER = (*BEFORE, "SECTION_CREATED", "SECTION_UPDATED", "SECTION_DELETED", "MENU_UPDATED")
ADDED = AFTER[len(BEFORE) :]


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("image_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_sections_version_positive")),
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> id", name=op.f("ck_sections_not_own_parent")
        ),
        _fk("sections", "parent_id", "sections", "RESTRICT"),
        _fk("sections", "image_id", "media_assets", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sections")),
    )
    op.create_index(op.f("ix_sections_parent_id"), "sections", ["parent_id"])
    op.create_index(op.f("ix_sections_image_id"), "sections", ["image_id"])
    op.create_table(
        "section_translations",
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        _fk("section_translations", "section_id", "sections", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["language"],
            ["languages.code"],
            name=op.f("fk_section_translations_language_languages"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("section_id", "language", name=op.f("pk_section_translations")),
        sa.UniqueConstraint("language", "slug", name=op.f("uq_section_translations_language_slug")),
    )
    op.create_table(
        "story_sections",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("story_sections", "story_id", "stories", "CASCADE"),
        _fk("story_sections", "section_id", "sections", "RESTRICT"),
        sa.PrimaryKeyConstraint("story_id", "section_id", name=op.f("pk_story_sections")),
    )
    op.create_index(op.f("ix_story_sections_section_id"), "story_sections", ["section_id"])
    if op.get_bind().dialect.name == "sqlite":
        # ADD COLUMN ... REFERENCES: no table rebuild (which would cascade to the articles).
        op.execute(
            "ALTER TABLE stories ADD COLUMN primary_section_id INTEGER "
            "CONSTRAINT fk_stories_primary_section_id_sections "
            "REFERENCES sections (id)"
        )
    else:
        op.add_column("stories", sa.Column("primary_section_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_stories_primary_section_id_sections"),
            "stories",
            "sections",
            ["primary_section_id"],
            ["id"],
        )
    op.create_index(op.f("ix_stories_primary_section_id"), "stories", ["primary_section_id"])

    op.create_table(
        "menus",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_menus_version_positive")),
        sa.ForeignKeyConstraint(
            ["language"],
            ["languages.code"],
            name=op.f("fk_menus_language_languages"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_menus")),
        sa.UniqueConstraint("name", "language", name=op.f("uq_menus_name_language")),
    )
    op.create_table(
        "menu_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("menu_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("section_id", sa.Integer(), nullable=True),
        sa.Column("tag_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN story_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN section_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN tag_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN url IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_menu_items_one_target"),
        ),
        sa.CheckConstraint("position >= 0", name=op.f("ck_menu_items_position_not_negative")),
        _fk("menu_items", "menu_id", "menus", "CASCADE"),
        _fk("menu_items", "parent_id", "menu_items", "CASCADE"),
        _fk("menu_items", "story_id", "stories", "RESTRICT"),
        _fk("menu_items", "section_id", "sections", "RESTRICT"),
        _fk("menu_items", "tag_id", "tags", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_menu_items")),
    )
    for column in ("menu_id", "parent_id", "story_id", "section_id", "tag_id"):
        op.create_index(op.f(f"ix_menu_items_{column}"), "menu_items", [column])

    _media_events._change(AFTER)


def downgrade() -> None:
    op.execute(
        "DELETE FROM webhook_events WHERE type IN (" + ", ".join(f"'{t}'" for t in ADDED) + ")"
    )
    _media_events._change(BEFORE)
    for column in ("menu_id", "parent_id", "story_id", "section_id", "tag_id"):
        op.drop_index(op.f(f"ix_menu_items_{column}"), table_name="menu_items")
    op.drop_table("menu_items")
    op.drop_table("menus")
    # Unfiled first: SQLite drops a table by deleting its rows, and RESTRICT references
    # (stories to sections, sub-sections to their parents) would refuse that.
    op.execute("UPDATE stories SET primary_section_id = NULL")
    op.execute("UPDATE sections SET parent_id = NULL")
    op.drop_index(op.f("ix_stories_primary_section_id"), table_name="stories")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE stories DROP COLUMN primary_section_id")
    else:
        op.drop_constraint(
            op.f("fk_stories_primary_section_id_sections"), "stories", type_="foreignkey"
        )
        op.drop_column("stories", "primary_section_id")
    op.drop_index(op.f("ix_story_sections_section_id"), table_name="story_sections")
    op.drop_table("story_sections")
    op.drop_table("section_translations")
    op.drop_index(op.f("ix_sections_image_id"), table_name="sections")
    op.drop_index(op.f("ix_sections_parent_id"), table_name="sections")
    op.drop_table("sections")
