"""The XML schemas the sitemaps are validated against, obtained at run time into a cache
(never kept in the repository), from the package registries this project uses:

- sitemaps.org's ``sitemap.xsd`` (the official one, with its strict ``<xsd:any>`` for
  extensions and its W3C-datetime ``lastmod``): shipped in the npm ``sitemap`` package's
  ``schema/`` folder, fetched with ``npm pack``;
- a ``siteindex.xsd`` for the sitemap index: shipped by the PyPI ``sitemap-verify`` package,
  fetched with ``pip download`` (its ``lastmod`` is a plain string, so index dates are also
  checked against the official ``tLastmod`` type);
- XHTML 1.0 Strict (``xhtml:link``): shipped inside ``xmlschema`` itself.

No registry reachable from here ships Google's ``sitemap-image.xsd`` or ``sitemap-news.xsd``;
``GOOGLE_IMAGE_XSD`` and ``GOOGLE_NEWS_XSD`` below state those extensions' elements and
types as Google's documentation gives them, so their elements are validated strictly too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import xmlschema

NPM_PACKAGE = "sitemap@9.0.1"
PYPI_PACKAGE = "sitemap-verify==0.1.1"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"

GOOGLE_IMAGE_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="{IMAGE_NS}"
    xmlns="{IMAGE_NS}" elementFormDefault="qualified">
  <xsd:element name="image">
    <xsd:complexType>
      <xsd:sequence>
        <xsd:element name="loc" type="xsd:anyURI"/>
        <xsd:element name="caption" type="xsd:string" minOccurs="0"/>
        <xsd:element name="geo_location" type="xsd:string" minOccurs="0"/>
        <xsd:element name="title" type="xsd:string" minOccurs="0"/>
        <xsd:element name="license" type="xsd:anyURI" minOccurs="0"/>
      </xsd:sequence>
    </xsd:complexType>
  </xsd:element>
</xsd:schema>
"""

GOOGLE_NEWS_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="{NEWS_NS}"
    xmlns="{NEWS_NS}" elementFormDefault="qualified">
  <xsd:element name="news">
    <xsd:complexType>
      <xsd:sequence>
        <xsd:element name="publication">
          <xsd:complexType>
            <xsd:sequence>
              <xsd:element name="name" type="xsd:string"/>
              <xsd:element name="language">
                <xsd:simpleType>
                  <xsd:restriction base="xsd:language">
                    <xsd:pattern value="([a-z]{{2,3}})|(zh-cn)|(zh-tw)"/>
                  </xsd:restriction>
                </xsd:simpleType>
              </xsd:element>
            </xsd:sequence>
          </xsd:complexType>
        </xsd:element>
        <xsd:element name="access" minOccurs="0">
          <xsd:simpleType>
            <xsd:restriction base="xsd:string">
              <xsd:enumeration value="Subscription"/>
              <xsd:enumeration value="Registration"/>
            </xsd:restriction>
          </xsd:simpleType>
        </xsd:element>
        <xsd:element name="genres" type="xsd:string" minOccurs="0"/>
        <xsd:element name="publication_date">
          <xsd:simpleType>
            <xsd:union memberTypes="xsd:date xsd:dateTime"/>
          </xsd:simpleType>
        </xsd:element>
        <xsd:element name="title" type="xsd:string"/>
        <xsd:element name="keywords" type="xsd:string" minOccurs="0"/>
        <xsd:element name="stock_tickers" type="xsd:string" minOccurs="0"/>
      </xsd:sequence>
    </xsd:complexType>
  </xsd:element>
</xsd:schema>
"""


class SchemasUnavailable(Exception):
    """The schemas could not be had (no registry, no npm)."""


@dataclass(frozen=True)
class Schemas:
    urlset: xmlschema.XMLSchema10  # sitemap.xsd with the image, news and xhtml extensions
    index: xmlschema.XMLSchema10

    def valid_lastmod(self, value: str) -> bool:
        return bool(self.urlset.types["tLastmod"].is_valid(value))


def cache_dir() -> Path:
    root = os.environ.get("PRESSROOM_SCHEMA_CACHE") or Path.home() / ".cache" / "pressroom"
    return Path(root) / "xsd"


def _run(*command: str, cwd: Path) -> None:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=180)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SchemasUnavailable(f"{command[0]}: {error}") from error
    if done.returncode != 0:
        raise SchemasUnavailable(f"{' '.join(command)}: {done.stderr.strip()[-500:]}")


def fetch(cache: Path | None = None) -> Path:
    """The folder holding every schema file, filled on first use."""
    folder = cache or cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    sitemap, siteindex = folder / "sitemap.xsd", folder / "siteindex.xsd"
    if not sitemap.exists():
        work = folder / "npm"
        work.mkdir(exist_ok=True)
        _run("npm", "pack", NPM_PACKAGE, "--silent", cwd=work)
        archive = next(work.glob("sitemap-*.tgz"))
        with tarfile.open(archive) as tar:
            data = tar.extractfile("package/schema/sitemap.xsd")
            assert data is not None
            sitemap.write_bytes(data.read())
    if not siteindex.exists():
        work = folder / "pypi"
        work.mkdir(exist_ok=True)
        pip = (sys.executable, "-m", "pip", "download", "--no-deps", "--quiet")
        _run(*pip, "--disable-pip-version-check", "-d", str(work), PYPI_PACKAGE, cwd=work)
        wheel = next(work.glob("sitemap_verify-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            siteindex.write_bytes(archive.read("sitemap_verify/schemas/siteindex.xsd"))
    (folder / "sitemap-image.xsd").write_text(GOOGLE_IMAGE_XSD)
    (folder / "sitemap-news.xsd").write_text(GOOGLE_NEWS_XSD)
    return folder


def load(cache: Path | None = None) -> Schemas:
    folder = fetch(cache)
    xhtml = Path(xmlschema.__file__).parent / "schemas" / "XHTML" / "xhtml1-strict.xsd"
    locations = [
        (IMAGE_NS, (folder / "sitemap-image.xsd").as_uri()),
        (NEWS_NS, (folder / "sitemap-news.xsd").as_uri()),
        (XHTML_NS, xhtml.as_uri()),
    ]
    urlset = xmlschema.XMLSchema10(str(folder / "sitemap.xsd"), locations=locations)
    index = xmlschema.XMLSchema10(str(folder / "siteindex.xsd"))
    # The files fetched are the sitemaps.org protocol's: their namespace says so.
    assert urlset.target_namespace == index.target_namespace == SITEMAP_NS
    return Schemas(urlset, index)
