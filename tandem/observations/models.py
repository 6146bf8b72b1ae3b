"""Observation sessions (coaching content, category "evidence"), their events, custom tools.

A session is what one observer recorded in one lesson with one tool. Its
events are the record; results are computed from them (`results.py`), never
stored beside them. Ids come from the phone that recorded: the session's UUID
and each event's, so a sync replayed any number of times stores it once.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.privacy.content import CoachingContent

from . import results
from .tools import SPECS, Mode, Tool


class CustomToolQuerySet(models.QuerySet["CustomTool"]):
    def of(self, user: Any) -> CustomToolQuerySet:
        """The tools this person defined: a coach's own, seen by no one else."""
        if not getattr(user, "is_authenticated", False) or user.district_id is None:
            return self.none()
        return self.filter(owner_id=user.pk, district_id=user.district_id)


class CustomTool(models.Model):
    """A tally or interval tool a coach (or teacher) defines: its labels and interval.

    Not coaching content: it names what to look for, not what was seen. A
    session snapshots the labels it was recorded with.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="custom_tools"
    )
    name = models.CharField(_("name"), max_length=100)
    mode = models.CharField(_("how it records"), max_length=10, choices=Mode.choices)
    labels = models.JSONField(_("labels"), default=list)
    interval_seconds = models.PositiveIntegerField(_("interval in seconds"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CustomToolQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mode="tally", interval_seconds__isnull=True)
                | Q(mode="interval", interval_seconds__gte=5, interval_seconds__lte=900),
                name="observations_customtool_interval_fits_mode",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("observation_custom_tool", args=[self.uuid])

    def settings(self) -> dict[str, Any]:
        """What a session of this tool records as its settings."""
        found: dict[str, Any] = {"name": self.name, "mode": self.mode, "labels": list(self.labels)}
        if self.mode == Mode.INTERVAL:
            found["interval_seconds"] = self.interval_seconds
        return found


class ObservationSession(CoachingContent):
    """One lesson observed with one tool: its teacher, its observer (the author), its events."""

    tool = models.CharField(_("tool"), max_length=20, choices=Tool.choices)
    custom_tool = models.ForeignKey(
        CustomTool, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    settings = models.JSONField(
        _("settings"), default=dict, help_text="The tool's settings as recorded (labels, interval)."
    )
    lesson = models.CharField(_("lesson"), max_length=200, blank=True)
    goal = models.ForeignKey(
        "cycles.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observation_sessions",
        help_text="The goal whose measurement this session gives.",
    )
    # Server time: the phone's times moved by `clock_skew_seconds` (see services.sync_session).
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    client_started_at = models.DateTimeField(help_text="The start as the phone's clock said.")
    clock_skew_seconds = models.IntegerField(
        default=0, help_text="Server time minus the phone's, when it was large enough to apply."
    )
    synced_at = models.DateTimeField(default=timezone.now)
    digest = models.CharField(
        max_length=64, help_text="SHA-256 of the recording as first synced: a replay matches it."
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["teacher", "-started_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(category="evidence"), name="observations_session_category_is_evidence"
            ),
            models.CheckConstraint(
                condition=Q(finished_at__gte=models.F("started_at")),
                name="observations_session_finishes_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool_label()} · {self.teacher}"

    def label(self) -> str:
        return str(
            _("Observation: %(tool)s, %(date)s")
            % {
                "tool": self.tool_label(),
                "date": timezone.localtime(self.started_at).date().isoformat(),
            }
        )

    def get_absolute_url(self) -> str:
        return reverse("observation_detail", args=[self.uuid])

    def tool_label(self) -> str:
        if self.tool == Tool.CUSTOM and self.settings.get("name"):
            return str(self.settings["name"])
        return str(Tool(self.tool).label)

    @property
    def duration_ms(self) -> int:
        return (self.finished_at - self.started_at) // datetime.timedelta(milliseconds=1)

    def kind_labels(self) -> dict[str, str]:
        return SPECS[self.tool].kind_labels(self.settings)

    def result(self, events: list[ObservationEvent] | None = None) -> results.Result:
        """The figures its events add up to (prefetch `events` to read them once)."""
        rows = events if events is not None else list(self.events.all())
        return results.compute(self.tool, self.settings, [e.tap() for e in rows], self.duration_ms)


class ObservationEvent(models.Model):
    """One tap, as the phone recorded it. No rules of its own: read through its session."""

    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(ObservationSession, on_delete=models.CASCADE, related_name="events")
    client_id = models.UUIDField(help_text="The phone's id for this tap.")
    seq = models.PositiveIntegerField(help_text="Its place in the session, as the phone counted.")
    offset_ms = models.PositiveIntegerField(help_text="Milliseconds from the session's start.")
    kind = models.CharField(max_length=20)
    detail = models.CharField(max_length=20, blank=True)
    value = models.IntegerField(null=True, blank=True)
    total = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "client_id"], name="observations_event_unique_client_id"
            ),
            models.UniqueConstraint(
                fields=["session", "seq"], name="observations_event_unique_seq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seq}: {self.kind}"

    def tap(self) -> results.Tap:
        return results.Tap(
            seq=self.seq,
            offset_ms=self.offset_ms,
            kind=self.kind,
            detail=self.detail,
            value=self.value,
            total=self.total,
        )
