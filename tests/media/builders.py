"""Videos for tests that need one but not its transcoding (the authorization matrix, the
browser's page screens): a ready video row with a small generated clip in storage."""

from __future__ import annotations

import atexit
import contextlib
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile

from tandem.media import ffmpeg, files, services
from tandem.media.models import TimedComment, Video, VideoStatus
from tandem.privacy.categories import Category

from ..cast import Cast

_PREFIXES: list[str] = []


@cache
def _clip() -> tuple[bytes, bytes]:
    """A real 3-second clip and its poster, made once per process (well under a second)."""
    with tempfile.TemporaryDirectory() as folder:
        mp4 = ffmpeg.make_test_video(Path(folder) / "clip.mp4", seconds=3, size="320x180", rate=10)
        poster = Path(folder) / "poster.jpg"
        ffmpeg.poster(mp4, poster, at=0.5)
        return mp4.read_bytes(), poster.read_bytes()


@atexit.register
def _tidy() -> None:
    for prefix in _PREFIXES:
        with contextlib.suppress(Exception):  # best effort at exit
            files.delete_prefix(prefix)


def video(cast: Cast, *, shared_with: Any = None, title: str = "Fractions, 3rd period") -> Video:
    """Maya's ready video (with a poster and captions), shared with one coach if given."""
    made = Video.objects.create(
        district=cast.maple,
        teacher=cast.maya,
        author=cast.maya,
        category=Category.VIDEO,
        held_back=True,
        title=title,
        status=VideoStatus.READY,
        progress=100,
        duration=3.0,
        width=320,
        height=180,
    )
    store = files.storage()
    names = {}
    mp4, poster = _clip()
    for field, name, data in (
        ("mp4", "lesson.mp4", mp4),
        ("poster", "poster.jpg", poster),
        ("captions", "captions.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n"),
    ):
        names[field] = store.save(f"{made.storage_prefix}/{name}", ContentFile(data))
    Video.objects.filter(pk=made.pk).update(**names, captions_language="en")
    _PREFIXES.append(made.storage_prefix)
    made.refresh_from_db()
    if shared_with is not None:
        services.share_video(video=made, coaches=[shared_with], consent=True, acting_user=cast.maya)
        made.refresh_from_db()
    return made


def shared_video(cast: Cast) -> Video:
    """One video per cast, shared with Lena: for pages that change nothing."""
    found = getattr(cast, "_shared_video", None)
    if found is None:
        found = video(cast, shared_with=cast.lena)
        cast._shared_video = found  # type: ignore[attr-defined]
    return found


def comment(cast: Cast, at: float = 2.0) -> TimedComment:
    return services.add_comment(
        video=shared_video(cast),
        author=cast.lena,
        at_seconds=at,
        kind="question",
        body="What did the group by the window say here?",
    )
