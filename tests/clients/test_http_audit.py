"""GraphQL over HTTP, audited by graphql-http's `auditServer` (the audit outside testers run),
against `pressroom serve` on the demo database, in development and production.

The audit's Node packages are pinned in tests/clients/http-audit/package-lock.json and
installed with `npm ci` into a cache directory outside the repository, named by the lock's
hash, so a run after the first reuses them.

Four audits query `__type(name:)`, which is introspection: with introspection off (production's
default) they get a validation error, so exactly those four are expected to fail there; the
same production server with PRESSROOM_INTROSPECTION=true passes every audit.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.hardening.servers import running_server
from tests.support.databases import Databases

AUDIT_DIR = Path(__file__).parent / "http-audit"
# The audits whose query reads `__type`: introspection, off in production by default.
INTROSPECTION_AUDITS = frozenset({"2EA1", "28B9", "D6D5", "6A70"})
NPM_TIMEOUT = 300
AUDIT_TIMEOUT = 180


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pressroom" / "http-audit"


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found is not None, f"`{name}` is not on PATH: the GraphQL-over-HTTP audit needs Node"
    return found


@pytest.fixture(scope="session")
def audit_script() -> Path:
    """The audit script next to a node_modules that `npm ci` filled from the committed lock."""
    lock = (AUDIT_DIR / "package-lock.json").read_bytes()
    home = _cache_root() / hashlib.sha256(lock).hexdigest()[:16]
    if not (home / "node_modules" / ".installed").exists():
        home.parent.mkdir(parents=True, exist_ok=True)
        # Installed beside the final place and renamed into it: a run stopped halfway, or
        # another run installing at the same time, never leaves a half-filled directory.
        building = Path(tempfile.mkdtemp(prefix="installing-", dir=home.parent))
        for name in ("package.json", "package-lock.json"):
            shutil.copy(AUDIT_DIR / name, building / name)
        subprocess.run(
            [_tool("npm"), "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=building,
            check=True,
            timeout=NPM_TIMEOUT,
        )
        (building / "node_modules" / ".installed").touch()
        try:
            building.rename(home)
        except OSError:  # another run got there first
            shutil.rmtree(building, ignore_errors=True)
    # The script may change while the lock does not: copied on every run. Node resolves
    # `graphql-http` from the script's own directory.
    script = home / "audit.mjs"
    shutil.copy(AUDIT_DIR / "audit.mjs", script)
    return script


def audit(script: Path, graphql_url: str) -> list[dict[str, Any]]:
    done = subprocess.run(
        [_tool("node"), str(script), graphql_url],
        capture_output=True,
        text=True,
        timeout=AUDIT_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def not_ok(results: list[dict[str, Any]]) -> dict[str, str]:
    return {
        r["id"]: f"{r['status']}: {r['name']} ({r.get('reason')}; answered "
        f"{r.get('responseStatus')} {r.get('contentType')} {r.get('response', '')[:300]})"
        for r in results
        if r["status"] != "ok"
    }


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("mode", "settings", "expected_failures"),
    [
        ("development", {}, frozenset()),
        ("production", {"production": True}, INTROSPECTION_AUDITS),
        ("production with introspection", {"production": True, "introspection": True}, frozenset()),
    ],
)
def test_every_graphql_over_http_audit_passes(
    backend: str,
    databases: Databases,
    tmp_path: Path,
    audit_script: Path,
    mode: str,
    settings: dict[str, Any],
    expected_failures: frozenset[str],
) -> None:
    url = databases.copy_of(backend, databases.demo(backend))
    with running_server(url, tmp_path, **settings) as server:
        results = audit(audit_script, server.graphql_url)
    # The whole audit ran (graphql-http 1.23.1 has 61 audits), not a part of it.
    assert len(results) == 61, [r["id"] for r in results]
    failed = not_ok(results)
    assert set(failed) == expected_failures, f"{mode}: " + "\n".join(
        f"{audit_id} {problem}" for audit_id, problem in sorted(failed.items())
    )
    for audit_id in expected_failures:
        # Refused as introspection, not for any other reason.
        assert "introspection" in failed[audit_id].lower(), failed[audit_id]
