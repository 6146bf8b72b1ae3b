"""Writes about lesson video: uploads, sharing, comments, captions, deletion, retention.

Views, the tus endpoint, the API, tasks and the demo call these functions.
Sharing itself goes through `tandem.privacy.services`, so it is audited and
follows the one policy.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.privacy import services as privacy
from tandem.privacy.categories import Category
from tandem.privacy.models import ItemShare
from tandem.schools.roles import roles_of

from . import ffmpeg, files, schedule
from .models import (
    CommentKind,
    MediaPolicy,
    TimedComment,
    Upload,
    UploadStatus,
    Video,
    VideoStatus,
)

log = logging.getLogger(__name__)


class TooLarge(ValidationError):
    """Over the size limit or the teacher's quota (HTTP 413)."""


# Uploads ------------------------------------------------------------------------------


def quota_used(teacher: User) -> int:
    """Bytes the teacher's videos take in storage, plus the uploads she has under way."""
    stored = Video.objects.filter(teacher=teacher).aggregate(n=Sum("stored_bytes"))["n"] or 0
    staged = Upload.objects.filter(teacher=teacher).exclude(status=UploadStatus.REJECTED)
    return stored + (staged.aggregate(n=Sum("length"))["n"] or 0)


@transaction.atomic
def start_upload(*, teacher: User, length: int, title: str = "") -> Upload:
    """A new video, held back, and the resumable upload that will bring its bytes."""
    if not roles_of(teacher).is_teacher or teacher.district_id is None:
        raise PermissionDenied(_("Only teachers upload lesson videos."))
    if length <= 0:
        raise ValidationError(_("This file is empty: there is nothing to upload."))
    limit = settings.TANDEM_VIDEO_MAX_BYTES
    if length > limit:
        raise TooLarge(
            _("This file is %(size)s; a video may be at most %(limit)s.")
            % {"size": filesizeformat(length), "limit": filesizeformat(limit)}
        )
    quota = settings.TANDEM_VIDEO_QUOTA_BYTES
    used = quota_used(teacher)
    if used + length > quota:
        raise TooLarge(
            _(
                "Your videos already take %(used)s of your %(quota)s; this one (%(size)s) "
                "does not fit. Delete a video you no longer need, then try again."
            )
            % {
                "used": filesizeformat(used),
                "quota": filesizeformat(quota),
                "size": filesizeformat(length),
            }
        )
    title = " ".join(title.split())[:200] or _("Lesson on %(date)s") % {
        "date": timezone.localdate().isoformat()
    }
    video = Video.objects.create(
        district_id=teacher.district_id,
        teacher=teacher,
        author=teacher,
        category=Category.VIDEO,
        held_back=True,  # DESIGN.md: lesson video starts held back; the teacher watches first
        title=title,
    )
    hours = settings.TANDEM_UPLOAD_EXPIRES_HOURS
    upload = Upload.objects.create(
        district_id=teacher.district_id,
        teacher=teacher,
        video=video,
        length=length,
        expires_at=timezone.now() + datetime.timedelta(hours=hours),
    )
    upload.staged_path.parent.mkdir(parents=True, exist_ok=True)
    upload.staged_path.touch()
    transaction.on_commit(schedule.ensure_scheduled)
    return upload


def finish_upload(upload: Upload) -> Video:
    """Every byte is here: check it is a video, then queue it for transcoding.

    Anything FFmpeg cannot read as a video is rejected: the staged file and the
    video row are deleted, and ffmpeg.ProbeError carries the reason.
    """
    try:
        found = ffmpeg.probe(upload.staged_path)
    except ffmpeg.ProbeError as error:
        reject_upload(upload, str(error))
        raise
    video = upload.video
    assert video is not None
    now = timezone.now()
    with transaction.atomic():
        Video.objects.filter(pk=video.pk).update(
            status=VideoStatus.QUEUED,
            duration=found.duration,
            width=found.width,
            height=found.height,
            transcode_heartbeat=now,
            updated_at=now,
        )
        Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.COMPLETE)
        transaction.on_commit(lambda: enqueue_transcode(video.pk))
    video.refresh_from_db()
    return video


def enqueue_transcode(video_id: int) -> None:
    from .tasks import transcode_video

    transcode_video.enqueue(video_id)


def reject_upload(upload: Upload, reason: str) -> None:
    """Not a video: nothing of it stays, only the reason on the upload row (for HEAD: 410)."""
    upload.staged_path.unlink(missing_ok=True)
    with transaction.atomic():
        if upload.video_id:
            Video.objects.filter(pk=upload.video_id).delete()
        Upload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.REJECTED, error=reason[:300], video=None, offset=0
        )


