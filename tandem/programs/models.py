"""Programs a school or district may adopt, and the adoption decisions teachers take part in.

Programs are not coaching content: they hold no teacher's data, and everyone in the
district may read them. A decision's teacher input is sensitive, and anonymous input
is anonymous — see `tandem/programs/anonymity.py` for how, and against whom.

Technical support (the second slice, at the end of this module) is coaching content:
a `SupportEngagement` on a `schools.Engagement` of kind technical support, its log and
the teacher's modifications. Feedback and "You said, we did" belong to a program.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.coaching.models import SessionKind
from tandem.privacy.content import CoachingContent
from tandem.schools.models import Membership, Role

# Leaders see teachers' inputs only once at least this many exist (DESIGN.md: k ≥ 5).
MIN_GROUP = 5


class ProgramStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    ADOPTED = "adopted", _("Adopted")
    RETIRED = "retired", _("Retired")


def _in_district(user: Any) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    district_id: int | None = user.district_id
    return district_id


class ProgramQuerySet(models.QuerySet["Program"]):
    def visible_to(self, user: Any) -> ProgramQuerySet:
        """Every program of the person's own district: programs hold no one's coaching."""
        district_id = _in_district(user)
        if district_id is None:
            return self.none()
        return self.filter(district_id=district_id)


class Program(models.Model):
    """A literacy or math program, a behaviour model, a routine: something a school adopts."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a program of the whole district.",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    materials = models.JSONField(
        _("materials and sample lessons"),
        default=list,
        blank=True,
        help_text='[{"title": …, "url": …}]',
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.CANDIDATE
    )
    initiatives = models.ManyToManyField(
        "teamwork.Initiative", blank=True, related_name="programs", verbose_name=_("initiatives")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="programs_program_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("program_detail", args=[self.uuid])


class ProgramComponent(models.Model):
    """One part of a program, each a strategy of the library; its checklist describes the moves.

    A child row: read through its program.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField()
    strategy = models.ForeignKey(
        "library.Strategy", on_delete=models.PROTECT, related_name="program_components"
    )
    name = models.CharField(_("name"), max_length=200)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    class Meta:
        ordering = ["program", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "position"], name="programs_component_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DecisionQuerySet(models.QuerySet["AdoptionDecision"]):
    def visible_to(self, user: Any) -> DecisionQuerySet:
        """Decisions she manages or is in scope of; for anyone else they do not exist.

        In scope: a teacher (or leader) of the decision's school, or — for a decision of
        the whole district — any teacher or school leader of the district. One query.
        """
        district_id = _in_district(user)
        if district_id is None:
            return self.none()
        held = Membership.objects.filter(user=user, district_id=district_id)
        in_scope_roles = held.filter(role__in=[Role.TEACHER, Role.SCHOOL_LEADER])
        return self.filter(
            Q(Exists(held.filter(role=Role.DISTRICT_ADMIN)))
            | (Q(school__isnull=True) & Q(Exists(in_scope_roles)))
            | Q(Exists(in_scope_roles.filter(school_id=OuterRef("school_id")))),
            district_id=district_id,
        )

    def managed_by(self, user: Any) -> DecisionQuerySet:
        """A school's decisions for its leaders; every decision of the district for its admin."""
        district_id = _in_district(user)
        if district_id is None:
            return self.none()
        held = Membership.objects.filter(user=user, district_id=district_id)
        return self.filter(
            Q(Exists(held.filter(role=Role.DISTRICT_ADMIN)))
            | Q(Exists(held.filter(role=Role.SCHOOL_LEADER, school_id=OuterRef("school_id")))),
            district_id=district_id,
        )

    def open(self) -> DecisionQuerySet:
        return self.filter(decided_at__isnull=True)

    def decided(self) -> DecisionQuerySet:
        return self.filter(decided_at__isnull=False)


class AdoptionDecision(models.Model):
    """A leader's question about adopting one of some candidate programs, with a deadline.

    Every teacher of the school (or of the district, when `school` is empty) is in scope:
    invited to give input, and able to read the decision once it is recorded.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a decision of the whole district.",
    )
    question = models.CharField(_("question"), max_length=300)
    candidates = models.ManyToManyField(Program, related_name="decisions")
    deadline = models.DateTimeField(_("deadline for input"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    # The decision, once recorded.
    chosen = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rationale = models.TextField(_("rationale"), max_length=5000, blank=True)
    how_input_shaped = models.TextField(
        _("how teacher input shaped it"), max_length=5000, blank=True
    )
    cited_inputs: models.ManyToManyField[AdoptionInput, Any] = models.ManyToManyField(
        "AdoptionInput", blank=True, related_name="+"
    )
    teachers_in_scope = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many teachers were in scope when it was decided."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True) | Q(decided_by__isnull=False),
                name="programs_decision_decided_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("decision_detail", args=[self.uuid])

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    def accepts_input(self, now: Any = None) -> bool:
        """Input is taken until the deadline, and never once the decision is recorded."""
        return not self.is_decided and (now or timezone.now()) < self.deadline


class Preference(models.TextChoices):
    """A teacher's view when there is one candidate program (with several, she ranks them)."""

    FOR = "for", _("I would like us to adopt it")
    UNSURE = "unsure", _("I am not sure yet")
    AGAINST = "against", _("I would rather we did not")


class AdoptionInput(models.Model):
    """One teacher's input on one decision: attributed, or anonymous as she chose.

    An anonymous input has no link to its teacher: no author, no precise time, only
    `key` — an HMAC only the server can recompute — so she can replace it. See
    `anonymity.py` for the threat model.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decision = models.ForeignKey(AdoptionDecision, on_delete=models.CASCADE, related_name="inputs")
    key = models.CharField(max_length=64)
    # Set only when she chose to sign her input.
    attributed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    helps = models.TextField(_("what would help my students"), max_length=3000, blank=True)
    concerns = models.TextField(_("concerns"), max_length=3000, blank=True)
    support = models.TextField(_("support I would need"), max_length=3000, blank=True)
    ranking = models.JSONField(
        _("ranking"), default=list, blank=True, help_text="Candidate program UUIDs, first = best."
    )
    preference = models.CharField(
        _("preference"), max_length=10, choices=Preference.choices, blank=True
    )
    comment = models.TextField(_("comment"), max_length=3000, blank=True)
    # The day only: a time of day could be matched against who was signed in when.
    given_on = models.DateField()

    class Meta:
        # The key is pseudo-random: ordering by it tells nothing of who gave input when.
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "key"], name="programs_input_one_per_key"),
        ]

    def __str__(self) -> str:
        return f"input {self.uuid}"

    @property
    def anonymous(self) -> bool:
        return self.attributed_to_id is None


# Technical support (issue 9, second slice) ------------------------------------------------
#
# A support engagement, its log and its modifications are the teacher's coaching content
# (`CoachingContent`, read through `visible_to`): the engagement's coach sees them by rule 3.
# Leaders never read them; they see modifications and feedback only in aggregate, over at
# least `MIN_GROUP` distinct teachers. Nothing here scores or ranks a teacher.


class SupportEngagement(CoachingContent):
    """Technical support for one teacher with one coach on one program (category "goals").

    Its `engagement` (kind technical support) makes the coach see it and everything in it.
    The teacher chooses the kind of support, and may change it (`SupportChoice` keeps them).
    """

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="supports")
    support_kind = models.CharField(
        _("kind of support"), max_length=20, choices=SessionKind.choices, blank=True
    )
    # Set when the support became an Impact Cycle (the engagement then closes).
    cycle = models.OneToOneField(
        "cycles.Cycle", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category="goals"), name="programs_support_category_is_goals"
            ),
            models.CheckConstraint(
                condition=Q(engagement__isnull=False), name="programs_support_has_engagement"
            ),
            models.UniqueConstraint(
                fields=["engagement"], name="programs_support_one_per_engagement"
            ),
        ]

    def __str__(self) -> str:
        return str(self.program)

    def label(self) -> str:
        return _("Support: %(program)s") % {"program": self.program}

    def get_absolute_url(self) -> str:
        return reverse("support_detail", args=[self.uuid])

    @property
    def is_open(self) -> bool:
        return self.engagement is not None and self.engagement.closed_on is None


class SupportChoice(models.Model):
    """One choice of the kind of support, by the teacher: the history of her choices.

    A child row: read through its support engagement.
    """

    support = models.ForeignKey(SupportEngagement, on_delete=models.CASCADE, related_name="choices")
    kind = models.CharField(_("kind of support"), max_length=20, choices=SessionKind.choices)
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-chosen_at", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class LogEntry(CoachingContent):
    """An implementation-log entry (category "notes"): components used, what students did.

    An implementation decision is written with the student evidence it rests on.
    """

    support = models.ForeignKey(SupportEngagement, on_delete=models.CASCADE, related_name="log")
    day = models.DateField(_("day"))
    components = models.ManyToManyField(ProgramComponent, related_name="+", blank=True)
    student_measure = models.CharField(
        _("a measure of student learning"), max_length=300, blank=True
    )
    student_work = models.TextField(_("what students did"), max_length=5000, blank=True)
    decision = models.TextField(_("implementation decision"), max_length=3000, blank=True)
    decision_evidence = models.TextField(
        _("the student evidence it rests on"), max_length=3000, blank=True
    )
    session = models.ForeignKey(
        "coaching.CoachingSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("implementation log entry")
        constraints = [
            models.CheckConstraint(
                condition=Q(category="notes"), name="programs_logentry_category_is_notes"
            ),
        ]

    def __str__(self) -> str:
        return str(self.day)

    def label(self) -> str:
        return _("Implementation log: %(day)s") % {"day": self.day}


class Modification(CoachingContent):
    """A teacher's professional decision to adapt a component: what, for whom, why."""

    support = models.ForeignKey(
        SupportEngagement, on_delete=models.CASCADE, related_name="modifications"
    )
    component = models.ForeignKey(ProgramComponent, on_delete=models.CASCADE, related_name="+")
    what = models.TextField(_("what you changed"), max_length=2000)
    for_whom = models.CharField(_("for which students"), max_length=300)
    reason = models.TextField(_("why"), max_length=2000)
    student_evidence = models.TextField(_("student evidence"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category="notes"), name="programs_modification_category_is_notes"
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="programs_modification_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.what[:80]

    def label(self) -> str:
        return _("Adapted for %(whom)s") % {"whom": self.for_whom[:80]}


class FeedbackAbout(models.TextChoices):
    PROGRAM = "program", _("The program")
    SUPPORT = "support", _("The support I get")


class Feedback(models.Model):
    """A teacher's short survey (1 to 5) and comment on a program or its support, any time.

    Not coaching content, and never shown with a name: the teacher sees her own, leaders
    see aggregates over at least `MIN_GROUP` distinct teachers (`services.feedback_summary`).
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="feedback")
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    about = models.CharField(_("about"), max_length=10, choices=FeedbackAbout.choices)
    useful = models.PositiveSmallIntegerField(_("useful for my students"))
    clear = models.PositiveSmallIntegerField(_("clear to use"))
    heard = models.PositiveSmallIntegerField(_("my voice is heard"))
    comment = models.TextField(_("comment"), max_length=3000, blank=True)
    given_on = models.DateField()

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(useful__gte=1, useful__lte=5, clear__gte=1, clear__lte=5)
                & Q(heard__gte=1, heard__lte=5),
                name="programs_feedback_scale_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"feedback {self.pk}"


class Response(models.Model):
    """One line of the program's public "You said, we did" log: what we heard → what we did."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="responses")
    heard = models.TextField(_("what we heard"), max_length=2000)
    did = models.TextField(_("what we did"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.heard[:80]
