"""Transcoding one video: idempotent and retry-safe.

A lease on the video row (`transcode_token` + `transcode_heartbeat`) lets one
attempt work at a time; a retried task finds the video ready (and stops), or
takes over a lease whose heartbeat stopped (its worker died), and starts again
from the staged original, which is deleted only once the outputs are stored.
"""

from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import ffmpeg, files
from .models import Upload, Video, VideoStatus
from .services import STALE_AFTER


class LeaseLost(Exception):
    """The video was deleted, or another attempt took over."""


def run(video_id: int) -> str:
    token = secrets.token_hex(8)
    now = timezone.now()
    claimed = (
        Video.objects.filter(pk=video_id)
        .filter(
            Q(status=VideoStatus.QUEUED)
            | Q(status=VideoStatus.PROCESSING, transcode_heartbeat__lt=now - STALE_AFTER)
            | Q(status=VideoStatus.PROCESSING, transcode_heartbeat__isnull=True)
        )
        .update(
            status=VideoStatus.PROCESSING,
            transcode_token=token,
            transcode_heartbeat=now,
            progress=0,
        )
    )
    if not claimed:
        video = Video.objects.filter(pk=video_id).first()
        return "gone" if video is None else f"nothing to do ({video.status})"
    video = Video.objects.get(pk=video_id)
    upload = Upload.objects.filter(video=video).first()
    source = upload.staged_path if upload else None
    if source is None or not source.exists():
        _fail(video, token, "")
        return "failed: the uploaded file is missing"
    work = Path(settings.TANDEM_UPLOAD_DIR) / f"work-{video.uuid.hex}-{token}"
    work.mkdir(parents=True, exist_ok=True)
    mine = Video.objects.filter(pk=video_id, transcode_token=token)
    last = [0.0]

    def progress(percent: int) -> None:
        if time.monotonic() - last[0] < 1:
            return
        last[0] = time.monotonic()
        if not mine.update(progress=percent, transcode_heartbeat=timezone.now()):
            raise LeaseLost

    try:
        mp4, poster = work / "lesson.mp4", work / "poster.jpg"
        try:
            ffmpeg.transcode(source, mp4, duration=video.duration or 0, on_progress=progress)
            found = ffmpeg.probe(mp4)
            ffmpeg.poster(mp4, poster, at=min(1.0, found.duration / 10))
        except ffmpeg.ProbeError as error:
            _fail(video, token, str(error))
            return "failed: not readable"
        if not mine.exists():
            raise LeaseLost
        prefix = video.storage_prefix
        size = files.save(f"{prefix}/lesson.mp4", mp4) + files.save(f"{prefix}/poster.jpg", poster)
        done = mine.update(
            status=VideoStatus.READY,
            progress=100,
            mp4=f"{prefix}/lesson.mp4",
            poster=f"{prefix}/poster.jpg",
            stored_bytes=size + (video.stored_bytes or 0),
            duration=found.duration,
            width=found.width,
            height=found.height,
            transcode_token="",
            error="",
            updated_at=timezone.now(),
        )
        if not done:
            raise LeaseLost
    except LeaseLost:
        if not Video.objects.filter(pk=video_id).exists():
            files.delete_prefix(video.storage_prefix)  # deleted while we worked: leave nothing
        return "stopped: the video was deleted or taken over"
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # The original is no longer needed: only the 720p copy is kept.
    if upload is not None:
        upload.staged_path.unlink(missing_ok=True)
        Upload.objects.filter(pk=upload.pk).delete()
    return "ready"


def _fail(video: Video, token: str, reason: str) -> None:
    """A damaged or missing file: say so, and keep nothing of it."""
    from django.utils.translation import gettext as _

    message = reason or _("The uploaded file is missing; please upload the video again.")
    Video.objects.filter(pk=video.pk, transcode_token=token).update(
        status=VideoStatus.FAILED,
        error=message[:300],
        transcode_token="",
        progress=0,
        mp4="",
        poster="",
        stored_bytes=0,
    )
    upload = Upload.objects.filter(video=video).first()
    if upload is not None:
        upload.staged_path.unlink(missing_ok=True)
        upload.delete()
    files.delete_prefix(video.storage_prefix)
