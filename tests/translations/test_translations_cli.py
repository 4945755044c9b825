"""`pressroom translations export|import`, run as a user runs it, as the README shows."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from publishing.articles.models import Article
from publishing.footnotes.references import find_references
from tests.support.lookup import rows
from tests.translations.test_xliff_round_trip import translate_2

PRESSROOM = str(Path(sys.executable).with_name("pressroom"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PRESSROOM, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
        check=False,
    )


def test_export_translate_import_with_the_cli(fresh_demo_url: str, tmp_path: Path) -> None:
    db = ("--database-url", fresh_demo_url)
    target = tmp_path / "out.xliff"
    exported = run(
        "translations",
        "export",
        "en/arms-control-without-a-treaty",
        "--to",
        "tr",
        "-o",
        str(target),
        *db,
    )
    assert exported.returncode == 0, exported.stderr
    assert re.fullmatch(r"Wrote \d+ segments to .*out\.xliff\.\n", exported.stdout)

    # The untranslated file back: every segment is named, nothing written.
    refused = run("translations", "import", str(target), *db)
    assert refused.returncode == 1
    assert "file.segments.title: UNTRANSLATED" in refused.stderr
    assert "nothing was written" in refused.stderr

    translated = tmp_path / "tr.xliff"
    translated.write_text(translate_2(target.read_text(encoding="utf-8")), encoding="utf-8")
    imported = run("translations", "import", str(translated), "--by", "Deniz Kaya", *db)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith(
        "Created the tr translation 'tr-arms-control-without-a-treaty'"
    )

    (body,) = asyncio.run(
        rows(
            fresh_demo_url,
            select(Article.body).where(
                Article.language == "tr", Article.slug == "tr-arms-control-without-a-treaty"
            ),
        )
    )
    assert len(find_references(body[0])) == 6

    unknown = run("translations", "export", "en/no-such-article", "--to", "tr", *db)
    assert unknown.returncode == 1 and "no article 'en/no-such-article'" in unknown.stderr
