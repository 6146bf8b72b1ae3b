"""E-mail invitations to a check-in series, each with an .ics of its dates.

Like the coaching sessions' invitations (coaching/mail.py): no coaching content,
the reader's language, the series' time zone, sent after the commit and never
turning a saved series into an error page.
"""

from __future__ import annotations

import zoneinfo
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem.accounts.models import User

from . import ics
from .models import CheckInSeries


def send_invitation(series: CheckInSeries, *, to: User) -> None:
    language = to.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(series.time_zone)):
        dates = [c for c in series.checkins.order_by("starts_at") if not c.skipped]
        when = ", ".join(
            date_format(timezone.localtime(c.starts_at), "DATETIME_FORMAT") for c in dates[:3]
        )
        body = "\n".join(
            [
                _('You are invited to the %(school)s coaches\' check-in, "%(title)s".')
                % {"school": series.school.name, "title": series.title},
                "",
                _("First dates: %(when)s (%(zone)s)") % {"when": when, "zone": series.time_zone},
                _("Where: %(place)s") % {"place": series.place} if series.place else "",
                "",
                _("Open it in Tandem: %(url)s")
                % {"url": settings.TANDEM_BASE_URL + series.get_absolute_url()},
            ]
        )
        message = EmailMessage(
            subject=_("[Tandem] %(line)s") % {"line": _("Coaches' check-in")},
            body=body + "\n",
            to=[to.email],
        )
        part = MIMEText(ics.series_calendar(dates).decode(), "calendar")
        part.set_param("method", "PUBLISH")
        part.add_header("Content-Disposition", "attachment", filename="check-in.ics")
        message.attach(part)
    message.send(fail_silently=True)
