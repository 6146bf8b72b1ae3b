"""Writes for coaching sessions and suggestions: keyword-only functions, one transaction each."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.notifications.services import notify
from tandem.privacy.authoring import check_author, is_active_coach
from tandem.privacy.categories import Category
from tandem.privacy.services import share_item
from tandem.schools.models import Engagement

from . import ics, mail
from .models import (
    CoachingSession,
    SessionKind,
    SessionStatus,
    Suggestion,
    SuggestionStatus,
)


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
    invite: bool = True,
) -> CoachingSession:
    """A session of the teacher's with a coach who actively coaches her; either may plan it.

    With an engagement, its coach leads the session. The other person gets an
    invitation (.ics, no coaching content) and a notification, unless `invite` is
    False (the demo). A session the teacher plans outside any coaching work is
    shared with its coach, or the coach would not see the meeting she is in.
    """
    district_id = check_author(author=acting_user, teacher=teacher, engagement=engagement)
    if acting_user.pk not in {teacher.pk, coach.pk}:
        raise PermissionDenied
    if engagement is not None and engagement.coach_id != coach.pk:
        raise ValidationError(_("A session of this coaching work is led by its coach."))
    if coach.pk == teacher.pk or not is_active_coach(coach=coach, teacher=teacher):
        raise PermissionDenied
    if kind not in SessionKind.values:
        raise ValidationError(_("Choose a kind of session from the list."))
    _check_time(starts_at=starts_at, duration_minutes=duration_minutes, place=place)
    session = CoachingSession.objects.create(
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
    if acting_user.pk == teacher.pk and engagement is None:
        share_item(item=session, coach=coach, acting_user=acting_user)
    if invite:
        _tell_partner(session, acting_user=acting_user, method="REQUEST")
    _ensure_reminders()
    return session


def _check_time(*, starts_at: datetime.datetime, duration_minutes: int, place: str) -> None:
    if timezone.is_naive(starts_at):
        raise ValidationError(_("Give the time of the session."))
    if not 5 <= duration_minutes <= 600:
        raise ValidationError(_("A session lasts between 5 minutes and 10 hours."))
    if len(place.strip()) > 200:
        raise ValidationError(_("Say where in at most 200 characters."))


def _tell_partner(session: CoachingSession, *, acting_user: User, method: ics.Method) -> None:
    """The other participant gets the invitation by e-mail and a notification in Tandem, once
    the change is saved. Neither carries coaching content."""
    partner = session.partner_of(acting_user)
    if partner.pk == acting_user.pk:
        return
    notify(
        user=partner,
        text=mail.change_line(session, partner, method),
        url=session.get_absolute_url(),
    )
    transaction.on_commit(lambda: mail.send_invitation(session, to=partner, method=method))


def _ensure_reminders() -> None:
    from . import schedule

    transaction.on_commit(schedule.ensure_scheduled)


def _check_change(session: CoachingSession, acting_user: User) -> None:
    if not session.can_change(acting_user):
        raise PermissionDenied


@transaction.atomic
def reschedule_session(
    *,
    session: CoachingSession,
    acting_user: User,
    starts_at: datetime.datetime,
    duration_minutes: int,
    place: str,
) -> CoachingSession:
    """A new time, length or place for a scheduled session: SEQUENCE rises, the reminder is
    due again, and the other person gets the updated invitation."""
    _check_change(session, acting_user)
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(_("Only a scheduled session can be moved."))
    _check_time(starts_at=starts_at, duration_minutes=duration_minutes, place=place)
    place = place.strip()
    if (session.starts_at, session.duration_minutes, session.place) == (
        starts_at,
        duration_minutes,
        place,
    ):
        return session
    session.starts_at, session.duration_minutes, session.place = starts_at, duration_minutes, place
    session.sequence += 1
    session.reminder_sent_at = None
    session.updated_at = timezone.now()
    session.save(
        update_fields=[
            "starts_at",
            "duration_minutes",
            "place",
            "sequence",
            "reminder_sent_at",
            "updated_at",
        ]
    )
    _tell_partner(session, acting_user=acting_user, method="REQUEST")
    _ensure_reminders()
    return session


@transaction.atomic
def record_held(
    *, session: CoachingSession, acting_user: User, notes: str, now: datetime.datetime | None = None
) -> CoachingSession:
    """The session took place: its notes (also to correct the notes of a held session)."""
    _check_change(session, acting_user)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("A cancelled session cannot be recorded as held."))
    if session.starts_at > (now or timezone.now()):
        raise ValidationError(
            _(
                "This session is planned for a later time: it can be recorded as held once "
                "it has started. To change its time, reschedule it."
            )
        )
    if len(notes) > 20_000:
        raise ValidationError(_("Notes hold at most 20,000 characters."))
    session.status = SessionStatus.HELD
    session.notes = notes.strip()
    session.updated_at = timezone.now()
    session.save(update_fields=["status", "notes", "updated_at"])
    return session


@transaction.atomic
def cancel_session(*, session: CoachingSession, acting_user: User) -> CoachingSession:
    """Call a scheduled session off: the other person's calendar drops it (METHOD:CANCEL)."""
    _check_change(session, acting_user)
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(_("Only a scheduled session can be cancelled."))
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    session.updated_at = timezone.now()
    session.save(update_fields=["status", "sequence", "updated_at"])
    _tell_partner(session, acting_user=acting_user, method="CANCEL")
    return session


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """One reminder to each participant of every scheduled session starting within
    TANDEM_REMINDER_HOURS: an e-mail and a notification, neither with coaching content.

    Idempotent and retry-safe: each session is claimed (`reminder_sent_at`) and its
    messages sent in one transaction, so a failed send leaves it due for the next run, and
    a session already reminded is never reminded again — until it is rescheduled.
    """
    from django.conf import settings

    now = now or timezone.now()
    due = list(
        CoachingSession.objects.due_for_reminder(
            now=now, hours=settings.TANDEM_REMINDER_HOURS
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            claimed = (
                CoachingSession.objects.due_for_reminder(
                    now=now, hours=settings.TANDEM_REMINDER_HOURS
                )
                .filter(pk=pk)
                .update(reminder_sent_at=now)
            )
            if not claimed:
                continue  # another run got there first
            session = CoachingSession.objects.select_related("teacher", "coach", "district").get(
                pk=pk
            )
            for person in (session.teacher, session.coach):
                notify(
                    user=person,
                    text=mail.reminder_line(session, person),
                    url=session.get_absolute_url(),
                )
                mail.send_reminder(session, to=person)
            sent += 1
    return sent


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
    if len(text) > 2000:
        raise ValidationError(_("A suggestion holds at most 2,000 characters."))
    if session is not None and session.teacher_id != teacher.pk:
        raise ValidationError(_("That session is not this teacher's."))
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


@transaction.atomic
def set_suggestion_status(*, suggestion: Suggestion, acting_user: User, status: str) -> Suggestion:
    """The teacher says where she is with a suggestion: open, trying it, done, set aside."""
    if suggestion.teacher_id != acting_user.pk:
        raise PermissionDenied
    if status not in SuggestionStatus.values:
        raise ValidationError(_("Choose a status from the list."))
    if suggestion.status != status:
        suggestion.status = status
        suggestion.updated_at = timezone.now()
        suggestion.save(update_fields=["status", "updated_at"])
    return suggestion