def terminate_upload(upload: Upload) -> None:
    """tus termination: the upload and its unfinished video are gone."""
    upload.staged_path.unlink(missing_ok=True)
    with transaction.atomic():
        if upload.video_id:
            Video.objects.filter(pk=upload.video_id, status=VideoStatus.UPLOADING).delete()
        Upload.objects.filter(pk=upload.pk).delete()


# Deleting -----------------------------------------------------------------------------


def _check_teacher(video: Video, acting_user: User) -> None:
    if video.teacher_id != acting_user.pk:
        raise PermissionDenied(_("Only the teacher can do this with her video."))


def delete_video(*, video: Video, acting_user: User) -> None:
    """The teacher deletes her video, at any time: every file goes, in storage and staging."""
    _check_teacher(video, acting_user)
    erase(video)


def erase(video: Video) -> None:
    """Delete a video's row, its comments, its shares and every file it has."""
    upload = Upload.objects.filter(video=video).first()
    with transaction.atomic():
        ItemShare.objects.filter(
            content_type=ContentType.objects.get_for_model(Video), object_id=video.pk
        ).delete()
        if upload is not None:
            upload.delete()
        Video.objects.filter(pk=video.pk).delete()
    # Files after the rows: a transcode still running finds its video gone and cleans up.
    if upload is not None:
        upload.staged_path.unlink(missing_ok=True)
    files.delete_prefix(video.storage_prefix)


# Sharing ------------------------------------------------------------------------------


@transaction.atomic
def share_video(*, video: Video, coaches: Iterable[User], consent: bool, acting_user: User) -> None:
    """Let these coaches see the video: the teacher alone decides, having confirmed that
    the students shown are covered by her district's filming policy."""
    _check_teacher(video, acting_user)
    if not consent and video.consent_confirmed_at is None:
        raise ValidationError(
            _(
                "Please confirm that the students in this video are covered by your district's "
                "filming policy before you share it."
            )
        )
    chosen = list(coaches)
    if not chosen:
        raise ValidationError(_("Choose at least one coach to share the video with."))
    for coach in chosen:
        privacy.share_item(item=video, coach=coach, acting_user=acting_user)
    if video.consent_confirmed_at is None:
        video.consent_confirmed_at = timezone.now()
        Video.objects.filter(pk=video.pk).update(consent_confirmed_at=video.consent_confirmed_at)
    privacy.hold_back(item=video, acting_user=acting_user, held=False)


@transaction.atomic
def unshare_video(*, video: Video, coach: User, acting_user: User) -> None:
    _check_teacher(video, acting_user)
    privacy.unshare_item(item=video, coach=coach, acting_user=acting_user)


@transaction.atomic
def keep_private(*, video: Video, acting_user: User) -> None:
    """Hold the video back again: hers alone, whatever the shares."""
    _check_teacher(video, acting_user)
    privacy.hold_back(item=video, acting_user=acting_user, held=True)


# Comments -----------------------------------------------------------------------------


def add_comment(
    *, video: Video, author: User, at_seconds: float, kind: str, body: str
) -> TimedComment:
    """A comment at one moment, by someone who may see the video (for a coach: shared)."""
    if not Video.objects.visible_to(author).filter(pk=video.pk).exists():
        raise PermissionDenied
    if not video.is_ready:
        raise ValidationError(_("You can comment once the video is ready to watch."))
    if kind not in CommentKind.values:
        raise ValidationError(_("Choose what kind of comment this is."))
    body = body.strip()
    if not body:
        raise ValidationError(_("Write your comment first."))
    if "\x00" in body or len(body) > 2000:
        raise ValidationError(_("A comment may be at most 2,000 characters."))
    if not (0 <= at_seconds <= (video.duration or 0) + 1):
        raise ValidationError(_("That moment is not in the video."))
    return TimedComment.objects.create(
        district_id=video.district_id,
        video=video,
        author=author,
        at_ms=round(at_seconds * 1000),
        kind=kind,
        body=body,
    )


def delete_comment(*, comment: TimedComment, acting_user: User) -> None:
    """Its author removes it; so may the teacher, on her own video."""
    if acting_user.pk not in {comment.author_id, comment.video.teacher_id}:
        raise PermissionDenied
    comment.delete()


# Captions -----------------------------------------------------------------------------

MAX_CAPTIONS_BYTES = 1024 * 1024
_CUE_TIMING = re.compile(
    r"^(?:\d{1,}:)?\d{2}:\d{2}\.\d{3}[ \t]+-->[ \t]+(?:\d{1,}:)?\d{2}:\d{2}\.\d{3}(?:[ \t].*)?$"
)


