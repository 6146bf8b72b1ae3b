"""Districts (the tenants), schools, who holds which role, and who coaches whom."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from tandem.accounts.models import User


class District(models.Model):
    """A school district: the tenant. Every row in Tandem carries its district."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/Los_Angeles")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="schools")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="schools_school_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    COACH = "coach", _("Coach")
    SCHOOL_LEADER = "school_leader", _("School leader")
    DISTRICT_ADMIN = "district_admin", _("District administrator")


class Specialty(models.TextChoices):
    INSTRUCTIONAL = "instructional", _("Instructional coach")
    TECHNOLOGY = "technology", _("Technology coach")
    CONTENT = "content", _("Content specialist")
    MENTOR = "mentor", _("Mentor")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    PROGRAM = "program", _("Program specialist")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def in_district(self, district_id: int) -> MembershipQuerySet:
        return self.filter(district_id=district_id)


class Membership(models.Model):
    """A person's role at a school, or at the district for district administrators.

    A person may hold several: a department head who also teaches is a teacher
    and a coach at the same school.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["role", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "role"], name="schools_membership_unique_role_at_school"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(school__isnull=True),
                name="schools_membership_unique_district_role",
            ),
            # District administrators belong to the district; everyone else to a school.
            models.CheckConstraint(
                condition=Q(role="district_admin", school__isnull=True)
                | (~Q(role="district_admin") & Q(school__isnull=False)),
                name="schools_membership_school_matches_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.school or self.district
        return f"{self.user} — {self.get_role_display()} ({where})"


class CoachSpecialty(models.Model):
    """What kind of coaching a coach offers: instructional, technology, content area…"""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="specialties")
    specialty = models.CharField(_("specialty"), max_length=20, choices=Specialty.choices)
    subject = models.CharField(
        _("subject"), max_length=100, blank=True, help_text=_("For content specialists.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "specialty", "subject"],
                name="schools_coachspecialty_unique",
            ),
        ]

    def __str__(self) -> str:
        label = str(self.get_specialty_display())
        return f"{label} ({self.subject})" if self.subject else label


class AssignmentStatus(models.TextChoices):
    INVITED = "invited", _("Invited by the coach")
    PROPOSED = "proposed", _("Proposed by a leader")
    TALK_FIRST = "talk_first", _("Teacher would like to talk first")
    ACTIVE = "active", _("Working together")
    DECLINED = "declined", _("Declined")
    ENDED = "ended", _("Ended")


OPEN_STATUSES = [
    AssignmentStatus.INVITED,
    AssignmentStatus.PROPOSED,
    AssignmentStatus.TALK_FIRST,
    AssignmentStatus.ACTIVE,
]


class CoachingAssignmentQuerySet(models.QuerySet["CoachingAssignment"]):
    def active(self, on: datetime.date | None = None) -> CoachingAssignmentQuerySet:
        """Assignments in force today: accepted, started, not ended."""
        today = on or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            status=AssignmentStatus.ACTIVE,
            starts_on__lte=today,
        )

    def open(self) -> CoachingAssignmentQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def awaiting(self, teacher: User) -> CoachingAssignmentQuerySet:
        """Invitations and proposals this teacher has not answered yet."""
        return self.filter(
            teacher=teacher,
            status__in=[
                AssignmentStatus.INVITED,
                AssignmentStatus.PROPOSED,
                AssignmentStatus.TALK_FIRST,
            ],
        )

    def involving(self, user: User) -> CoachingAssignmentQuerySet:
        """The person's own assignments, as the teacher or as the coach."""
        return self._in_district_of(user, Q(teacher=user) | Q(coach=user))

    def managed_by(self, user: User) -> CoachingAssignmentQuerySet:
        """Assignments at the schools she leads, or anywhere in the district she administers."""
        return self._in_district_of(user, _manages(user))

    def reachable_by(self, user: User) -> CoachingAssignmentQuerySet:
        """The assignments this person is part of or manages: for anyone else they do not exist.

        One query with `Exists` subqueries; pages and the API look assignments up only here.
        """
        return self._in_district_of(user, Q(teacher=user) | Q(coach=user) | _manages(user))

    def _in_district_of(self, user: User, condition: Q) -> CoachingAssignmentQuerySet:
        if not user.is_authenticated or user.district_id is None:
            return self.none()
        return self.filter(condition, district_id=user.district_id)


def _manages(user: User) -> Q:
    """She leads the assignment's school, or administers its district (her own)."""
    held = Membership.objects.filter(user=user, district_id=OuterRef("district_id"))
    return Q(Exists(held.filter(role=Role.DISTRICT_ADMIN))) | Q(
        Exists(held.filter(role=Role.SCHOOL_LEADER, school_id=OuterRef("school_id")))
    )


class CoachingAssignment(models.Model):
    """A coach working with a teacher in one specialty, from a start date to an end date.

    Partnership starts with choice: an assignment begins as an invitation from
    the coach or a proposal from a leader, and is active only once the teacher
    accepts. Shares of coaching content belong to the assignment and end with it.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="assignments")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="assignments")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_assignments"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coached_assignments"
    )
    specialty = models.CharField(_("specialty"), max_length=20, choices=Specialty.choices)
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    focus = models.CharField(
        _("focus"), max_length=200, blank=True, help_text=_("What you will work on together.")
    )
    message = models.TextField(_("message to the teacher"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AssignmentStatus.choices, default="invited"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CoachingAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(coach=models.F("teacher")),
                name="schools_assignment_coach_is_not_teacher",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="schools_assignment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["coach", "teacher", "specialty"],
                condition=Q(status__in=OPEN_STATUSES),
                name="schools_assignment_one_open_per_specialty",
            ),
        ]
        indexes = [
            models.Index(fields=["teacher", "status"]),
            models.Index(fields=["coach", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.coach} → {self.teacher} ({self.get_specialty_display()})"

    @property
    def role_label(self) -> str:
        """ "Technology coach", or "Content specialist (Math)"."""
        label = str(self.get_specialty_display())
        return f"{label} ({self.subject})" if self.subject else label

    def is_active(self, on: datetime.date | None = None) -> bool:
        today = on or timezone.localdate()
        return (
            self.status == AssignmentStatus.ACTIVE
            and self.starts_on <= today
            and (self.ends_on is None or self.ends_on >= today)
        )


def hash_invitation_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class StaffInvitation(models.Model):
    """A district administrator's invitation for a staff member to join Tandem.

    The e-mail carries a one-time key; only its digest is stored.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="invitations")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True)
    email = models.EmailField(_("e-mail address"))
    display_name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    specialty = models.CharField(
        _("specialty"), max_length=20, choices=Specialty.choices, blank=True
    )
    subject = models.CharField(_("subject"), max_length=100, blank=True)
    key_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class EngagementKind(models.TextChoices):
    IMPACT_CYCLE = "impact_cycle", _("Impact Cycle")
    TECHNICAL_SUPPORT = "technical_support", _("Technical support")


class Engagement(models.Model):
    """A piece of coaching work between one coach and one teacher.

    An Impact Cycle (cycles app) or a technical-support engagement (programs
    app) each has one. Coaching content may belong to an engagement, and the
    engagement's coach sees it while her assignment to the teacher is active
    (DESIGN.md, "The privacy model", rule 3).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagements_as_teacher"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="engagements_as_coach"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EngagementKind.choices)
    title = models.CharField(_("title"), max_length=200)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(coach=models.F("teacher")),
                name="schools_engagement_coach_is_not_teacher",
            ),
        ]

    def __str__(self) -> str:
        return self.title
