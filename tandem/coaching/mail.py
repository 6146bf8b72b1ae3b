"""E-mails about coaching sessions: invitations (.ics), cancellations and reminders.

None carries coaching content (DESIGN.md: "E-mails and calendar feeds carry no
coaching content"): a kind-neutral "coaching session", the other person's name,
the place, the time in the district's time zone, and the Tandem address. Each
is written in its reader's language.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem.accounts.models import User

from . import ics
from .models import CoachingSession


@contextmanager
def as_reader(user: User, session: CoachingSession) -> Iterator[None]:
    """Her language, and the session's district's time zone."""
    try:
        zone = zoneinfo.ZoneInfo(session.district.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = timezone.get_default_timezone()
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(zone):
        yield


def when(session: CoachingSession) -> str:
    """The day and times in the current zone: "Monday, Nov. 3, 2025, 10 a.m. to 10:45 a.m."."""
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return _("%(day)s, %(start)s to %(end)s (%(zone)s)") % {
        "day": f"{date_format(start, 'l')}, {date_format(start, 'DATE_FORMAT')}",
        "start": date_format(start, "TIME_FORMAT"),
        "end": date_format(end, "TIME_FORMAT"),
        "zone": timezone.get_current_timezone_name(),
    }


def _body(session: CoachingSession, reader: User, first_line: str) -> str:
    lines = [first_line, "", _("When: %(when)s") % {"when": when(session)}]
    if session.place:
        lines.append(_("Where: %(place)s") % {"place": session.place})
    lines += ["", _("Open it in Tandem: %(url)s") % {"url": ics.link(session)}]
    return "\n".join(lines) + "\n"


def _calendar_part(session: CoachingSession, reader: User, method: ics.Method) -> MIMEText:
    part = MIMEText(ics.invitation(session, viewer=reader, method=method).decode(), "calendar")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def send_invitation(session: CoachingSession, *, to: User, method: ics.Method) -> None:
    """An invitation (REQUEST, also for a change) or a cancellation (CANCEL), with its .ics."""
    with as_reader(to, session):
        partner = ics.others(session, to)
        if method == "CANCEL":
            subject = _("Cancelled: coaching session with %(name)s") % {"name": partner}
            first = _("%(name)s cancelled your coaching session.") % {"name": partner}
        elif session.sequence:
            subject = _("Changed: coaching session with %(name)s") % {"name": partner}
            first = _("Your coaching session with %(name)s has a new time or place.") % {
                "name": partner
            }
        else:
            subject = _("Coaching session with %(name)s") % {"name": partner}
            first = _("%(name)s planned a coaching session with you.") % {"name": partner}
        message = EmailMessage(
            subject=_("[Tandem] %(line)s") % {"line": subject},
            body=_body(session, to, first),
            to=[to.email],
        )
        message.attach(_calendar_part(session, to, method))
    # Sent after the commit: a mail server that is down must not turn a saved change into
    # an error page (the notification in Tandem is already written). Reminders, by
    # contrast, raise, so their run leaves them due and tries again.
    message.send(fail_silently=True)


def send_reminder(session: CoachingSession, *, to: User) -> None:
    with as_reader(to, session):
        partner = ics.others(session, to)
        message = EmailMessage(
            subject=_("[Tandem] Reminder: coaching session with %(name)s") % {"name": partner},
            body=_body(
                session,
                to,
                _("A reminder: you have a coaching session with %(name)s.") % {"name": partner},
            ),
            to=[to.email],
        )
    message.send(fail_silently=False)


def reminder_line(session: CoachingSession, reader: User) -> str:
    """The in-app reminder, in her language: no coaching content either."""
    with as_reader(reader, session):
        return _("Reminder: coaching session with %(name)s, %(when)s") % {
            "name": ics.others(session, reader),
            "when": when(session),
        }


def change_line(session: CoachingSession, reader: User, method: ics.Method) -> str:
    with as_reader(reader, session):
        partner = ics.others(session, reader)
        if method == "CANCEL":
            return _("%(name)s cancelled your coaching session of %(when)s") % {
                "name": partner,
                "when": when(session),
            }
        return _("Coaching session with %(name)s: %(when)s") % {
            "name": partner,
            "when": when(session),
        }
