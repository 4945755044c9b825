"""The OASIS XLIFF 1.2 and 2.0 core schemas the exports are validated against, never kept in
the repository: Debian's ``php-symfony-translation`` package ships them. Where it is installed
(``.ci/run`` installs it) they are read in place; otherwise the package is fetched with
``apt-get download`` (no root needed) and unpacked into a cache, as the sitemap tests fetch
theirs from npm and PyPI.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import xmlschema

from tests.sitemaps.schemas import SchemasUnavailable, cache_dir

PACKAGE = "php-symfony-translation"
INSTALLED = Path("/usr/share/php/Symfony/Component/Translation/Resources/schemas")
XML_NS = "http://www.w3.org/XML/1998/namespace"


def _run(*command: str, cwd: Path) -> None:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=180)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SchemasUnavailable(f"{command[0]}: {error}") from error
    if done.returncode != 0:
        raise SchemasUnavailable(f"{' '.join(command)}: {done.stderr.strip()[-500:]}")


def folder() -> Path:
    """The folder holding ``xliff-core-1.2-strict.xsd``, ``xliff-core-2.0.xsd``, ``xml.xsd``."""
    if (INSTALLED / "xliff-core-2.0.xsd").exists():
        return INSTALLED
    cache = cache_dir() / "xliff"
    unpacked = cache / "root" / INSTALLED.relative_to("/")
    if not (unpacked / "xliff-core-2.0.xsd").exists():
        cache.mkdir(parents=True, exist_ok=True)
        _run("apt-get", "download", PACKAGE, cwd=cache)
        archive = next(cache.glob(f"{PACKAGE}_*.deb"))
        _run("dpkg-deb", "-x", str(archive), str(cache / "root"), cwd=cache)
    return unpacked


def schema(name: str) -> xmlschema.XMLSchema:
    where = folder()
    return xmlschema.XMLSchema(str(where / name), locations={XML_NS: str(where / "xml.xsd")})
