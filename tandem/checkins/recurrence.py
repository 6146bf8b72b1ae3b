"""Recurrence rules from the simple form, expanded in the series' own time zone.

The rule is expanded on naive local date-times and each is then placed in the
zone, so a 9:00 meeting stays at 9:00 local on both sides of a daylight-saving
change (its UTC time moves by an hour). Only the plain forms calendar clients
agree on are built: FREQ=WEEKLY (INTERVAL 1 or 2) or MONTHLY with BYDAY, ending
with UNTIL or COUNT, and DTSTART always one of the rule's own dates.
"""

from __future__ import annotations

import datetime
import zoneinfo

from dateutil.rrule import rrulestr  # type: ignore[import-untyped,unused-ignore]  # no stubs
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import MAX_OCCURRENCES, Frequency

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def build(
    *, frequency: str, first_date: datetime.date, until: datetime.date | None, count: int | None
) -> str:
    """The RRULE text; a rule that never ends is refused."""
    if until is None and not count:
        raise ValidationError(
            _("A check-in series must end: give a last date or a number of meetings.")
        )
    if until is not None and count:
        raise ValidationError(_("Give a last date or a number of meetings, not both."))
    day = DAYS[first_date.weekday()]
    if frequency == Frequency.WEEKLY:
        parts = ["FREQ=WEEKLY", f"BYDAY={day}"]
    elif frequency == Frequency.BIWEEKLY:
        parts = ["FREQ=WEEKLY", "INTERVAL=2", f"BYDAY={day}"]
    elif frequency == Frequency.MONTHLY:
        nth = (first_date.day - 1) // 7 + 1
        # The fifth Tuesday exists in few months: call it the last one.
        parts = ["FREQ=MONTHLY", f"BYDAY={'-1' if nth == 5 else nth}{day}"]
    else:
        raise ValidationError(_("Choose how often the check-in repeats."))
    if until is not None:
        # UNTIL is inclusive; the end of that day, as a floating local time.
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    else:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


def expand(
    rule: str, *, first_date: datetime.date, start_time: datetime.time, zone: str
) -> list[datetime.datetime]:
    """Every occurrence, aware, in the series' zone; refused when there are none or too many."""
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(_("Unknown time zone: %(zone)s") % {"zone": zone}) from error
    start = datetime.datetime.combine(first_date, start_time)
    rule_set = rrulestr(rule, dtstart=start)
    dates = []
    for local in rule_set:
        dates.append(local.replace(tzinfo=tz))
        if len(dates) > MAX_OCCURRENCES:
            raise ValidationError(
                _("That is more than %(n)s meetings: choose an earlier last date.")
                % {"n": MAX_OCCURRENCES}
            )
    if not dates:
        raise ValidationError(
            _("This rule gives no dates: the last date is before the first meeting.")
        )
    return dates
