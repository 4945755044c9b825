"""Images in article bodies: `![alt](media:ID "caption")` renders to a figure with a signed,
responsive `<img>` and a caption with the credit; unknown images are refused like footnote
references with no note; every body of a response costs one media statement."""

from __future__ import annotations

import re
from typing import Any

import pytest

from publishing.access import Role
from publishing.media.editing import MediaChanges, MediaTextData, update_media
from publishing.media.figures import asset_id_of
from publishing.media.usage import find_usages
from publishing.text import sanitize_html
from tests.media import files
from tests.media.conftest import EDITOR, NOW, session_on, storage_from
from tests.media.test_schema import gid, upload
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token

CREATE = """mutation($input: CreateArticleInput!) { createArticle(input: $input) {
  __typename
  ... on ValidationError { issues { path code message } }
  ... on CreateArticleSuccess { article { body { html text } } }
} }"""


@pytest.fixture
def settings(local_settings: dict[str, Any]) -> dict[str, Any]:
    return local_settings


def test_targets_name_images_by_global_or_numeric_id() -> None:
    assert asset_id_of("media:" + gid("Image", 12)) == 12
    assert asset_id_of("media:12") == 12
    assert asset_id_of("media:" + gid("Document", 12)) is None
    assert asset_id_of("media:not an id") is None


def test_sanitiser_keeps_only_our_figures() -> None:
    ours = (
        '<figure class="media"><img src="/media/k/s/960x-contain.auto" '
        'srcset="/media/k/s/320x-contain.auto 320w" sizes="100vw" width="960" height="640" '
        'loading="lazy" alt="a"><figcaption>c</figcaption></figure>'
    )
    assert sanitize_html(ours) == ours
    theirs = (
        '<figure class="x" onclick="e()"><img src="/x.jpg" srcset="https://evil.example/a.jpg 1w"'
        ' loading="eager" width="wide"></figure>'
    )
    assert sanitize_html(theirs) == '<figure><img src="/x.jpg"></figure>'


async def test_body_figure_and_unknown_media(fresh_demo_url: str, settings: dict[str, Any]) -> None:
    storage = storage_from(settings)
    dam = await upload(fresh_demo_url, storage, files.jpeg(1600, 1000), "dam.jpg")
    chart = await upload(fresh_demo_url, storage, files.jpeg(800, 500, (1, 2, 3)), "chart.jpg")
    report = await upload(fresh_demo_url, storage, files.pdf(), "report.pdf")
    await storage.aclose()
    async with session_on(fresh_demo_url) as session:
        await update_media(
            session,
            EDITOR,
            dam.id,
            1,
            MediaChanges(
                texts=[MediaTextData("en", alt="The dam <at> dusk", caption="Stored caption")],
                credit="Photo: AP",
            ),
            usages=find_usages,
            now=NOW,
        )
    token = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    body = (
        f'Before.\n\n![](media:{gid("Image", dam.id)} "Water & power")\n\n'
        f"![A chart](media:{chart.id})\n\nAfter."
    )
    article = {"language": "en", "slug": "with-figures", "title": "Figures", "body": body}
    async with api_client(fresh_demo_url, **settings) as api:
        created = await api.data(CREATE, {"input": article}, headers=token)
        html = created["createArticle"]["article"]["body"]["html"]
        figures = re.findall(r"<figure.*?</figure>", html)
        assert len(figures) == 2 and "<p><figure" not in html
        first, second = figures
        # Markdown title wins over the stored caption; the stored alt fills in; the credit
        # follows the caption.
        assert 'alt="The dam &lt;at&gt; dusk"' in first
        assert (
            '<figcaption>Water &amp; power <span class="credit">Photo: AP</span></figcaption>'
        ) in first
        assert 'loading="lazy"' in first and 'sizes="(min-width: 48rem) 48rem, 100vw"' in first
        assert 'width="960" height="600"' in first
        src = re.search(r' src="([^"]+)"', first)
        assert src is not None and src.group(1).startswith(f"/media/{dam.key}/")
        assert (await api.http.get(src.group(1))).status_code == 200
        srcset = re.search(r' srcset="([^"]+)"', first)
        assert srcset is not None
        widths = [c.rsplit(" ", 1)[1] for c in srcset.group(1).split(", ")]
        assert widths == ["320w", "640w", "960w", "1280w", "1600w"]
        for candidate in srcset.group(1).split(", "):
            assert (await api.http.get(candidate.rsplit(" ", 1)[0])).status_code == 200
        # No caption and no credit: no figcaption; the written alt text.
        assert 'alt="A chart"' in second and "figcaption" not in second
        assert 'width="800" height="500"' in second

        for target, name in ((gid("Image", 99999), "an unknown image"), (report.id, "a PDF")):
            bad = {**article, "slug": "bad-figure", "body": f"![x](media:{target})"}
            refused = (await api.data(CREATE, {"input": bad}, headers=token))["createArticle"]
            assert refused["__typename"] == "ValidationError", name
            assert [(i["path"], i["code"]) for i in refused["issues"]] == [
                (["body"], "UNKNOWN_MEDIA")
            ], name


async def test_bodies_of_a_listing_read_media_once(
    fresh_demo_url: str, settings: dict[str, Any]
) -> None:
    storage = storage_from(settings)
    images = [
        await upload(fresh_demo_url, storage, files.jpeg(64, 48, (i, i, i)), f"{i}.jpg")
        for i in range(6)
    ]
    await storage.aclose()
    token = bearer(await issue_token(fresh_demo_url, Role.EDITOR))
    listing = """query ($first: Int!) { articles(first: $first, language: "en",
      filter: {status: [DRAFT]}) { edges { node { body { html } } } } }"""
    async with api_client(fresh_demo_url, **settings) as api:
        for i, image in enumerate(images):
            body = f"![{i}](media:{gid('Image', image.id)})"
            article = {"language": "en", "slug": f"figure-{i}", "title": f"F{i}", "body": body}
            await api.data(CREATE, {"input": article}, headers=token)
        counts = {}
        for first in (2, 6):
            api.counter.reset()
            data = await api.data(listing, {"first": first}, headers=token)
            assert sum("<figure" in e["node"]["body"]["html"] for e in data["articles"]["edges"])
            counts[first] = sum("media_assets" in s for s in api.counter.statements)
        assert counts == {2: 1, 6: 1}
