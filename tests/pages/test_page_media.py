"""Pages show media as articles do: a featured image, attachments, figures in the body; the
media library names them as pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from publishing.access import Role
from tests.media.files import jpeg, pdf
from tests.media.test_media_mutations import Newsroom
from tests.support.client import api_client
from tests.support.tokens import bearer, issue_token

CREATE = """mutation ($input: CreatePageInput!) { createPage(input: $input) {
  __typename
  ... on CreatePageSuccess { page { id featuredImage { id alt } attachments { id }
    body { html } } }
  ... on ValidationError { issues { path code } } } }"""
USAGE = "query ($id: ID!) { mediaUsage(id: $id) { kind id field } }"


@pytest.fixture
async def newsroom(fresh_demo_url: str, tmp_path: Path) -> AsyncIterator[Newsroom]:
    editor = await issue_token(fresh_demo_url, Role.EDITOR, "editor-ed")
    contributor = await issue_token(fresh_demo_url, Role.CONTRIBUTOR, "contributor-cy")
    async with api_client(fresh_demo_url, media_url=(tmp_path / "media").as_uri()) as api:
        yield Newsroom(api, fresh_demo_url, bearer(editor), bearer(contributor))


async def test_a_page_shows_media_and_is_named_as_a_page(newsroom: Newsroom) -> None:
    image = (await newsroom.upload(jpeg(40, 30), "office.jpg"))["media"]["id"]
    report = (await newsroom.upload(pdf(), "annual-report.pdf"))["media"]["id"]
    figure = (await newsroom.upload(jpeg(30, 20), "team.jpg"))["media"]["id"]
    created = await newsroom.mutate(
        CREATE,
        "createPage",
        language="en",
        slug="annual-report",
        title="Annual report",
        body=f"Our year.\n\n![The team](media:{figure})\n",
        featuredImageId=image,
        attachmentIds=[report],
    )
    assert created["__typename"] == "CreatePageSuccess", created
    page = created["page"]
    assert page["featuredImage"]["id"] == image
    assert page["attachments"] == [{"id": report}]
    assert "<figure" in page["body"]["html"] and "<img" in page["body"]["html"]

    for asset, field in ((image, "featuredImage"), (report, "attachments"), (figure, "body")):
        usage = await newsroom.api.data(USAGE, {"id": asset}, headers=newsroom.editor)
        assert usage["mediaUsage"] == [{"kind": "page", "id": page["id"], "field": field}]
