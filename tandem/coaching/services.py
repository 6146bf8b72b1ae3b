"""Writes for coaching sessions and suggestions: keyword-only functions, one transaction each."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.privacy.authoring import check_author, is_active_coach
from tandem.privacy.categories import Category
from tandem.schools.models import Engagement

from .models import CoachingSession, SessionKind, SessionStatus, Suggestion


@transaction.atomic
def schedule_session(
    *,
    acting_user: User,
    teacher: User,
    coach: User,
    kind: str,
    starts_at: datetime.datetime,
    duration_minutes: int = 45,
    place: str = "",
    engagement: Engagement | None = None,
) -> CoachingSession:
    """A session of the teacher's with a coach who actively coaches her; either may plan it.

    With an engagement, its coach leads the session.
    """
    district_id = check_author(author=acting_user, teacher=teacher, engagement=engagement)
    if engagement is not None and engagement.coach_id != coach.pk:
        raise ValidationError(_("A session of this coaching work is led by its coach."))
    if coach.pk == teacher.pk or not is_active_coach(coach=coach, teacher=teacher):
        raise PermissionDenied
    if kind not in SessionKind.values:
        raise ValidationError(_("Choose a kind of session from the list."))
    if not 5 <= duration_minutes <= 600:
        raise ValidationError(_("A session lasts between 5 minutes and 10 hours."))
    return CoachingSession.objects.create(
        district_id=district_id,
        teacher=teacher,
        author=acting_user,
        category=Category.NOTES,
        engagement=engagement,
        coach=coach,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        status=SessionStatus.SCHEDULED,
    )


@transaction.atomic
def give_suggestion(
    *,
    coach: User,
    teacher: User,
    text: str,
    engagement: Engagement | None = None,
    cycle_id: int | None = None,
    goal_id: int | None = None,
    session: CoachingSession | None = None,
    given_on: datetime.date | None = None,
) -> Suggestion:
    """A coach's suggestion or next step to a teacher she actively coaches."""
    if coach.pk == teacher.pk:
        raise PermissionDenied
    district_id = check_author(author=coach, teacher=teacher, engagement=engagement)
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the suggestion."))
    return Suggestion.objects.create(
        district_id=district_id,
        teacher=teacher,
        author=coach,
        category=Category.SUGGESTIONS,
        engagement=engagement,
        text=text,
        cycle_id=cycle_id,
        goal_id=goal_id,
        session=session,
        given_on=given_on or timezone.localdate(),
    )
