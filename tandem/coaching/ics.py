"""A coaching session as an iCalendar VEVENT (RFC 5545), with no coaching content in it.

What a calendar holds leaves Tandem: it is synced to phones, shown on shared
screens, read by assistants. So an invitation says only that there is a
coaching session (never its kind, its notes, a goal or a cycle title), with
whom, where, when, and the Tandem address that opens it — through the privacy
policy, like any other visit. The UID is stable per session; SEQUENCE rises at
every change of time or place and at cancellation, so calendars update the one
event. Times are written in UTC, which no calendar misreads across a change of
daylight-saving time.
"""

from __future__ import annotations

import datetime
from typing import Literal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from tandem.accounts.models import User

from .models import CoachingSession, SessionStatus

Method = Literal["REQUEST", "CANCEL", "PUBLISH"]


def uid(session: CoachingSession) -> str:
    return f"{session.uuid}@tandem"


def link(session: CoachingSession) -> str:
    return settings.TANDEM_BASE_URL + session.get_absolute_url()


def others(session: CoachingSession, viewer: User) -> str:
    """Whom the session is with, from this person's side."""
    if viewer.pk in {session.teacher_id, session.coach_id}:
        return session.partner_of(viewer).display_name
    return _("%(coach)s and %(teacher)s") % {
        "coach": session.coach.display_name,
        "teacher": session.teacher.display_name,
    }


def _person(user: User) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.display_name)
    return address


def invitation(session: CoachingSession, *, viewer: User, method: Method = "REQUEST") -> bytes:
    """The session as one VEVENT in a VCALENDAR, in the viewer's current language."""
    calendar = Calendar()
    calendar.add("prodid", "-//Tandem//Coaching sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    event.add("dtend", session.ends_at.astimezone(datetime.UTC))
    event.add("summary", _("Coaching session"))
    event.add(
        "description",
        _("Coaching session with %(with)s. Open it in Tandem: %(url)s")
        % {"with": others(session, viewer), "url": link(session)},
    )
    if session.place:
        event.add("location", session.place)
    event.add("url", link(session))
    cancelled = method == "CANCEL" or session.status == SessionStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _person(session.coach))
    attendee = _person(session.teacher)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()
