"""The `pressroom` command line, run as a user runs it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import cli
from schema import SDL_PATH, schema

PRESSROOM = str(Path(sys.executable).with_name("pressroom"))


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PRESSROOM, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
        check=False,
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql+asyncpg://nobody@127.0.0.1:1/x", "refused"),
        ("nosuchdriver://x/y", "does not run on 'nosuchdriver'"),
        ("sqlite+aiosqlite:////nonexistent-dir/sub/x.db", "unable to open"),
    ],
)
def test_bad_database_url_is_one_clear_line(url: str, expected: str) -> None:
    result = run("migrate", PRESSROOM_DATABASE_URL=url)
    # A URL that cannot work is a usage error; a database that cannot be reached is not.
    assert result.returncode == (2 if "does not run" in expected else 1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert expected in lines[0].lower()


# Every command that opens the database, with the arguments it needs to get that far.
DATABASE_COMMANDS = [
    ("migrate",),
    ("seed-demo",),
    ("serve",),
    ("token", "create", "--name", "cms", "--role", "editor"),
    ("token", "list"),
    ("token", "revoke", "cms"),
    ("import", "wordpress", "export.xml"),
    ("webhooks", "run", "--once"),
    ("media", "sweep"),
]


DRIVERLESS_URLS = [
    ("postgresql://editor:secret@127.0.0.1/news", "postgresql+asyncpg://editor:***@"),
    ("postgres://127.0.0.1/news", "postgresql+asyncpg://127.0.0.1/news"),
    ("sqlite:///news.db", "sqlite+aiosqlite:///news.db"),
    ("sqlite+pysqlite:///news.db", "sqlite+aiosqlite:///news.db"),
    ("mysql://editor@127.0.0.1/news", "postgresql+asyncpg://"),
]


@pytest.mark.parametrize(("url", "fix"), DRIVERLESS_URLS)
@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=" ".join)
def test_a_database_url_without_its_driver_is_a_usage_error(
    url: str, fix: str, command: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In process, through Typer's runner: the same code path as the console script, which
    # the test below runs as a subprocess for the command that used to exit 3.
    (tmp_path / "export.xml").write_text("<rss/>", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, list(command), env={"PRESSROOM_DATABASE_URL": url, "PRESSROOM_PORT": "1"}
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stdout == "", result.output
    assert fix in result.stderr and "secret" not in result.stderr
    assert not list(tmp_path.glob("news.db*"))  # nothing was opened


@pytest.mark.parametrize(("url", "fix"), DRIVERLESS_URLS[:3])
def test_serve_names_the_driver_in_one_line(url: str, fix: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [PRESSROOM, "serve"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "PRESSROOM_DATABASE_URL": url, "PRESSROOM_PORT": "1"},
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert fix in result.stderr


def test_serve_reports_an_unreachable_database_once_not_every_round(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [PRESSROOM, "serve", "--no-access-log"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={
            **os.environ,
            "PRESSROOM_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/news",
            "PRESSROOM_PORT": str(_free_port()),
            "PRESSROOM_WEBHOOKS_POLL_INTERVAL": "0.05",  # failed rounds 0.1 s to 1.6 s apart
        },
    )
    assert process.stderr is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr or ()), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60  # starting is slow on a busy machine
        while not any("Webhook dispatcher" in line for line in lines):
            assert time.monotonic() < deadline and process.poll() is None, lines
            time.sleep(0.1)
        time.sleep(4)  # several more failed rounds
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        reader.join(timeout=10)
        process.stderr.close()
    stderr = "".join(lines)
    assert "Traceback" not in stderr, stderr
    assert stderr.count("Webhook dispatcher") == 1, stderr
    assert "paused until the database answers: connection refused" in stderr, stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_migrate_and_seed_demo_are_idempotent(empty_url: str, tmp_path: Path) -> None:
    media = {"PRESSROOM_MEDIA_URL": (tmp_path / "media").as_uri()}
    first = run("migrate", "--database-url", empty_url)
    assert first.returncode == 0, first.stderr
    again = run("migrate", "--database-url", empty_url)
    assert again.returncode == 0, again.stderr

    seeded = run("seed-demo", "--database-url", empty_url, **media)
    assert seeded.returncode == 0, seeded.stderr
    assert "Loaded" in seeded.stdout
    reseeded = run("seed-demo", "--database-url", empty_url, **media)
    assert reseeded.returncode == 0, reseeded.stderr
    assert "already" in reseeded.stdout


def test_export_schema_writes_what_the_code_builds(tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    result = run("export-schema", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == schema.as_str() + "\n"


def test_committed_schema_matches_the_code() -> None:
    # The SDL is the contract frontends generate code from; regenerate with `make schema`.
    assert SDL_PATH.read_text(encoding="utf-8") == schema.as_str() + "\n", (
        "schema/schema.graphql is stale: run `make schema` and commit it"
    )


def test_the_benchmark_commands_are_found_through_their_entry_point() -> None:
    # `bench` is outside the product's imports; the command line discovers it when it starts.
    result = run("bench", "--help")
    assert result.returncode == 0, result.stderr
    assert "generate" in result.stdout and "run" in result.stdout
