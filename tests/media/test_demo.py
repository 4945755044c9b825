"""The demo publication with its media: cards, portraits, a figure and a report, drawn at
seed time; seeding again adds nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from publishing.demo import content
from publishing.media.models import MediaAsset
from tests.api.test_cli import run
from tests.media.conftest import session_on
from tests.support.client import api_client

SHOWN = """{
  articles(language: "en", first: 20) { edges { node {
    slug featuredImage { width url(width: 400, height: 225) }
    authors { avatar { url(width: 96, height: 96) } }
    attachments { fileName url }
    body { html }
  } } }
}"""


async def test_demo_shows_cards_portraits_a_figure_and_a_report(
    empty_url: str, tmp_path: Path
) -> None:
    media_url = (tmp_path / "media").as_uri()
    assert run("migrate", "--database-url", empty_url).returncode == 0
    for _ in range(2):
        seeded = run("seed-demo", "--database-url", empty_url, PRESSROOM_MEDIA_URL=media_url)
        assert seeded.returncode == 0, seeded.stderr
    async with api_client(empty_url, media_url=media_url) as api:
        data = await api.data(SHOWN)
        articles = [e["node"] for e in data["articles"]["edges"]]
        cards = [a["featuredImage"]["url"] for a in articles if a["featuredImage"]]
        assert len(cards) == len(articles) == len(set(cards))
        for url in cards[:2]:
            served = await api.http.get(url)
            assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
        avatars = {au["avatar"]["url"] for a in articles for au in a["authors"] if au["avatar"]}
        assert len(avatars) >= 3
        figures = [a for a in articles if "<figure" in a["body"]["html"]]
        assert [a["slug"] for a in figures] == ["drought-on-the-anatolian-plateau"]
        reports = [d for a in articles for d in a["attachments"]]
        assert [d["fileName"] for d in reports] == ["verification-field-guide.pdf"]
        pdf = await api.http.get(reports[0]["url"])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-1.4")
        # A page showing only the body is tagged with the figure's asset.
        body_only = '{ article(language: "en", slug: "drought-on-the-anatolian-plateau") {'
        response = await api.http.post("/graphql", json={"query": body_only + " body { html } } }"})
        keys = response.headers["surrogate-key"].split()
        assert [k for k in keys if k.startswith("media:")], keys
    # Seeding twice made each asset once: a card per story, a portrait per author, the
    # chart and the report.
    async with session_on(empty_url) as session:
        assets = await session.scalar(select(func.count(MediaAsset.id)))
    assert assets == len(content.STORIES) + len(content.AUTHORS) + 2
