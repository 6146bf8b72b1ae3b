"""Coaches' check-ins: a school's standing meeting, its occurrences, action items, and
the secret calendar feed each person may subscribe to.

A `CheckInSeries` holds a recurrence rule the simple form builds (weekly, every two
weeks or monthly on the weekday of its first date, ending on a date or after a number
of meetings). Its occurrences are materialised as `CheckIn` rows when the series is
saved: a rule must end, so they are finite (at most MAX_OCCURRENCES), and a row is
where attendance, notes, a skipped date or a moved time live. None of it is coaching
content about a teacher: the agenda, which is, is computed when a page is shown,
through `visible_to`.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid
import zoneinfo
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_OCCURRENCES = 120


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month, on the same weekday")


class SeriesQuerySet(models.QuerySet["CheckInSeries"]):
    def for_member(self, user: Any) -> SeriesQuerySet:
        """The series she belongs to: a coach at the school, or a leader there when invited."""
        from tandem.schools.models import Membership, Role

        if not getattr(user, "district_id", None):
            return self.none()
        mine = Membership.objects.filter(user_id=user.pk, district_id=user.district_id)
        coach_at = mine.filter(role=Role.COACH).values("school_id")
        leader_at = mine.filter(role=Role.SCHOOL_LEADER).values("school_id")
        return self.filter(district_id=user.district_id).filter(
            Q(school_id__in=coach_at) | Q(leaders_invited=True, school_id__in=leader_at)
        )


class CheckInSeries(models.Model):
    """A school's standing check-in for its coaches (and its leaders, if invited)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="checkin_series"
    )
    title = models.CharField(_("title"), max_length=120)
    time_zone = models.CharField(_("time zone"), max_length=64)
    first_date = models.DateField(_("first date"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=45)
    frequency = models.CharField(
        _("repeats"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    until = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("number of meetings"), null=True, blank=True)
    rrule = models.CharField(max_length=200, help_text="RFC 5545 RRULE, built from the form.")
    place = models.CharField(_("place"), max_length=200, blank=True)
    leaders_invited = models.BooleanField(_("school leaders are invited too"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in series")
        verbose_name_plural = _("check-in series")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=False) | Q(count__isnull=False),
                name="checkins_series_ends",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("checkin_series", args=[self.uuid])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def members(self) -> Any:
        """Who takes part: the school's coaches, and its leaders when invited."""
        from tandem.accounts.models import User
        from tandem.schools.models import Role

        roles = [Role.COACH] + ([Role.SCHOOL_LEADER] if self.leaders_invited else [])
        return (
            User.objects.filter(
                is_active=True,
                district_id=self.district_id,
                memberships__school_id=self.school_id,
                memberships__role__in=roles,
            )
            .distinct()
            .order_by("display_name", "id")
        )


class CheckIn(models.Model):
    """One occurrence of a series: when it is (or was moved to), who came, the notes."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    series = models.ForeignKey(CheckInSeries, on_delete=models.CASCADE, related_name="checkins")
    # The time the rule gives (its RECURRENCE-ID); starts_at differs once it is moved.
    original_start = models.DateTimeField()
    starts_at = models.DateTimeField(_("starts at"))
    skipped = models.BooleanField(_("skipped"), default=False)
    notes = models.TextField(_("notes"), max_length=10000, blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("attended")
    )
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_start"], name="checkins_checkin_one_per_occurrence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series.title} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("checkin_detail", args=[self.uuid])

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.series.duration_minutes)

    @property
    def moved(self) -> bool:
        return self.starts_at != self.original_start


class ActionItem(models.Model):
    """Something to do before a later check-in; shown on every check-in after its own
    until it is done (it carries over)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("action item"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


def hash_feed_key(raw: str) -> str:
    # 256 random bits: a fast hash is enough, as for API tokens.
    return hashlib.sha256(raw.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's secret calendar address; only the key's digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"

    @classmethod
    def issue(cls, *, user: object) -> tuple[CalendarFeed, str]:
        raw = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, digest=hash_feed_key(raw)), raw
