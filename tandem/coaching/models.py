"""Coaching sessions and suggestions: the two things every kind of coaching work has.

One `CoachingSession` for every meeting, modeling session, observation visit
and conversation, whether it belongs to an Impact Cycle, a technical-support
engagement, or neither; their durations make the coaching log's "time by
kind". One `Suggestion` for every piece of advice or next step a coach gives
a teacher, so advice from different coaches can be set side by side.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.privacy.content import CoachingContent, ContentQuerySet


class SessionKind(models.TextChoices):
    CONVERSATION = "conversation", _("Coaching conversation")
    MODELING = "modeling", _("The coach models in class")
    CO_TEACHING = "co_teaching", _("Co-teaching")
    PEER_VISIT = "peer_visit", _("Visiting a colleague's class")
    VIDEO_STUDY = "video_study", _("Watching a video together")
    OBSERVATION = "observation", _("Observation visit")
    MEETING = "meeting", _("Meeting")


# The ways a teacher may choose to learn a strategy (Impact Cycle, Learn), and
# the kinds of support in technical support: a subset of the session kinds.
LEARNING_KINDS = [
    SessionKind.MODELING,
    SessionKind.CO_TEACHING,
    SessionKind.PEER_VISIT,
    SessionKind.VIDEO_STUDY,
]


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class SessionQuerySet(ContentQuerySet):
    """Sessions; still read only through `visible_to(user)` first."""

    def of_person(self, user: Any) -> SessionQuerySet:
        """The sessions she takes part in: as the teacher, or as the coach who leads them."""
        return self.filter(models.Q(teacher_id=user.pk) | models.Q(coach_id=user.pk))

    def time_by_kind(self, *, since: datetime.datetime, until: datetime.datetime) -> dict[str, int]:
        """Minutes of held sessions per kind, started in [since, until): one query."""
        rows = (
            self.filter(status=SessionStatus.HELD, starts_at__gte=since, starts_at__lt=until)
            .order_by()
            .values("kind")
            .annotate(minutes=models.Sum("duration_minutes"))
        )
        return {row["kind"]: row["minutes"] for row in rows}

    def due_for_reminder(self, *, now: datetime.datetime, hours: int) -> SessionQuerySet:
        """Scheduled sessions starting within `hours` whose reminder has not gone out."""
        return self.filter(
            status=SessionStatus.SCHEDULED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + datetime.timedelta(hours=hours),
        )


class CoachingSession(CoachingContent):
    """A meeting of a coach and a teacher: when, where, how long, and its notes.

    Category "notes and reflections": the notes are the content. Its coach is
    the person who leads it (the engagement's coach when it has one).
    """

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_sessions_led"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    starts_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=45)
    place = models.CharField(_("where"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), max_length=20_000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, help_text="iCalendar SEQUENCE: raised at every change of time or place."
    )

    # The base declares a plain content manager; this one adds the log's questions.
    objects = SessionQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["teacher", "category"]),
            models.Index(fields=["coach", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category="notes"), name="coaching_session_category_is_notes"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5, duration_minutes__lte=600),
                name="coaching_session_duration_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(coach=models.F("teacher")),
                name="coaching_session_coach_is_not_teacher",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def label(self) -> str:
        return _("Session: %(session)s") % {"session": str(self)}

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    def get_absolute_url(self) -> str:
        return reverse("session_detail", args=[self.uuid])

    def can_change(self, user: Any) -> bool:
        """Its teacher, its coach and its author, while they may see it."""
        if not type(self).objects.visible_to(user).filter(pk=self.pk).exists():
            return False
        return user.pk in {self.teacher_id, self.author_id, self.coach_id}

    def partner_of(self, user: Any) -> Any:
        """The other person in the session: the coach for the teacher, and otherwise the teacher."""
        return self.coach if user.pk == self.teacher_id else self.teacher

    @property
    def is_upcoming(self) -> bool:
        return self.status == SessionStatus.SCHEDULED and self.ends_at > timezone.now()


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    TRYING = "trying", _("Trying it")
    DONE = "done", _("Done")
    SET_ASIDE = "set_aside", _("Set aside")


class Suggestion(CoachingContent):
    """A coach's suggestion or next step to a teacher; its coach is its author.

    It may belong to an engagement (through `engagement`), to a cycle or a goal,
    or come from a session's conversation; or to none of them.
    """

    text = models.TextField(_("suggestion"), max_length=2000)
    given_on = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=12, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    goal = models.ForeignKey(
        "cycles.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    session = models.ForeignKey(
        CoachingSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_steps",
    )

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-given_on", "-created_at", "id"]
        indexes = [models.Index(fields=["teacher", "category"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category="suggestions"),
                name="coaching_suggestion_category_is_suggestions",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def label(self) -> str:
        return _("Suggestion: %(text)s") % {"text": self.text[:120]}

    def get_absolute_url(self) -> str:
        return reverse("suggestion_detail", args=[self.uuid])
