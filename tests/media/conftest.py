"""Lesson video tests: files go to a fresh folder per test; clips are generated once."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tandem.media import ffmpeg
from tandem.media.models import Upload, Video

TUS: dict[str, Any] = {"HTTP_TUS_RESUMABLE": "1.0.0"}


@pytest.fixture(autouse=True)
def _media_folders(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TANDEM_UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Generated once per run: a short clip, a 20-second one of a few MB, and bad files."""
    folder = tmp_path_factory.mktemp("clips")
    short = ffmpeg.make_test_video(folder / "short.mp4", seconds=2, size="160x90", rate=10)
    lesson = ffmpeg.make_test_video(
        folder / "lesson.mp4", seconds=20, size="640x360", rate=25, bitrate="1M"
    )
    not_faststart = ffmpeg.make_test_video(
        folder / "tail.mp4", seconds=2, size="160x90", rate=10, faststart=False
    )
    truncated = folder / "truncated.mp4"
    truncated.write_bytes(not_faststart.read_bytes()[: not_faststart.stat().st_size // 2])
    text = folder / "notes.mp4"
    text.write_text("These are my lesson notes, not a video.\n" * 50)
    return {
        "short": short,
        "lesson": lesson,
        "truncated": truncated,
        "text": text,
    }


def metadata(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def create(client: Client, length: int, title: str = "Fractions, 3rd period") -> Any:
    return client.post(
        "/videos/uploads/",
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=metadata(title=title),
        **TUS,
    )


def patch(client: Client, url: str, data: bytes, offset: int, **headers: Any) -> Any:
    return client.patch(
        url,
        data=data,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
        **TUS,
        **headers,
    )


def upload_file(client: Client, path: Path, *, chunk: int = 512 * 1024) -> tuple[Any, Upload]:
    """The whole tus conversation through the test client; the last response and the upload."""
    data = path.read_bytes()
    created = create(client, len(data))
    assert created.status_code == 201, created.content
    url = created["Location"]
    response = None
    for start in range(0, len(data), chunk):
        response = patch(client, url, data[start : start + chunk], start)
        if response.status_code != 204:
            break
    return response, Upload.objects.get(uuid=url.rstrip("/").rsplit("/", 1)[1])


@pytest.fixture
def ready_video(clips: dict[str, Path]) -> Callable[..., Video]:
    """A video of the teacher's, uploaded and transcoded (the task run in the test)."""

    def make(teacher: Any, *, clip: str = "short", title: str = "Fractions, 3rd period") -> Video:
        from tandem.media import services, transcode

        upload = services.start_upload(
            teacher=teacher, length=clips[clip].stat().st_size, title=title
        )
        upload.staged_path.write_bytes(clips[clip].read_bytes())
        Upload.objects.filter(pk=upload.pk).update(offset=upload.length)
        upload.refresh_from_db()
        video = services.finish_upload(upload)
        assert transcode.run(video.pk) == "ready"
        video.refresh_from_db()
        return video

    return make
