"""Media settings as operators write them in the environment."""

from __future__ import annotations

import pytest

from api.media import media_limits, open_media
from api.settings import Settings
from publishing.media.storage import LocalStorage, ObjectStorage, StorageConfigError


def test_media_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSROOM_MEDIA_WIDTHS", "320, 640,1280")
    monkeypatch.setenv("PRESSROOM_MEDIA_MAX_PIXELS", "1000")
    monkeypatch.setenv("PRESSROOM_MEDIA_URL", "s3://newsroom-media/pressroom")
    monkeypatch.setenv("PRESSROOM_MEDIA_S3_ENDPOINT", "https://s3.example.org")
    monkeypatch.setenv("PRESSROOM_WEBHOOKS_ALLOW_PRIVATE", "true")
    settings = Settings()

    assert settings.media_widths == [320, 640, 1280]
    state = open_media(settings)
    assert state.widths == (320, 640, 1280)
    assert isinstance(state.storage, ObjectStorage)
    assert state.storage.description == (
        "bucket 'newsroom-media' at https://s3.example.org, prefix 'pressroom'"
    )
    limits = media_limits(settings)
    assert (limits.max_pixels, limits.fetch_allow_private) == (1000, True)


def test_the_default_storage_is_beside_the_sqlite_file(tmp_path: object) -> None:
    state = open_media(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/news.db"))
    assert isinstance(state.storage, LocalStorage)
    assert state.storage.root.name == "news-media"


def test_an_unusable_media_url_stops_the_start() -> None:
    with pytest.raises(StorageConfigError, match="s3://bucket/prefix"):
        open_media(Settings(media_url="gs://elsewhere"))
