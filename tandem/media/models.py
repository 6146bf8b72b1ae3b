"""Lesson video: the video (coaching content), its time-stamped comments, resumable
uploads in progress, and the district's filming and retention policy."""

from __future__ import annotations

import datetime
import secrets
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.privacy.categories import Category
from tandem.privacy.content import CoachingContent


def new_storage_prefix() -> str:
    """Where a video's files live in storage: a server-chosen name, never the user's."""
    return f"videos/{secrets.token_hex(16)}"


class VideoStatus(models.TextChoices):
    UPLOADING = "uploading", _("Uploading")
    QUEUED = "queued", _("Waiting to be prepared")
    PROCESSING = "processing", _("Being prepared")
    READY = "ready", _("Ready to watch")
    FAILED = "failed", _("Could not be prepared")


class Video(CoachingContent):
    """A lesson video of the teacher's. It starts held back: she watches first.

    Its files (the 720p MP4, the poster, the captions) live in Django's storage
    under `storage_prefix`; the uploaded original stays in the upload staging
    folder only until it is transcoded.
    """

    title = models.CharField(_("title"), max_length=200)
    recorded_on = models.DateField(_("recorded on"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=20, choices=VideoStatus.choices, default=VideoStatus.UPLOADING
    )
    progress = models.PositiveSmallIntegerField(default=0, help_text="Transcoding, in percent.")
    error = models.CharField(max_length=300, blank=True)
    storage_prefix = models.CharField(max_length=64, unique=True, default=new_storage_prefix)
    mp4 = models.CharField(max_length=200, blank=True)
    poster = models.CharField(max_length=200, blank=True)
    captions = models.CharField(max_length=200, blank=True)
    captions_language = models.CharField(max_length=8, blank=True)
    stored_bytes = models.PositiveBigIntegerField(default=0)
    duration = models.FloatField(null=True, blank=True, help_text="In seconds.")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    consent_confirmed_at = models.DateTimeField(null=True, blank=True)
    # A lease on transcoding, so a retried task never runs beside a live attempt.
    transcode_token = models.CharField(max_length=32, blank=True)
    transcode_heartbeat = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-recorded_on", "-created_at"]
        indexes = [models.Index(fields=["teacher", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(category=Category.VIDEO), name="media_video_category_is_video"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="media_video_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def label(self) -> str:
        return _("Video: %(title)s") % {"title": self.title}

    def get_absolute_url(self) -> str:
        return reverse("video_detail", args=[self.uuid])

    @property
    def is_ready(self) -> bool:
        return self.status == VideoStatus.READY

    @property
    def is_working(self) -> bool:
        return self.status in {VideoStatus.QUEUED, VideoStatus.PROCESSING}

    def check_release(self) -> None:
        """Students are filmed: no one else sees a video before its teacher confirms they
        are covered by the district's filming policy, whichever page releases it."""
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext

        if self.consent_confirmed_at is None:
            raise ValidationError(
                gettext(
                    "Please confirm that the students in this video are covered by your "
                    "district's filming policy before you share it."
                )
            )

    def file_names(self) -> list[str]:
        return [name for name in (self.mp4, self.poster, self.captions) if name]

    def deletes_on(self, policy: MediaPolicy | None = None) -> datetime.date:
        """The day the district's retention policy deletes this video."""
        policy = policy or MediaPolicy.for_district(self.district_id)
        return policy.deletes_on(
            uploaded_on=timezone.localdate(self.created_at),
            cycle_closed_on=self.engagement.closed_on if self.engagement is not None else None,
        )


class CommentKind(models.TextChoices):
    QUESTION = "question", _("Question")
    SUGGESTION = "suggestion", _("Suggestion")
    STRENGTH = "strength", _("Strength")
    NOTE = "note", _("Note")


class TimedComment(models.Model):
    """A comment at one moment of a video. A child row: no rules of its own, it is
    read only through its video (`Video.objects.visible_to(user)`)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="video_comments"
    )
    at_ms = models.PositiveIntegerField(help_text="Where in the video, in milliseconds.")
    kind = models.CharField(_("kind"), max_length=12, choices=CommentKind.choices)
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at_ms", "created_at", "id"]
        indexes = [models.Index(fields=["video", "at_ms"])]

    def __str__(self) -> str:
        return f"{self.timestamp} {self.body[:40]}"

    @property
    def seconds(self) -> float:
        return self.at_ms / 1000

    @property
    def timestamp(self) -> str:
        return format_time(self.at_ms // 1000)


def format_time(seconds: float | int) -> str:
    """0:42, 12:05 or 1:02:03."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class UploadStatus(models.TextChoices):
    RECEIVING = "receiving", _("Receiving")
    COMPLETE = "complete", _("Complete")
    REJECTED = "rejected", _("Rejected")


class Upload(models.Model):
    """A resumable (tus 1.0) upload of one video file, in progress or just finished.

    The bytes go to a staging file named after the upload's UUID; the offset
    here is what the server has safely written. A lease (token + expiry)
    stands for the one request allowed to write at a time: it is taken and
    renewed with single-row UPDATEs, never a transaction held across a chunk.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="video_uploads"
    )
    video = models.OneToOneField(
        Video, on_delete=models.SET_NULL, null=True, blank=True, related_name="upload"
    )
    length = models.PositiveBigIntegerField()
    offset = models.PositiveBigIntegerField(default=0)
    received = models.PositiveBigIntegerField(
        default=0, help_text="Every byte read from request bodies, resent ones included."
    )
    status = models.CharField(
        max_length=12, choices=UploadStatus.choices, default=UploadStatus.RECEIVING
    )
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(offset__lte=models.F("length")),
                name="media_upload_offset_within_length",
            ),
        ]

    def __str__(self) -> str:
        return f"upload {self.uuid} ({self.offset}/{self.length})"

    @property
    def staged_path(self) -> Path:
        """The staging file: named by the server, in the upload folder."""
        return Path(settings.TANDEM_UPLOAD_DIR) / f"{self.uuid.hex}.part"

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.status == UploadStatus.RECEIVING and self.expires_at <= (now or timezone.now())


class MediaPolicy(models.Model):
    """A district's rules for lesson video: its filming consent policy and retention."""

    district = models.OneToOneField(
        "schools.District", on_delete=models.CASCADE, related_name="media_policy"
    )
    consent_policy = models.TextField(
        _("filming policy"),
        max_length=4000,
        blank=True,
        help_text=_("What the district allows when lessons with students are filmed."),
    )
    days_after_upload = models.PositiveIntegerField(
        _("delete videos this many days after upload"), default=365
    )
    days_after_cycle = models.PositiveIntegerField(
        _("or this many days after their coaching cycle ends"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep videos until the first limit."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("video policy")
        constraints = [
            models.CheckConstraint(
                condition=Q(days_after_upload__gte=1), name="media_policy_keeps_a_day_at_least"
            ),
        ]

    def __str__(self) -> str:
        return f"video policy of district {self.district_id}"

    @classmethod
    def for_district(cls, district_id: int) -> MediaPolicy:
        """The district's policy, or the default one (unsaved) when it has not set one."""
        found = cls.objects.filter(district_id=district_id).first()
        return found or cls(district_id=district_id)

    def deletes_on(
        self, *, uploaded_on: datetime.date, cycle_closed_on: datetime.date | None
    ) -> datetime.date:
        day = uploaded_on + datetime.timedelta(days=self.days_after_upload)
        if self.days_after_cycle is not None and cycle_closed_on is not None:
            day = min(day, cycle_closed_on + datetime.timedelta(days=self.days_after_cycle))
        return day

    def summary(self) -> Any:
        if self.days_after_cycle is None:
            return _("Videos are deleted %(days)s days after they are uploaded.") % {
                "days": self.days_after_upload
            }
        return _(
            "Videos are deleted %(days)s days after they are uploaded, or %(cycle)s days "
            "after their coaching cycle ends, whichever comes first."
        ) % {"days": self.days_after_upload, "cycle": self.days_after_cycle}
