"""The coaching team of a school: each coach's approach, the school's initiatives, agreements.

None of this is coaching content: an approach describes a coach's way of
working (no teacher in it), an initiative is the school's, and an agreement is
what the coaches decided about a divergence of the alignment report. Impact
Cycles are linked to initiatives here (`InitiativeCycle`), on this side, so the
cycles app need not know about initiatives; a cycle is only ever linked or
shown through `Cycle.objects.visible_to()`.

A `ContradictionFlag` is the exception: it is the teacher's coaching content
(category "suggestions"), read only through its `visible_to()`.
"""

from __future__ import annotations

import uuid
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.privacy.content import CoachingContent, ContentQuerySet

if TYPE_CHECKING:
    from tandem.cycles.models import Cycle


class CoachingModel(models.TextChoices):
    IMPACT_CYCLE = "impact_cycle", _("Impact Cycle")
    COGNITIVE = "cognitive", _("Cognitive coaching")
    MENTORING = "mentoring", _("Mentoring")
    TECHNOLOGY = "technology", _("Technology-integration coaching")
    CONTENT = "content", _("Content coaching")
    PROGRAM = "program", _("Program implementation")
    OTHER = "other", _("Other")


class Per(models.TextChoices):
    WEEK = "week", _("a week")
    MONTH = "month", _("a month")


# A month of meetings, counted in weeks: 52 weeks over 12 months.
WEEKS_PER_MONTH = Fraction(52, 12)


class Initiative(models.Model):
    """A goal or initiative all coaching at the school should serve ("literacy across…")."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="initiatives"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    active = models.BooleanField(_("active"), default=True)
    cycles: models.ManyToManyField[Cycle, InitiativeCycle] = models.ManyToManyField(
        "cycles.Cycle", through="InitiativeCycle", related_name="initiatives", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-active", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="teamwork_initiative_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InitiativeCycle(models.Model):
    """An Impact Cycle that serves an initiative, linked by someone who may change the cycle."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="+")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "cycle"], name="teamwork_initiativecycle_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} ← {self.cycle_id}"


