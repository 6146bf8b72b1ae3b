"""The demo's coaching sessions and suggestions, told as DESIGN.md's story.

Maya's log: Lena modeled wait time in her class and they debriefed (both held,
with notes), their next conversation is in two days; Omar co-teaches with her
later this week; Sam observed a lesson. Her suggestions come from Lena, Omar,
Sam and Grace, side by side, in every status. In Hillview, Henry has one held
session with a teacher of his. Everything goes through the services (with no
e-mails: `invite=False`), as the pages would.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from tandem.accounts.models import User
from tandem.schools.models import CoachingAssignment, District, Engagement

from . import services
from .models import CoachingSession, SessionKind, SuggestionStatus


def _at(days: int, hour: int) -> datetime.datetime:
    """A day relative to today, at a given hour in the district's time zone."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build(maple: District, hillview: District, *, term_start: datetime.date) -> None:
    """Write the demo's sessions and suggestions. Called by `schools.demo.build`."""
    people = {u.display_name: u for u in User.objects.filter(district__in=[maple, hillview])}
    maya, lena = people["Maya Torres"], people["Lena Brooks"]
    omar, sam, grace = people["Omar Haddad"], people["Sam Okafor"], people["Grace Kim"]
    cycle = Engagement.objects.filter(teacher=maya, coach=lena, closed_on__isnull=True).first()

    def plan(
        coach: User, kind: str, days: int, hour: int, place: str, minutes: int = 45
    ) -> CoachingSession:
        return services.schedule_session(
            acting_user=coach,
            teacher=maya,
            coach=coach,
            kind=kind,
            starts_at=_at(days, hour),
            duration_minutes=minutes,
            place=place,
            engagement=cycle if coach.pk == lena.pk else None,
            invite=False,
        )

    modeled = plan(lena, SessionKind.MODELING, -14, 10, "Room 12, period 3", minutes=50)
    services.record_held(
        session=modeled,
        acting_user=lena,
        notes="Lena modeled wait time during the math talk: three seconds after each "
        "question. Maya counted hands: 9 before, 17 after.",
    )
    debrief = plan(lena, SessionKind.CONVERSATION, -13, 15, "Room 12", minutes=30)
    services.record_held(
        session=debrief,
        acting_user=maya,
        notes="Maya will try wait time in periods 3 and 5 this week and count responses.",
    )
    observed = plan(sam, SessionKind.OBSERVATION, -6, 11, "Room 12", minutes=45)
    services.record_held(
        session=observed,
        acting_user=sam,
        notes="Sam watched the fractions lesson with the exit-ticket tool.",
    )
    plan(lena, SessionKind.CONVERSATION, 2, 15, "Room 12", minutes=30)
    plan(omar, SessionKind.CO_TEACHING, 4, 9, "Computer lab")

    for coach, text, status, session in [
        (lena, "Keep wait time at three seconds, and count responses.", "trying", debrief),
        (lena, "Ask students to explain a classmate's reasoning.", "open", None),
        (omar, "Use the shared slide deck so every group sees the prompt.", "done", None),
        (sam, "Start with a number talk on equivalent fractions.", "open", observed),
        (grace, "Protect one planning period a week for yourself.", "set_aside", None),
    ]:
        made = services.give_suggestion(
            coach=coach,
            teacher=maya,
            text=text,
            engagement=cycle if coach.pk == lena.pk else None,
            session=session,
        )
        if status != SuggestionStatus.OPEN:
            services.set_suggestion_status(suggestion=made, acting_user=maya, status=status)

    henry = people.get("Henry Vance")
    pair = CoachingAssignment.objects.active().filter(coach=henry).select_related("teacher")
    found = pair.first() if henry is not None else None
    coached = found.teacher if found is not None else None
    if henry is not None and coached is not None:
        visit = services.schedule_session(
            acting_user=henry,
            teacher=coached,
            coach=henry,
            kind=SessionKind.CONVERSATION,
            starts_at=_at(-3, 14),
            place="Ridgeway, room 4",
            invite=False,
        )
        services.record_held(session=visit, acting_user=henry, notes="First conversation.")
