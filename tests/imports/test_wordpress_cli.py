"""`pressroom import wordpress`, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.imports.conftest import MERIDIAN_EXPORT

PRESSROOM = str(Path(sys.executable).with_name("pressroom"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PRESSROOM, "import", "wordpress", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
        check=False,
    )


def test_import_then_import_again_changes_nothing(migrated_url: str) -> None:
    dry = run(str(MERIDIAN_EXPORT), "--dry-run", "--database-url", migrated_url)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("Dry run: nothing was written.")
    assert "13 created" in dry.stdout

    first = run(str(MERIDIAN_EXPORT), "--database-url", migrated_url)
    assert first.returncode == 0, first.stderr
    # Created now, so the dry run before it had written nothing.
    assert (
        "Posts: 14 seen, 13 created, 0 updated, 0 unchanged, 1 skipped (1 of them pages)"
        in first.stdout
    )
    assert "Languages enabled: en, ru, tr" in first.stdout
    assert "post 143 “Sanctions Review: What Changed in 2024”: unknown author" in first.stdout

    again = run(str(MERIDIAN_EXPORT), "--database-url", migrated_url)
    assert again.returncode == 0, again.stderr
    assert "Posts: 14 seen, 0 created, 0 updated, 13 unchanged, 1 skipped" in again.stdout
    # No progress bars when the output is not a terminal.
    assert "Importing posts" not in again.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("<rss><channel><item><title>Cut off", "not well-formed xml at line 1"),
        (
            '<?xml version="1.0"?>\n<rss>\n<channel>\n<item></channel></rss>',
            "line 4, column 9: mismatched tag",
        ),
        ("<html><body>Not an export</body></html>", "not a wordpress export"),
        ("", "not well-formed xml"),
    ],
)
def test_a_file_that_is_not_an_export_is_one_clear_line(
    tmp_path: Path, content: str, expected: str
) -> None:
    export = tmp_path / "export.xml"
    export.write_text(content, encoding="utf-8")
    result = run(str(export), "--database-url", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(export) in lines[0]
    assert expected in lines[0].lower()
    assert result.stdout == ""


def test_a_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.xml"
    result = run(str(missing), "--database-url", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"pressroom: {missing}: cannot be read: No such file or directory"
    ]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("", "no <wp:wxr_version> in WordPress's export namespace"),
        ("<wp:wxr_version>abc</wp:wxr_version>", "WXR version 'abc' is not one WordPress writes"),
    ],
)
def test_an_export_without_a_known_version_is_refused_in_one_line(
    tmp_path: Path, version: str, expected: str
) -> None:
    export = tmp_path / "export.xml"
    export.write_text(
        '<?xml version="1.0"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.1/">'
        f"<channel><title>x</title>{version}<item><wp:post_id>1</wp:post_id></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    result = run(str(export), "--database-url", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"pressroom: {export}: ")
    assert expected in line
    assert result.stdout == ""


def test_media_from_a_copied_uploads_folder(migrated_url: str, tmp_path: Path) -> None:
    from tests.imports.test_wordpress_media import FILES, MEDIA_EXPORT

    uploads = tmp_path / "uploads"
    for relative, data in FILES.items():
        (uploads / relative).parent.mkdir(parents=True, exist_ok=True)
        (uploads / relative).write_bytes(data)
    storage = tmp_path / "media"
    env = {**os.environ, "PRESSROOM_MEDIA_URL": storage.as_uri()}
    args = [str(MEDIA_EXPORT), "--media-from", str(uploads), "--database-url", migrated_url]
    done = subprocess.run(
        [PRESSROOM, "import", "wordpress", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Media: 8 files, 7 taken in, 0 already here, 1 pending (1 unreachable, 0 refused)" in (
        done.stdout
    )
    assert "2024/03/lost-pipeline.jpg is not in" in done.stdout
    assert len(list((storage / "originals").iterdir())) == 7

    missing = run(str(MEDIA_EXPORT), "--media-from", str(tmp_path / "nowhere"))
    assert missing.returncode == 2  # refused by the option's own check, before any work
    assert "media-from" in missing.stderr
