"""The README's GraphQL Code Generator set-up, run as written against the committed schema:
the generated types and the example client compile under ``tsc --strict``."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from schema import SDL_PATH

ROOT = Path(__file__).resolve().parents[2]
PINNED = Path(__file__).resolve().parent / "codegen"
# Generous: npm, codegen and tsc share two cores with other test runs; never a speed check.
TIMEOUT = 600


def readme_block(first_line: str) -> str:
    """The README's fenced code block whose first line is ``first_line``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"```\w+\n({re.escape(first_line)}\n.*?)```", readme, flags=re.DOTALL)
    assert found, f"README has no code block starting with {first_line!r}"
    return found.group(1)


def pinned_node_modules() -> Path:
    """node_modules installed from the committed lock, once per lock, outside the repository."""
    lock = (PINNED / "package-lock.json").read_bytes()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pressroom"
    target = cache / f"codegen-{hashlib.sha256(lock).hexdigest()[:16]}"
    if not (target / "node_modules").is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=cache, prefix="codegen-installing-"))
        try:
            for name in ("package.json", "package-lock.json"):
                shutil.copy(PINNED / name, scratch / name)
            subprocess.run(
                ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=scratch,
                check=True,
                timeout=TIMEOUT,
            )
            # Complete or absent: a run stopped halfway leaves only its scratch folder.
            try:
                scratch.rename(target)
            except OSError:
                if not (target / "node_modules").is_dir():
                    raise
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return target / "node_modules"


def run(command: list[str], cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_readme_codegen_example_compiles_strictly(tmp_path: Path) -> None:
    modules = pinned_node_modules()
    (tmp_path / "node_modules").symlink_to(modules, target_is_directory=True)
    shutil.copy(SDL_PATH, tmp_path / "schema.graphql")
    (tmp_path / "src").mkdir()
    (tmp_path / "codegen.yml").write_text(readme_block("# codegen.yml"), encoding="utf-8")
    operation = readme_block("# src/article-page.graphql")
    (tmp_path / "src/article-page.graphql").write_text(operation, encoding="utf-8")
    example = readme_block("// src/article-page.ts")
    (tmp_path / "src/article-page.ts").write_text(example, encoding="utf-8")

    run([str(modules / ".bin/graphql-codegen"), "--config", "codegen.yml"], tmp_path)
    generated = (tmp_path / "src/generated/graphql.ts").read_text(encoding="utf-8")
    # The scalars are typed as what they are, not left as `any`.
    scalars = re.search(r"export type Scalars = \{(.*?)\n\};", generated, flags=re.DOTALL)
    assert scalars is not None, generated[:2000]
    for name, typescript in {
        "DateTime": "string",
        "Date": "string",
        "JSON": "JsonValue",
        "Upload": "File",
    }.items():
        expected = f"{name}: {{ input: {typescript}; output: {typescript}; }}"
        assert expected in scalars.group(1), scalars.group(1)

    run(
        [
            str(modules / ".bin/tsc"),
            "--strict",
            "--noEmit",
            "--target",
            "es2022",
            "--module",
            "esnext",
            "--moduleResolution",
            "bundler",
            "--lib",
            "es2022,dom",
            "src/article-page.ts",
        ],
        tmp_path,
    )
