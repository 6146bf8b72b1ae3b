"""Writes about who works with whom: invitations, proposals, answers, endings."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.privacy.services import end_shares

from .models import (
    AssignmentStatus,
    CoachingAssignment,
    CoachSpecialty,
    Membership,
    Role,
    School,
    StaffInvitation,
    hash_invitation_key,
)
from .roles import roles_of

INVITATION_LIFETIME = datetime.timedelta(days=14)


def _check_pair(*, school: School, coach: User, teacher: User, specialty: str) -> None:
    """The rules every new assignment obeys, whoever starts it."""
    if coach.pk == teacher.pk:
        raise ValidationError(_("A coach cannot be assigned to coach herself."))
    if not (coach.district_id == teacher.district_id == school.district_id):
        raise ValidationError(_("The coach and the teacher must belong to this district."))
    memberships = Membership.objects.filter(school=school, user__in=[coach.pk, teacher.pk])
    held = {(m.user_id, m.role) for m in memberships}
    if (teacher.pk, Role.TEACHER) not in held:
        raise ValidationError(
            _("%(name)s does not teach at %(school)s.")
            % {"name": teacher.display_name, "school": school.name}
        )
    if (coach.pk, Role.SCHOOL_LEADER) in held:
        # Coaching is not evaluation: a leader never coaches in her own school.
        raise ValidationError(
            _("%(name)s leads %(school)s, and a school leader never coaches in her own school.")
            % {"name": coach.display_name, "school": school.name}
        )
    if not CoachSpecialty.objects.filter(
        membership__user=coach,
        membership__role=Role.COACH,
        membership__district_id=school.district_id,
        specialty=specialty,
    ).exists():
        raise ValidationError(
            _("%(name)s does not offer this kind of coaching.") % {"name": coach.display_name}
        )


def _create(**fields: Any) -> CoachingAssignment:
    if fields["ends_on"] is not None and fields["ends_on"] < fields["starts_on"]:
        raise ValidationError(_("The end date comes before the start date."))
    try:
        with transaction.atomic():
            return CoachingAssignment.objects.create(**fields)
    except IntegrityError:
        raise ValidationError(
            _("These two already work together in this specialty, or have an open invitation.")
        ) from None


def school_for_invitation(*, coach: User, teacher: User) -> School:
    """Where a coach's invitation takes place: a school of hers where the teacher teaches.

    Failing that, a school of the teacher's in the coach's district, so that
    `invite_teacher` refuses someone who does not coach there.
    """
    if coach.district_id is None:  # a site operator coaches nowhere
        raise PermissionDenied
    coaches_there = Membership.objects.filter(school_id=OuterRef("pk"), user=coach, role=Role.COACH)
    school = (
        School.objects.filter(
            district_id=coach.district_id,
            memberships__user=teacher,
            memberships__role=Role.TEACHER,
        )
        .order_by(Exists(coaches_there).desc(), "name")
        .first()
    )
    if school is None:
        raise ValidationError(_("This teacher does not teach at your school."))
    return school


@transaction.atomic
def invite_teacher(
    *,
    coach: User,
    teacher: User,
    school: School,
    specialty: str,
    subject: str = "",
    focus: str = "",
    message: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> CoachingAssignment:
    """A coach asks a teacher to work together; nothing starts until she accepts."""
    if school.pk not in roles_of(coach).coach_at:
        raise PermissionDenied
    _check_pair(school=school, coach=coach, teacher=teacher, specialty=specialty)
    assignment = _create(
        district_id=school.district_id,
        school=school,
        coach=coach,
        teacher=teacher,
        specialty=specialty,
        subject=subject,
        focus=focus,
        message=message,
        status=AssignmentStatus.INVITED,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
        proposed_by=coach,
    )
    _tell(
        teacher, _("%(name)s would like to work with you in Tandem.") % {"name": coach.display_name}
    )
    return assignment


@transaction.atomic
def propose_assignment(
    *,
    acting_user: User,
    coach: User,
    teacher: User,
    school: School,
    specialty: str,
    subject: str = "",
    focus: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> CoachingAssignment:
    """A school leader or district administrator proposes a pairing to the teacher."""
    if not roles_of(acting_user).manages_school(
        school_id=school.pk, district_id=school.district_id
    ):
        raise PermissionDenied
    _check_pair(school=school, coach=coach, teacher=teacher, specialty=specialty)
    assignment = _create(
        district_id=school.district_id,
        school=school,
        coach=coach,
        teacher=teacher,
        specialty=specialty,
        subject=subject,
        focus=focus,
        status=AssignmentStatus.PROPOSED,
        starts_on=starts_on or timezone.localdate(),
        ends_on=ends_on,
        proposed_by=acting_user,
    )
    _tell(
        teacher,
        _("You have been offered a coach in Tandem: %(name)s.") % {"name": coach.display_name},
    )
    return assignment


RESPONSES = {
    "accept": AssignmentStatus.ACTIVE,
    "talk_first": AssignmentStatus.TALK_FIRST,
    "decline": AssignmentStatus.DECLINED,
}


@transaction.atomic
def respond_to_assignment(
    *, assignment: CoachingAssignment, teacher: User, answer: str
) -> CoachingAssignment:
    """The teacher accepts, asks to talk first, or declines. Only she may answer."""
    if assignment.teacher_id != teacher.pk:
        raise PermissionDenied
    if answer not in RESPONSES:
        raise ValidationError(_("Answer accept, talk_first or decline."))
    if assignment.status not in (
        AssignmentStatus.INVITED,
        AssignmentStatus.PROPOSED,
        AssignmentStatus.TALK_FIRST,
    ):
        raise ValidationError(_("This invitation has already been answered."))
    assignment.status = RESPONSES[answer]
    assignment.responded_at = timezone.now()
    if answer == "accept" and assignment.starts_on < timezone.localdate():
        assignment.starts_on = timezone.localdate()
        if assignment.ends_on and assignment.ends_on < assignment.starts_on:
            assignment.ends_on = None
    assignment.save(update_fields=["status", "responded_at", "starts_on", "ends_on"])
    _tell(
        assignment.coach,
        _("%(name)s answered your invitation — open Tandem.") % {"name": teacher.display_name},
    )
    return assignment


def may_end(user: User, assignment: CoachingAssignment) -> bool:
    """The teacher, the coach, or a leader of the school may end an assignment."""
    if user.pk in (assignment.teacher_id, assignment.coach_id):
        return True
    return roles_of(user).manages_school(
        school_id=assignment.school_id, district_id=assignment.district_id
    )


@transaction.atomic
def end_assignment(*, assignment: CoachingAssignment, acting_user: User) -> CoachingAssignment:
    """End it now: the coach loses access on the very next request."""
    if not may_end(acting_user, assignment):
        raise PermissionDenied
    if assignment.status in (AssignmentStatus.ENDED, AssignmentStatus.DECLINED):
        return assignment
    now = timezone.now()
    today = timezone.localdate()
    assignment.status = AssignmentStatus.ENDED
    assignment.ended_at = now
    assignment.ended_by = acting_user
    if assignment.starts_on > today:
        assignment.starts_on = today
    assignment.ends_on = today
    assignment.save(update_fields=["status", "ended_at", "ended_by", "starts_on", "ends_on"])
    # Shares belong to the assignment: they end with it, in the same transaction.
    end_shares(assignment=assignment, acting_user=acting_user)
    return assignment


def _tell(user: User, line: str) -> None:
    """A short e-mail with no coaching content in it: just a pointer to Tandem."""
    transaction.on_commit(
        lambda: send_mail(
            subject=_("[Tandem] %(line)s") % {"line": line},
            message=line + "\n\n" + _("Sign in to Tandem to read it."),
            from_email=None,
            recipient_list=[user.email],
            fail_silently=True,
        )
    )


@transaction.atomic
def invite_staff(
    *,
    acting_user: User,
    email: str,
    display_name: str,
    role: str,
    school: School | None,
    specialty: str = "",
    subject: str = "",
    base_url: str = "http://127.0.0.1:8000/",
) -> tuple[StaffInvitation, str]:
    """A district administrator invites a person by e-mail; returns the invitation and its key.

    The key travels only in the e-mail (sent once the transaction commits); the
    database keeps its digest.
    """
    roles = roles_of(acting_user)
    if not roles.district_admin:
        raise PermissionDenied
    email = email.strip().lower()
    if role == Role.DISTRICT_ADMIN:
        school = None
    elif school is None or school.district_id != roles.district_id:
        raise ValidationError(_("Choose the school this person works at."))
    if role == Role.COACH and not specialty:
        raise ValidationError(_("Choose what kind of coaching this coach offers."))
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and existing.district_id != roles.district_id:
        raise ValidationError(_("This e-mail address belongs to someone in another district."))
    raw = secrets.token_urlsafe(32)
    invitation = StaffInvitation.objects.create(
        district_id=roles.district,
        school=school,
        email=email,
        display_name=display_name.strip(),
        role=role,
        specialty=specialty if role == Role.COACH else "",
        subject=subject,
        key_digest=hash_invitation_key(raw),
        invited_by=acting_user,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    _send_staff_invitation(invitation=invitation, raw_key=raw, base_url=base_url)
    return invitation, raw


def _send_staff_invitation(*, invitation: StaffInvitation, raw_key: str, base_url: str) -> None:
    link = base_url.rstrip("/") + reverse("invitation_accept", args=[raw_key])
    body = _(
        "%(inviter)s invited you to Tandem, where your school's coaching happens.\n\n"
        "Open this link within 14 days to set your password and sign in:\n%(link)s\n"
    ) % {"inviter": invitation.invited_by.display_name, "link": link}
    transaction.on_commit(
        lambda: send_mail(
            subject=_("[Tandem] You are invited to join %(district)s")
            % {"district": invitation.district.name},
            message=body,
            from_email=None,
            recipient_list=[invitation.email],
        )
    )


def find_invitation(raw_key: str) -> StaffInvitation | None:
    invitation = (
        StaffInvitation.objects.select_related("district", "school")
        .filter(key_digest=hash_invitation_key(raw_key))
        .first()
    )
    if invitation is None or not invitation.is_usable():
        return None
    return invitation


@transaction.atomic
def accept_invitation(
    *, invitation: StaffInvitation, password: str | None, user: User | None = None
) -> User:
    """Create (or reuse) the person and give them the invited role, all or nothing."""
    from allauth.account.models import EmailAddress

    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable():
        raise ValidationError(_("This invitation has already been used or has expired."))
    if user is None:
        user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User.objects.create_user(
            invitation.email,
            password,
            display_name=invitation.display_name,
            district=invitation.district,
        )
    elif user.district_id != invitation.district_id:
        raise ValidationError(_("This e-mail address belongs to someone in another district."))
    # The link reached this address, so the address is verified.
    EmailAddress.objects.update_or_create(
        user=user, email=invitation.email, defaults={"verified": True, "primary": True}
    )
    membership, _created = Membership.objects.get_or_create(
        user=user,
        district_id=invitation.district_id,
        school=invitation.school,
        role=invitation.role,
    )
    if invitation.specialty:
        CoachSpecialty.objects.get_or_create(
            membership=membership, specialty=invitation.specialty, subject=invitation.subject
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user