class CoachingApproach(models.Model):
    """How one coach works: her model, her words, her timeline, her measure, her sharing.

    One per coach (not per school): a coach who serves several schools works one way,
    and each of her schools sees the same profile. Edited by the coach herself.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    coach = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_approach"
    )
    model = models.CharField(
        _("coaching model"), max_length=20, choices=CoachingModel.choices, blank=True
    )
    model_other = models.CharField(_("the model, in your words"), max_length=120, blank=True)
    cycle_weeks = models.PositiveSmallIntegerField(
        _("typical cycle length in weeks"), null=True, blank=True
    )
    meetings = models.PositiveSmallIntegerField(
        _("meetings with each teacher"), null=True, blank=True
    )
    per = models.CharField(_("per"), max_length=5, choices=Per.choices, default=Per.WEEK)
    progress = models.TextField(_("how you measure progress"), max_length=2000, blank=True)
    measure = models.CharField(_("your measure, in a few words"), max_length=120, blank=True)
    sharing = models.TextField(_("what you share with whom"), max_length=2000, blank=True)
    initiatives = models.ManyToManyField(
        Initiative, blank=True, related_name="approaches", verbose_name=_("initiatives it serves")
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cycle_weeks__isnull=True) | Q(cycle_weeks__gte=1, cycle_weeks__lte=52),
                name="teamwork_approach_cycle_weeks_range",
            ),
            models.CheckConstraint(
                condition=Q(meetings__isnull=True) | Q(meetings__lte=31),
                name="teamwork_approach_meetings_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach}: {self.model_label}"

    @property
    def model_label(self) -> str:
        if self.model == CoachingModel.OTHER and self.model_other:
            return self.model_other
        return str(self.get_model_display()) if self.model else ""

    @property
    def per_week(self) -> Fraction | None:
        """Meetings a week with each teacher (a month's, spread over its weeks); None: unsaid."""
        if self.meetings is None:
            return None
        if self.per == Per.MONTH:
            return Fraction(self.meetings) / WEEKS_PER_MONTH
        return Fraction(self.meetings)


class GlossaryTerm(models.Model):
    """A word a coach uses with teachers, what she means by it, and her other words for it."""

    approach = models.ForeignKey(CoachingApproach, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(_("term"), max_length=100)
    key = models.CharField(max_length=100, help_text="The term normalised (alignment.normalise).")
    meaning = models.TextField(_("meaning"), max_length=500)
    synonyms = models.CharField(
        _("synonyms"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )

    class Meta:
        ordering = ["key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["approach", "key"], name="teamwork_term_unique"),
        ]

    def __str__(self) -> str:
        return self.term

    def synonym_list(self) -> list[str]:
        return [s.strip() for s in self.synonyms.split(",") if s.strip()]


class DivergenceKind(models.TextChoices):
    MEANINGS = "meanings", _("One term, different meanings")
    TERMS = "terms", _("Different terms, one idea")
    MEASURES = "measures", _("Different progress measures for one teacher")
    CADENCE = "cadence", _("Many meetings for one teacher")


class Agreement(models.Model):
    """What the school's coaches agreed about one divergence (its kind and stable key)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=DivergenceKind.choices)
    key = models.CharField(max_length=300)
    text = models.TextField(_("what you agreed"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField(_("date"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["school", "kind", "key"])]

    def __str__(self) -> str:
        return self.text[:80]


class FlagQuerySet(ContentQuerySet):
    def visible_to(self, user: Any) -> Self:
        """The privacy policy's rows, narrowed to the flags this person takes part in.

        A flag reaches its coaches through item shares (made when it is raised); a
        category share or the school's agreement on "suggestions" does not make a
        coach who is not on the flag a reader of its reflection thread.
        """
        rows = super().visible_to(user)
        if not getattr(user, "is_authenticated", False):
            return rows
        return rows.filter(
            Q(teacher_id=user.pk)
            | Exists(FlagParticipant.objects.filter(flag_id=OuterRef("pk"), user_id=user.pk))
        )


class ContradictionFlag(CoachingContent):
    """Two or more suggestions from different coaches that pull in different directions.

    Coaching content of the teacher's, category "suggestions": its participants
    (the teacher, the coaches whose suggestions are flagged, and whoever raised it)
    reflect on it together in its replies, and record a resolution shown on every
    flagged suggestion. With the teacher's consent (`agenda_consent`) it goes,
    de-identified, on her school's next check-in agenda.
    """

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("what pulls in different directions"), max_length=2000)
    suggestions = models.ManyToManyField("coaching.Suggestion", related_name="contradiction_flags")
    resolution = models.TextField(
        _("resolution: which advice stands, or how they combine"), max_length=2000, blank=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    agenda_consent = models.BooleanField(
        _("put it, without my name, on the coaches' next check-in agenda"), default=False
    )

    objects = FlagQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("contradiction flag")
        verbose_name_plural = _("contradiction flags")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "agenda_consent"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(category="suggestions"),
                name="teamwork_flag_category_is_suggestions",
            ),
        ]

    def __str__(self) -> str:
        return self.note[:80]

    def label(self) -> str:
        return str(_("Advice to think through together"))

    def get_absolute_url(self) -> str:
        return reverse("flag_detail", args=[self.uuid])

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class FlagParticipant(models.Model):
    """One person in a flag's reflection: the teacher, or a coach with her role then."""

    flag = models.ForeignKey(
        ContradictionFlag, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20, help_text="A Specialty value, or 'teacher'.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["flag", "user"], name="teamwork_flagparticipant_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.flag_id}"


class FlagReply(models.Model):
    """A reply in a flag's reflection thread: read through its visible flag."""

    flag = models.ForeignKey(ContradictionFlag, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("reply"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]
