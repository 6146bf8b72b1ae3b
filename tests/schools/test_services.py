"""Partnership starts with choice: invitations, proposals, answers and endings."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.schools import services
from tandem.schools.models import AssignmentStatus, CoachingAssignment, Role, Specialty

from .. import factories as f
from ..cast import Cast

pytestmark = pytest.mark.django_db(transaction=False)


def _new_teacher(cast: Cast):
    return f.teacher(cast.jefferson, "Ben Carter")


def test_coach_invitation_waits_for_the_teacher_and_grants_nothing_yet(cast: Cast) -> None:
    ben = _new_teacher(cast)
    invitation = services.invite_teacher(
        coach=cast.nia,
        teacher=ben,
        school=cast.jefferson,
        specialty=Specialty.INSTRUCTIONAL,
        message="Shall we work together?",
    )
    assert invitation.status == AssignmentStatus.INVITED
    assert not CoachingAssignment.objects.active().filter(pk=invitation.pk).exists()


def test_invitation_email_says_who_invited_and_nothing_else(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    ben = _new_teacher(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_teacher(
            coach=cast.nia,
            teacher=ben,
            school=cast.jefferson,
            specialty=Specialty.INSTRUCTIONAL,
            message="private words",
        )
    assert len(mail.outbox) == 1
    assert "Nia Patel" in mail.outbox[0].subject
    assert "private words" not in mail.outbox[0].body


def test_teacher_accepting_makes_the_partnership_active_today(cast: Cast) -> None:
    ben = _new_teacher(cast)
    invitation = services.invite_teacher(
        coach=cast.nia,
        teacher=ben,
        school=cast.jefferson,
        specialty=Specialty.INSTRUCTIONAL,
        starts_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    services.respond_to_assignment(assignment=invitation, teacher=ben, answer="accept")
    invitation.refresh_from_db()
    assert invitation.is_active()
    assert invitation.starts_on == timezone.localdate()


@pytest.mark.parametrize(
    ("answer", "status"), [("talk_first", "talk_first"), ("decline", "declined")]
)
def test_teacher_may_ask_to_talk_first_or_decline(cast: Cast, answer: str, status: str) -> None:
    ben = _new_teacher(cast)
    invitation = services.invite_teacher(
        coach=cast.nia, teacher=ben, school=cast.jefferson, specialty=Specialty.INSTRUCTIONAL
    )
    services.respond_to_assignment(assignment=invitation, teacher=ben, answer=answer)
    invitation.refresh_from_db()
    assert invitation.status == status
    assert not invitation.is_active()


def test_only_the_teacher_may_answer_an_invitation(cast: Cast) -> None:
    ben = _new_teacher(cast)
    invitation = services.invite_teacher(
        coach=cast.nia, teacher=ben, school=cast.jefferson, specialty=Specialty.INSTRUCTIONAL
    )
    for someone in (cast.nia, cast.dana, cast.priya):
        with pytest.raises(PermissionDenied):
            services.respond_to_assignment(assignment=invitation, teacher=someone, answer="accept")
    invitation.refresh_from_db()
    assert invitation.status == AssignmentStatus.INVITED


def test_an_answered_invitation_cannot_be_answered_again(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="already been answered"):
        services.respond_to_assignment(
            assignment=cast.lena_maya, teacher=cast.maya, answer="decline"
        )


def test_coach_cannot_invite_at_a_school_where_she_does_not_coach(cast: Cast) -> None:
    lincoln_teacher = f.teacher(cast.lincoln)
    with pytest.raises(PermissionDenied):
        services.invite_teacher(
            coach=cast.lena,
            teacher=lincoln_teacher,
            school=cast.lincoln,
            specialty=Specialty.INSTRUCTIONAL,
        )


def test_coach_cannot_invite_a_teacher_from_another_district(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="must belong to this district"):
        services.invite_teacher(
            coach=cast.lena,
            teacher=cast.hilda,
            school=cast.jefferson,
            specialty=Specialty.INSTRUCTIONAL,
        )
    assert not CoachingAssignment.objects.filter(teacher=cast.hilda, coach=cast.lena).exists()


def test_coach_cannot_offer_a_specialty_she_does_not_have(cast: Cast) -> None:
    ben = _new_teacher(cast)
    with pytest.raises(ValidationError, match="does not offer this kind of coaching"):
        services.invite_teacher(
            coach=cast.nia, teacher=ben, school=cast.jefferson, specialty=Specialty.TECHNOLOGY
        )


def test_a_second_open_invitation_for_the_same_pair_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="already work together"):
        services.invite_teacher(
            coach=cast.lena,
            teacher=cast.maya,
            school=cast.jefferson,
            specialty=Specialty.INSTRUCTIONAL,
        )
    assert CoachingAssignment.objects.filter(coach=cast.lena, teacher=cast.maya).count() == 1


def test_principal_is_never_assigned_as_a_coach_in_her_own_school(cast: Cast) -> None:
    # Dana is also registered as a coach at Jefferson (say, she used to coach).
    f.coach(cast.jefferson, Specialty.INSTRUCTIONAL, user=cast.dana)
    with pytest.raises(ValidationError, match="never coaches in her own school"):
        services.propose_assignment(
            acting_user=cast.priya,
            coach=cast.dana,
            teacher=cast.maya,
            school=cast.jefferson,
            specialty=Specialty.INSTRUCTIONAL,
        )


def test_principal_proposes_a_coach_and_the_teacher_still_decides(cast: Cast) -> None:
    ben = _new_teacher(cast)
    proposal = services.propose_assignment(
        acting_user=cast.dana,
        coach=cast.nia,
        teacher=ben,
        school=cast.jefferson,
        specialty=Specialty.INSTRUCTIONAL,
    )
    assert proposal.status == AssignmentStatus.PROPOSED
    assert proposal.proposed_by == cast.dana
    assert not proposal.is_active()


def test_principal_cannot_propose_at_another_school(cast: Cast) -> None:
    lincoln_teacher = f.teacher(cast.lincoln)
    with pytest.raises(PermissionDenied):
        services.propose_assignment(
            acting_user=cast.dana,
            coach=cast.ruth,
            teacher=lincoln_teacher,
            school=cast.lincoln,
            specialty=Specialty.INSTRUCTIONAL,
        )


def test_coach_cannot_propose_assignments(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.propose_assignment(
            acting_user=cast.lena,
            coach=cast.nia,
            teacher=cast.maya,
            school=cast.jefferson,
            specialty=Specialty.INSTRUCTIONAL,
        )


def test_ending_an_assignment_takes_effect_at_once(cast: Cast) -> None:
    services.end_assignment(assignment=cast.lena_maya, acting_user=cast.dana)
    cast.lena_maya.refresh_from_db()
    assert cast.lena_maya.status == AssignmentStatus.ENDED
    assert cast.lena_maya.ended_by == cast.dana
    assert not CoachingAssignment.objects.active().filter(pk=cast.lena_maya.pk).exists()


@pytest.mark.parametrize("who", ["maya", "lena", "dana", "priya"])
def test_teacher_coach_and_leaders_may_end_an_assignment(cast: Cast, who: str) -> None:
    services.end_assignment(assignment=cast.lena_maya, acting_user=getattr(cast, who))
    cast.lena_maya.refresh_from_db()
    assert cast.lena_maya.status == AssignmentStatus.ENDED


@pytest.mark.parametrize("who", ["omar", "nia", "ruth", "henry", "otto"])
def test_others_may_not_end_an_assignment(cast: Cast, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.end_assignment(assignment=cast.lena_maya, acting_user=getattr(cast, who))
    cast.lena_maya.refresh_from_db()
    assert cast.lena_maya.status == AssignmentStatus.ACTIVE


def test_an_assignment_not_yet_started_is_not_active(cast: Cast) -> None:
    later = f.assign(
        cast.nia,
        f.teacher(cast.jefferson),
        cast.jefferson,
        starts_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    assert not later.is_active()
    assert not CoachingAssignment.objects.active().filter(pk=later.pk).exists()


def test_an_assignment_past_its_end_date_is_not_active(cast: Cast) -> None:
    cast.lena_maya.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    cast.lena_maya.save()
    assert not cast.lena_maya.is_active()
    assert not CoachingAssignment.objects.active().filter(pk=cast.lena_maya.pk).exists()


def test_staff_invitation_creates_the_person_with_a_verified_address_and_role(
    cast: Cast,
) -> None:
    from allauth.account.models import EmailAddress

    invitation, raw = services.invite_staff(
        acting_user=cast.priya,
        email="New.Coach@MapleValley.example",
        display_name="Ivy Chen",
        role=Role.COACH,
        school=cast.lincoln,
        specialty=Specialty.TECHNOLOGY,
    )
    assert services.find_invitation(raw) == invitation
    user = services.accept_invitation(invitation=invitation, password="a-good-long-password")
    assert user.email == "new.coach@maplevalley.example"
    assert user.district == cast.maple
    assert user.check_password("a-good-long-password")
    assert EmailAddress.objects.get(user=user).verified
    membership = user.memberships.get()
    assert (membership.role, membership.school) == (Role.COACH, cast.lincoln)
    assert membership.specialties.get().specialty == Specialty.TECHNOLOGY
    assert services.find_invitation(raw) is None


def test_an_invitation_cannot_be_used_twice(cast: Cast) -> None:
    invitation, _raw = services.invite_staff(
        acting_user=cast.priya,
        email="ivy@maplevalley.example",
        display_name="Ivy Chen",
        role=Role.TEACHER,
        school=cast.lincoln,
    )
    services.accept_invitation(invitation=invitation, password="a-good-long-password")
    with pytest.raises(ValidationError, match="already been used or has expired"):
        services.accept_invitation(invitation=invitation, password="another-long-password")


def test_an_expired_invitation_is_not_found(cast: Cast) -> None:
    invitation, raw = services.invite_staff(
        acting_user=cast.priya,
        email="ivy@maplevalley.example",
        display_name="Ivy Chen",
        role=Role.TEACHER,
        school=cast.lincoln,
    )
    invitation.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    invitation.save()
    assert services.find_invitation(raw) is None


def test_only_district_admins_invite_staff(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.invite_staff(
            acting_user=cast.dana,
            email="x@maplevalley.example",
            display_name="X",
            role=Role.TEACHER,
            school=cast.jefferson,
        )


def test_an_admin_cannot_invite_into_another_districts_school(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        services.invite_staff(
            acting_user=cast.priya,
            email="x@maplevalley.example",
            display_name="X",
            role=Role.TEACHER,
            school=cast.ridgeway,
        )


def test_an_admin_cannot_invite_someone_who_belongs_to_another_district(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="another district"):
        services.invite_staff(
            acting_user=cast.priya,
            email=cast.hilda.email,
            display_name="Hilda",
            role=Role.TEACHER,
            school=cast.jefferson,
        )
