"""Coaching sessions and suggestions of the cast, in one line each."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tandem.accounts.models import User
from tandem.coaching import services
from tandem.coaching.models import CoachingSession, SessionKind, Suggestion

from ..cast import Cast

SECRET = "PLANTED-SECRET-7f3a: Maya worries about period 3"


def session(
    cast: Cast,
    *,
    coach: User | None = None,
    teacher: User | None = None,
    by: User | None = None,
    starts_in: datetime.timedelta = datetime.timedelta(days=3),
    kind: str = SessionKind.MODELING,
    **fields: Any,
) -> CoachingSession:
    """A session of Maya's with Lena (or these two), planned by the coach, without e-mails."""
    coach = coach or cast.lena
    teacher = teacher or cast.maya
    fields.setdefault("invite", False)
    return services.schedule_session(
        acting_user=by or coach,
        teacher=teacher,
        coach=coach,
        kind=kind,
        starts_at=timezone.now() + starts_in,
        duration_minutes=fields.pop("duration_minutes", 45),
        place=fields.pop("place", "Room 12"),
        **fields,
    )


def held(
    cast: Cast,
    *,
    ago: datetime.timedelta = datetime.timedelta(hours=2),
    notes: str = SECRET,
    **fields: Any,
) -> CoachingSession:
    """A session that took place, with notes holding a planted secret."""
    made = session(cast, starts_in=-ago, **fields)
    return services.record_held(session=made, acting_user=made.coach, notes=notes)


def suggestion(cast: Cast, *, coach: User | None = None, text: str = SECRET) -> Suggestion:
    return services.give_suggestion(coach=coach or cast.lena, teacher=cast.maya, text=text)
