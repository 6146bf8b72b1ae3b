"""Who may write coaching content for a teacher: the checks every creation service shares."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.schools.models import CoachingAssignment, Engagement


def district_of(user: User) -> int:
    """The person's district: everyone who writes or reads coaching content has one."""
    if user.district_id is None:
        raise PermissionDenied
    return user.district_id


def is_active_coach(*, coach: User, teacher: User) -> bool:
    return CoachingAssignment.objects.active().filter(coach=coach, teacher=teacher).exists()


def check_author(*, author: User, teacher: User, engagement: Engagement | None) -> int:
    """The teacher writes for herself; a coach for a teacher she actively coaches.

    An engagement, when given, is the teacher's; a coach files only into her own.
    Returns the district the new item belongs to.
    """
    district_id = district_of(author)
    if district_id != teacher.district_id:
        raise PermissionDenied
    if author.pk != teacher.pk and not is_active_coach(coach=author, teacher=teacher):
        raise PermissionDenied
    if engagement is None:
        return district_id
    if engagement.teacher_id != teacher.pk or engagement.district_id != district_id:
        raise ValidationError(_("That coaching work is not this teacher's."))
    if author.pk != teacher.pk and engagement.coach_id != author.pk:
        raise ValidationError(_("You can add only to coaching work you lead."))
    return district_id