def check_webvtt(data: bytes) -> str:
    """The captions as text if they are a WebVTT file; ValidationError saying why not."""
    bad = ValidationError(
        _("This is not a WebVTT captions file (.vtt). It must start with the line WEBVTT.")
    )
    if len(data) > MAX_CAPTIONS_BYTES:
        raise ValidationError(_("A captions file may be at most 1 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Captions must be saved as UTF-8 text.")) from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or not (lines[0] == "WEBVTT" or lines[0].startswith(("WEBVTT ", "WEBVTT\t"))):
        raise bad
    if "\x00" in text:
        raise bad
    cues = sum(1 for line in lines if "-->" in line)
    if cues == 0:
        raise ValidationError(_("This captions file has no captions in it."))
    if any("-->" in line and not _CUE_TIMING.match(line.strip()) for line in lines):
        raise ValidationError(
            _("A caption's timing is not in the WebVTT form 00:00:01.000 --> 00:00:04.000.")
        )
    return text


def set_captions(*, video: Video, data: bytes, language: str, acting_user: User) -> None:
    _check_teacher(video, acting_user)
    text = check_webvtt(data)
    name = f"{video.storage_prefix}/captions.vtt"
    staging = Path(settings.TANDEM_UPLOAD_DIR) / f"captions-{video.uuid.hex}.vtt"
    staging.parent.mkdir(parents=True, exist_ok=True)
    staging.write_text(text, encoding="utf-8")
    try:
        size = files.save(name, staging)
    finally:
        staging.unlink(missing_ok=True)
    old = _captions_size(video)
    Video.objects.filter(pk=video.pk).update(
        captions=name,
        captions_language=language[:8],
        stored_bytes=max(0, video.stored_bytes - old) + size,
        updated_at=timezone.now(),
    )


def _captions_size(video: Video) -> int:
    if not video.captions:
        return 0
    try:
        return int(files.storage().size(video.captions))
    except (FileNotFoundError, OSError):
        return 0


# Retention and housekeeping -------------------------------------------------------------


def due_for_deletion(today: datetime.date | None = None) -> list[Video]:
    """Videos whose district's retention day has come."""
    today = today or timezone.localdate()
    due = []
    policies = {p.district_id: p for p in MediaPolicy.objects.all()}
    for video in (
        Video.objects.select_related("engagement")
        .only(
            "id",
            "district_id",
            "created_at",
            "engagement__closed_on",
            "storage_prefix",
            "teacher_id",
            "title",
        )
        .iterator()
    ):
        policy = policies.get(video.district_id) or MediaPolicy(district_id=video.district_id)
        if video.deletes_on(policy) <= today:
            due.append(video)
    return due


def apply_retention(today: datetime.date | None = None) -> int:
    """Delete every video past its district's retention, whatever happens. Idempotent."""
    due = due_for_deletion(today)
    for video in due:
        erase(video)
    return len(due)


def expire_uploads(now: datetime.datetime | None = None) -> int:
    """Unfinished uploads past their expiry, and rejected ones, leave nothing behind."""
    now = now or timezone.now()
    expired = list(
        Upload.objects.filter(
            status__in=[UploadStatus.RECEIVING, UploadStatus.REJECTED], expires_at__lte=now
        )
    )
    for upload in expired:
        terminate_upload(upload)
    return len(expired)


STALE_AFTER = datetime.timedelta(minutes=10)


def requeue_stalled(now: datetime.datetime | None = None) -> int:
    """Transcodes whose worker died (no heartbeat for ten minutes) are queued again."""
    now = now or timezone.now()
    stalled = list(
        Video.objects.filter(
            status__in=[VideoStatus.QUEUED, VideoStatus.PROCESSING],
            transcode_heartbeat__lt=now - STALE_AFTER,
        ).values_list("pk", flat=True)
    )
    for pk in stalled:
        Video.objects.filter(pk=pk).update(transcode_heartbeat=now)
        enqueue_transcode(pk)
    return len(stalled)


def sweep_orphans() -> int:
    """Files no row accounts for (a crash between a write and its row): deleted."""
    removed = 0
    store = files.storage()
    try:
        prefixes, _files = store.listdir("videos")
    except (FileNotFoundError, NotADirectoryError):
        prefixes = []
    known = set(Video.objects.values_list("storage_prefix", flat=True))
    for name in prefixes:
        if f"videos/{name}" not in known:
            files.delete_prefix(f"videos/{name}")
            removed += 1
    staging = Path(settings.TANDEM_UPLOAD_DIR)
    if staging.is_dir():
        uploads = {u.hex for u in Upload.objects.values_list("uuid", flat=True)}
        day_ago = timezone.now().timestamp() - 86400
        for path in staging.iterdir():
            stem = path.name.split(".")[0].split("-")[-1]
            if path.is_file() and stem not in uploads and path.stat().st_mtime < day_ago:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def housekeeping() -> dict[str, Any]:
    return {
        "deleted_by_retention": apply_retention(),
        "expired_uploads": expire_uploads(),
        "requeued": requeue_stalled(),
        "orphans": sweep_orphans(),
    }
