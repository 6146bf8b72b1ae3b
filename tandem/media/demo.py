"""The demo's lesson videos: short generated clips (FFmpeg's test pattern and a tone, made
in well under a second), one shared with Lena with comments, one Maya keeps to herself,
and Maple Valley's filming and retention policy."""

from __future__ import annotations

import datetime
import tempfile
from functools import cache
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.privacy.categories import Category
from tandem.schools.models import District

from . import ffmpeg, files, schedule
from .models import MediaPolicy, TimedComment, Video, VideoStatus

SECONDS = 20


@cache
def _clip() -> tuple[bytes, bytes]:
    """A 20-second 320x180 clip and its poster (already the MP4 transcoding would make)."""
    with tempfile.TemporaryDirectory() as folder:
        mp4 = ffmpeg.make_test_video(
            Path(folder) / "clip.mp4", seconds=SECONDS, size="320x180", rate=10, bitrate="150k"
        )
        poster = Path(folder) / "poster.jpg"
        ffmpeg.poster(mp4, poster, at=1)
        return mp4.read_bytes(), poster.read_bytes()


def _video(
    district: District, teacher: User, title: str, *, days_ago: int, held_back: bool
) -> Video:
    mp4, poster = _clip()
    created = timezone.now() - datetime.timedelta(days=days_ago)
    video = Video.objects.create(
        district=district,
        teacher=teacher,
        author=teacher,
        category=Category.VIDEO,
        held_back=held_back,
        title=title,
        recorded_on=timezone.localdate(created),
        status=VideoStatus.READY,
        progress=100,
        duration=float(SECONDS),
        width=320,
        height=180,
        created_at=created,
        updated_at=created,
        consent_confirmed_at=None if held_back else created,
    )
    store = files.storage()
    names = {
        "mp4": store.save(f"{video.storage_prefix}/lesson.mp4", ContentFile(mp4)),
        "poster": store.save(f"{video.storage_prefix}/poster.jpg", ContentFile(poster)),
    }
    Video.objects.filter(pk=video.pk).update(**names, stored_bytes=len(mp4) + len(poster))
    return video


def build(maple: District) -> None:
    """Maya's videos; the cast's people must exist already (`schools.demo.build`)."""
    from django.contrib.contenttypes.models import ContentType

    from tandem.privacy.models import ItemShare

    people = {u.email.split("@")[0]: u for u in User.objects.filter(district=maple)}
    maya, lena = people["maya.torres"], people["lena.brooks"]
    MediaPolicy.objects.create(
        district=maple,
        consent_policy=(
            "Families sign Maple Valley's media form at enrolment. Film only students whose "
            "families agreed, keep faces of the others out of the picture, and never post "
            "lesson video outside Tandem."
        ),
        days_after_upload=365,
        days_after_cycle=60,
    )
    shared = _video(
        maple, maya, "Fractions on a number line, 3rd period", days_ago=3, held_back=False
    )
    ItemShare.objects.create(
        district=maple,
        teacher=maya,
        coach=lena,
        content_type=ContentType.objects.get_for_model(Video),
        object_id=shared.pk,
    )
    for who, at, kind, body in [
        (lena, 4, "strength", "Every group has a number line out: great set-up."),
        (lena, 9, "question", "What did the group by the window say when you asked why?"),
        (maya, 12, "note", "I rushed the closing question here."),
        (lena, 16, "suggestion", "Try a turn-and-talk before calling on anyone."),
    ]:
        TimedComment.objects.create(
            district=maple, video=shared, author=who, at_ms=at * 1000, kind=kind, body=body
        )
    _video(maple, maya, "Exit tickets, first try", days_ago=1, held_back=True)
    # Retention and the rest of the housekeeping start with the first videos.
    transaction.on_commit(schedule.ensure_scheduled)
