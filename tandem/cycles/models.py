"""Impact Cycles: the cycle, its goal, evidence, checklist, measurements and adaptations.

A `Cycle` is coaching content (category "goals and plans") with one
`schools.Engagement` (its coach). Everything filed in it carries the same
engagement, so the cycle's coach sees it by the privacy model's rule 3.
Child rows (checklist items, measurements, adaptations) have no rules of their
own: they are read through their cycle or goal.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.privacy.content import CoachingContent, ContentQuerySet


class Stage(models.TextChoices):
    IDENTIFY = "identify", _("Identify")
    LEARN = "learn", _("Learn")
    IMPROVE = "improve", _("Improve")
    MET = "met", _("Goal met")
    CLOSED = "closed", _("Closed")


OPEN_STAGES = [Stage.IDENTIFY, Stage.LEARN, Stage.IMPROVE]


class CycleQuerySet(ContentQuerySet):
    def open(self) -> CycleQuerySet:
        return self.filter(stage__in=OPEN_STAGES)

    def stalled(self, now: datetime.datetime | None = None) -> CycleQuerySet:
        """Open cycles with no activity for TANDEM_STALLED_DAYS days."""
        now = now or timezone.now()
        since = now - datetime.timedelta(days=settings.TANDEM_STALLED_DAYS)
        return self.open().filter(last_activity_at__lt=since)


class Cycle(CoachingContent):
    """One Impact Cycle of a teacher's with a coach: Identify → Learn → Improve → goal met."""

    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.IDENTIFY
    )
    # The identifying conversation: the teacher's own words seed the goal.
    lesson_rating = models.PositiveSmallIntegerField(
        _("how close the lesson was to your ideal (1 to 10)"), null=True, blank=True
    )
    closer_to_ideal = models.TextField(
        _("what would make it closer to your ideal"), max_length=2000, blank=True
    )
    students_differently = models.TextField(
        _("what you would like your students to be doing differently"),
        max_length=2000,
        blank=True,
    )
    strategy = models.ForeignKey(
        "library.Strategy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cycles",
    )
    strategy_name = models.CharField(
        _("strategy"), max_length=120, blank=True, help_text="As chosen, in case it leaves."
    )
    learning_mode = models.CharField(
        _("how you want to learn it"), max_length=20, blank=True
    )  # one of coaching.models.LEARNING_KINDS
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_cycles",
        help_text="The cycle this one carries evidence forward from.",
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    closed_reason = models.TextField(_("why it closed"), max_length=2000, blank=True)
    met_summary = models.TextField(_("summary"), max_length=5000, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised at every change: a stale form is told, never overwrites."
    )

    # visible_to() and the cycle questions on one queryset (a subclass of the base's).
    objects = CycleQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("Impact Cycle")
        verbose_name_plural = _("Impact Cycles")
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["teacher", "category"]),
            models.Index(fields=["stage", "last_activity_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(category="goals"), name="cycles_cycle_category_is_goals"
            ),
            models.CheckConstraint(
                condition=Q(engagement__isnull=False), name="cycles_cycle_has_engagement"
            ),
            models.UniqueConstraint(fields=["engagement"], name="cycles_cycle_one_per_engagement"),
            models.CheckConstraint(
                condition=Q(lesson_rating__isnull=True)
                | Q(lesson_rating__gte=1, lesson_rating__lte=10),
                name="cycles_cycle_rating_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return str(self.engagement) if self.engagement_id else str(_("Impact Cycle"))

    def label(self) -> str:
        return _("Impact Cycle: %(title)s") % {"title": str(self)[:120]}

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    def get_absolute_url(self) -> str:
        return reverse("cycle_detail", args=[self.uuid])


class GoalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Working on it")
    MET = "met", _("Met")
    SET_ASIDE = "set_aside", _("Set aside")


class MeasureKind(models.TextChoices):
    PERCENTAGE = "percentage", _("Percentage")
    COUNT = "count", _("Count")
    RATE = "rate", _("Rate per minute")
    RATIO = "ratio", _("Ratio")
    SCORE = "score", _("Score")


class Goal(CoachingContent):
    """A student-focused goal, with a measure, a baseline and a target (PEERS)."""

    cycle = models.OneToOneField(
        Cycle, on_delete=models.CASCADE, null=True, blank=True, related_name="goal"
    )
    statement = models.TextField(_("goal"), max_length=1000)
    measure = models.CharField(
        _("how it is measured"),
        max_length=300,
        blank=True,
        help_text=_("For example: % of students who explain their reasoning in writing."),
    )
    measure_kind = models.CharField(
        _("kind of measure"),
        max_length=12,
        choices=MeasureKind.choices,
        default=MeasureKind.PERCENTAGE,
    )
    scale_max = models.DecimalField(
        _("highest possible score"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For scores only: the top of the scale."),
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=8, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    # PEERS, as the teacher and coach tick them while building the goal.
    powerful = models.BooleanField(_("Powerful"), default=False)
    easy = models.BooleanField(_("Easy"), default=False)
    emotionally_compelling = models.BooleanField(_("Emotionally compelling"), default=False)
    reachable = models.BooleanField(_("Reachable"), default=False)
    student_focused = models.BooleanField(_("Student-focused"), default=False)
    framework_tags = models.ManyToManyField(
        "library.FrameworkTag", blank=True, related_name="goals", verbose_name=_("framework")
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised at every change: a stale form is told, never overwrites."
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["teacher", "category"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category="goals"), name="cycles_goal_category_is_goals"
            ),
            models.CheckConstraint(
                condition=models.Q(baseline__isnull=True)
                | models.Q(target__isnull=True)
                | ~models.Q(target=models.F("baseline")),
                name="cycles_goal_target_differs_from_baseline",
            ),
        ]

    def __str__(self) -> str:
        return self.statement[:80]

    def label(self) -> str:
        return _("Goal: %(goal)s") % {"goal": self.statement[:120]}

    @property
    def rises(self) -> bool | None:
        """True when the target is above the baseline (more is better); None if unknown."""
        if self.baseline is None or self.target is None:
            return None
        return self.target > self.baseline

    def reached_by(self, value: Decimal) -> bool:
        """Whether a measurement reaches the target in the goal's direction."""
        rises = self.rises
        if rises is None or self.target is None:
            return False
        return value >= self.target if rises else value <= self.target

    def value_range(self) -> tuple[Decimal, Decimal | None]:
        """The lowest and highest value a measurement of this kind can take."""
        if self.measure_kind == MeasureKind.PERCENTAGE:
            return Decimal(0), Decimal(100)
        if self.measure_kind == MeasureKind.SCORE and self.scale_max is not None:
            return Decimal(0), self.scale_max
        return Decimal(0), None

    def get_absolute_url(self) -> str:
        return reverse("goal_detail", args=[self.uuid])


class Measurement(models.Model):
    """One value of a goal's student measure, typed in on a day. Read through its goal.

    Observation sessions linked to the goal are measurements too; they are read
    from `observations.measurements.for_goal` and never copied here.
    """

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measurements")
    taken_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=8, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["taken_on", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.taken_on}: {self.value}"


class ChecklistItem(models.Model):
    """One move of the cycle's strategy, as the teacher adapted it. Read through its cycle.

    `original` is the library's wording (empty for a move the teacher added);
    every change keeps its reason.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="checklist")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("move"), max_length=300)
    original = models.CharField(max_length=300, blank=True)
    reason = models.CharField(_("why it changed"), max_length=500, blank=True)
    removed = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["cycle", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_adapted(self) -> bool:
        return self.removed or self.text != self.original


class AdaptationKind(models.TextChoices):
    STRATEGY = "strategy", _("The strategy")
    USE = "use", _("How the strategy is used")
    GOAL = "goal", _("The goal")


class Adaptation(models.Model):
    """What teacher and coach changed while improving, why, and when. Read through its cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="adaptations")
    kind = models.CharField(_("what changed"), max_length=10, choices=AdaptationKind.choices)
    change = models.TextField(_("the change"), max_length=2000)
    reason = models.TextField(_("why"), max_length=2000)
    made_on = models.DateField(_("when"), default=timezone.localdate)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("adaptation")
        verbose_name_plural = _("adaptations")
        ordering = ["-made_on", "-created_at", "id"]

    def __str__(self) -> str:
        return self.change[:80]


class EvidenceKind(models.TextChoices):
    VIDEO = "video", _("Lesson video")
    OBSERVATION = "observation", _("Observation data")
    STUDENT_WORK = "student_work", _("Student work")
    STUDENT_INTERVIEW = "student_interview", _("Student interview notes")
    TEACHER_REFLECTION = "teacher_reflection", _("The teacher's reflection")
    COACH_REFLECTION = "coach_reflection", _("The coach's reflection")


def evidence_storage() -> Storage:
    """Evidence files live where lesson video does: private storage, never a public URL."""
    from tandem.media.files import storage

    return storage()


def evidence_path(instance: Any, filename: str) -> str:
    """A folder of its own, named by the server; `filename` is chosen by the server too."""
    return f"evidence/{uuid.uuid4().hex}/{filename}"


class EvidenceQuerySet(ContentQuerySet):
    def in_turn_for(self, user: Any) -> EvidenceQuerySet:
        """Her own picture first: the coach's reflection waits for the teacher's own.

        A teacher sees the coach's reflection in a cycle only once she has written
        her reflection in it. Used on top of `visible_to`, never instead of it.
        """
        hers = Evidence.objects.filter(
            cycle_id=OuterRef("cycle_id"), kind=EvidenceKind.TEACHER_REFLECTION
        )
        waiting = Q(kind=EvidenceKind.COACH_REFLECTION, teacher_id=user.pk) & ~Exists(hers)
        return self.exclude(waiting)


class Evidence(CoachingContent):
    """One piece of the cycle's picture of reality (category "evidence").

    The extension point: text and a file of its own (student work, interview
    notes, reflections), or a link to another item of coaching content (a lesson
    video, an observation session) through `item`. Kinds and how each links
    are declared in `cycles/evidence.py`; later kinds plug in there.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=20_000, blank=True)
    file = models.FileField(
        _("file"), upload_to=evidence_path, storage=evidence_storage, max_length=200, blank=True
    )
    file_name = models.CharField(max_length=255, blank=True)
    item_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    item_id = models.PositiveBigIntegerField(null=True, blank=True)
    item = GenericForeignKey("item_type", "item_id")
    framework_tags = models.ManyToManyField(
        "library.FrameworkTag", blank=True, related_name="evidence", verbose_name=_("framework")
    )

    objects = EvidenceQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["teacher", "category"]),
            models.Index(fields=["item_type", "item_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(category="evidence"), name="cycles_evidence_category_is_evidence"
            ),
            models.CheckConstraint(
                condition=Q(item_type__isnull=True, item_id__isnull=True)
                | Q(item_type__isnull=False, item_id__isnull=False),
                name="cycles_evidence_item_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def label(self) -> str:
        return _("Evidence: %(title)s") % {"title": self.title[:120]}

    def get_absolute_url(self) -> str:
        return reverse("evidence_detail", args=[self.uuid])
