"""Transcoding: 720p H.264/AAC MP4 with faststart and a poster; idempotent and retry-safe."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tandem.media import ffmpeg, files, services, transcode
from tandem.media.models import Upload, Video, VideoStatus

from ..cast import Cast

pytestmark = pytest.mark.django_db


def _queued(teacher: Any, clip: Path) -> Video:
    upload = services.start_upload(teacher=teacher, length=clip.stat().st_size, title="Lesson")
    upload.staged_path.write_bytes(clip.read_bytes())
    Upload.objects.filter(pk=upload.pk).update(offset=upload.length)
    upload.refresh_from_db()
    return services.finish_upload(upload)


def test_a_video_is_transcoded_to_720p_mp4_with_a_poster_and_the_original_goes(
    cast: Cast, clips: dict[str, Path], settings: Any
) -> None:
    video = _queued(cast.maya, clips["lesson"])
    staged = Upload.objects.get(video=video).staged_path
    started = time.monotonic()
    assert transcode.run(video.pk) == "ready"
    seconds = time.monotonic() - started
    video.refresh_from_db()
    assert video.status == VideoStatus.READY
    assert video.progress == 100
    assert video.duration == pytest.approx(20, abs=0.2)
    assert (video.width, video.height) == (640, 360)  # never scaled up
    mp4 = files.local_path(video.mp4)
    assert mp4 is not None
    found = ffmpeg.probe(mp4)
    assert found.has_audio
    with mp4.open("rb") as handle:
        head = handle.read(64 * 1024)
    assert head.find(b"moov") < head.find(b"mdat") or b"mdat" not in head  # faststart
    assert video.poster.endswith("poster.jpg")
    assert video.mp4.startswith(video.storage_prefix + "/")
    assert video.stored_bytes == sum(files.storage().size(n) for n in video.file_names())
    assert not staged.exists()
    assert not Upload.objects.filter(video=video).exists()
    print(f"\ntranscode: 20 s of 640x360 in {seconds:.1f} s ({20 / seconds:.1f}x real time)")


def test_a_large_picture_is_scaled_to_720p_and_an_upright_one_stays_upright(
    cast: Cast, tmp_path: Path
) -> None:
    wide = ffmpeg.make_test_video(tmp_path / "wide.mp4", seconds=1, size="1920x1080", rate=5)
    upright = ffmpeg.make_test_video(tmp_path / "tall.mp4", seconds=1, size="1080x1920", rate=5)
    for clip, expected in ((wide, (1280, 720)), (upright, (720, 1280))):
        video = _queued(cast.maya, clip)
        assert transcode.run(video.pk) == "ready"
        video.refresh_from_db()
        assert (video.width, video.height) == expected


def test_running_the_task_again_does_nothing_once_ready(
    cast: Cast, ready_video: Callable[..., Video]
) -> None:
    video = ready_video(cast.maya)
    assert transcode.run(video.pk).startswith("nothing to do")
    assert transcode.run(10**9) == "gone"


def test_a_live_attempt_is_left_alone_and_a_dead_one_is_taken_over(
    cast: Cast, clips: dict[str, Path]
) -> None:
    video = _queued(cast.maya, clips["short"])
    Video.objects.filter(pk=video.pk).update(
        status=VideoStatus.PROCESSING, transcode_token="other", transcode_heartbeat=timezone.now()
    )
    assert transcode.run(video.pk).startswith("nothing to do")
    # The other worker was killed: its heartbeat stopped; housekeeping queues it again.
    Video.objects.filter(pk=video.pk).update(
        transcode_heartbeat=timezone.now() - datetime.timedelta(minutes=11)
    )
    assert services.requeue_stalled() == 1
    Video.objects.filter(pk=video.pk).update(
        transcode_heartbeat=timezone.now() - datetime.timedelta(minutes=11)
    )
    assert transcode.run(video.pk) == "ready"


def test_a_video_deleted_while_transcoding_leaves_no_file(
    cast: Cast, clips: dict[str, Path], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    video = _queued(cast.maya, clips["short"])
    real = ffmpeg.transcode

    def delete_meanwhile(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        services.delete_video(video=video, acting_user=cast.maya)

    monkeypatch.setattr(ffmpeg, "transcode", delete_meanwhile)
    assert transcode.run(video.pk).startswith("stopped")
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))
    assert not [p for p in Path(settings.TANDEM_UPLOAD_DIR).rglob("*") if p.is_file()]


def test_a_video_damaged_past_its_header_fails_with_a_message_and_nothing_is_kept(
    cast: Cast, tmp_path: Path, settings: Any
) -> None:
    whole = ffmpeg.make_test_video(tmp_path / "whole.mp4", seconds=4, size="320x180", rate=10)
    data = whole.read_bytes()
    damaged = tmp_path / "damaged.mp4"
    damaged.write_bytes(data[: len(data) * 2 // 3])  # faststart: the index survives, not the end
    video = _queued(cast.maya, damaged)
    assert transcode.run(video.pk).startswith("failed")
    video.refresh_from_db()
    assert video.status == VideoStatus.FAILED
    assert "damaged or incomplete" in video.error
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))
    assert not [p for p in Path(settings.TANDEM_UPLOAD_DIR).rglob("*") if p.is_file()]


def test_the_task_is_enqueued_when_the_upload_completes(
    cast: Cast, clips: dict[str, Path], django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        video = _queued(cast.maya, clips["short"])
    queued = DBTaskResult.objects.filter(task_path="tandem.media.tasks.transcode_video")
    assert [r.args_kwargs["args"] for r in queued] == [[video.pk]]
    assert DBTaskResult.objects.filter(task_path="tandem.media.tasks.housekeeping").count() == 1
