"""What the steps of one WordPress import share."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from publishing.access import Actor, Role
from publishing.imports.records import Origin
from publishing.imports.report import ImportReport, ProblemKind
from publishing.imports.wordpress.index import ExportIndex
from publishing.imports.wordpress.library import MediaLibrary
from publishing.languages.service import EnabledLanguages

# Revisions and records name the importer as the author of its changes.
IMPORTER = Actor("import:wordpress", Role.ADMIN)
SYSTEM = "wordpress"
# Bumped when the conversion changes, so the next import rewrites what it would now write
# differently.
CONVERSION_VERSION = 4


def fingerprint(*parts: Any) -> str:
    data = json.dumps([CONVERSION_VERSION, *parts], sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class ImportContext:
    origin: Origin
    index: ExportIndex
    report: ImportReport
    enabled: EnabledLanguages
    default_language: str
    now: dt.datetime
    author_ids: dict[str, int] = field(default_factory=dict)  # login and its slug -> author
    tag_ids: dict[str, int] = field(default_factory=dict)  # "post_tag:gas" -> tag
    section_ids: dict[str, int] = field(default_factory=dict)  # "category:news" -> section
    originals: dict[str, int | None] = field(default_factory=dict)  # group -> original post
    media: MediaLibrary | None = None  # what the export's files became; None: not imported


@dataclass(slots=True)
class UnitLog:
    """What one post's unit found and made; kept only when the unit commits (problems are
    reported either way)."""

    problems: list[tuple[ProblemKind, str]] = field(default_factory=list)
    tag_ids: dict[str, int] = field(default_factory=dict)
    tags_created: int = 0
    tags_matched: int = 0
    section_ids: dict[str, int] = field(default_factory=dict)
    sections_created: int = 0
    sections_matched: int = 0

    def problem(self, kind: ProblemKind, detail: str) -> None:
        self.problems.append((kind, detail))
