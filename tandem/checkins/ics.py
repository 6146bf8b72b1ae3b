"""Check-ins and coaching sessions as iCalendar, with no coaching content.

The feed lists each occurrence as its own VEVENT (expanded, not RRULE + EXDATE):
a skipped date is simply absent, a moved one is at its new time, and calendar
clients, which disagree on recurrence corner cases, have nothing to expand.
Times are written in UTC, so no client misreads them across a daylight-saving
change; the expansion itself happened in the series' zone (recurrence.py).
Coaching sessions come from `coaching.ics`, the same VEVENT as their invitations.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tandem.accounts.models import User
from tandem.coaching import ics as coaching_ics
from tandem.coaching.models import CoachingSession, SessionStatus

from .models import CheckIn, CheckInSeries


def uid(checkin: CheckIn) -> str:
    return f"{checkin.uuid}@tandem"


def checkin_event(checkin: CheckIn) -> Event:
    """One occurrence: "Coaches' check-in", the school, the place, the link; no agenda."""
    event = Event()
    event.add("uid", uid(checkin))
    event.add("sequence", checkin.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", checkin.starts_at.astimezone(datetime.UTC))
    event.add("dtend", checkin.ends_at.astimezone(datetime.UTC))
    event.add("summary", _("Coaches' check-in"))
    link = settings.TANDEM_BASE_URL + checkin.get_absolute_url()
    event.add(
        "description",
        _("%(school)s coaches' check-in. Open it in Tandem: %(url)s")
        % {"school": checkin.series.school.name, "url": link},
    )
    if checkin.series.place:
        event.add("location", checkin.series.place)
    event.add("url", link)
    event.add("status", "CANCELLED" if checkin.skipped else "CONFIRMED")
    return event


def session_event(session: CoachingSession, viewer: User) -> Event:
    """The coaching session's VEVENT as its invitation has it, titled with whom it is."""
    found = Calendar.from_ical(coaching_ics.invitation(session, viewer=viewer, method="PUBLISH"))
    event = Event(next(iter(found.walk("VEVENT"))))
    event["summary"] = _("Coaching session with %(name)s") % {
        "name": coaching_ics.others(session, viewer)
    }
    return event


def feed(user: User) -> bytes:
    """Her check-ins and her coaching sessions (scheduled or held) as one calendar."""
    calendar = Calendar()
    calendar.add("prodid", "-//Tandem//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Tandem"))
    series = CheckInSeries.objects.for_member(user)
    checkins = (
        CheckIn.objects.filter(series__in=series, skipped=False)
        .select_related("series__school")
        .order_by("starts_at", "id")
    )
    for checkin in checkins:
        calendar.add_component(checkin_event(checkin))
    sessions = (
        CoachingSession.objects.visible_to(user)
        .of_person(user)
        .filter(status__in=[SessionStatus.SCHEDULED, SessionStatus.HELD])
        .select_related("coach", "teacher")
        .order_by("starts_at", "id")
    )
    for session in sessions:
        calendar.add_component(session_event(session, user))
    return calendar.to_ical()


def series_calendar(checkins: list[CheckIn]) -> bytes:
    """These check-ins as one PUBLISH calendar, for the e-mail invitations."""
    calendar = Calendar()
    calendar.add("prodid", "-//Tandem//Check-ins//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for checkin in checkins:
        calendar.add_component(checkin_event(checkin))
    return calendar.to_ical()
