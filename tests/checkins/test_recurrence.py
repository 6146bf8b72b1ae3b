"""Recurrence rules: built from the simple form, expanded in the series' own zone."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.checkins import recurrence
from tandem.checkins.models import CheckIn, CheckInSeries

from ..cast import Cast
from .builders import weekly

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_nine_oclock_stays_nine_oclock_local_across_the_november_dst_change(cast: Cast) -> None:
    series = weekly(cast)
    starts = [c.starts_at for c in series.checkins.order_by("starts_at")]
    local = [s.astimezone(NEW_YORK) for s in starts]
    assert [d.date() for d in local] == [
        datetime.date(2025, 10, 21),
        datetime.date(2025, 10, 28),
        datetime.date(2025, 11, 4),
        datetime.date(2025, 11, 11),
        datetime.date(2025, 11, 18),
        datetime.date(2025, 11, 25),
    ]
    assert {(d.hour, d.minute) for d in local} == {(9, 0)}
    utc_hours = [s.astimezone(datetime.UTC).hour for s in starts]
    assert utc_hours == [13, 13, 14, 14, 14, 14]  # EDT (UTC-4), then EST (UTC-5) from Nov. 2


def test_rule_is_the_plain_form_calendars_agree_on() -> None:
    tuesday = datetime.date(2025, 10, 21)
    assert (
        recurrence.build(frequency="biweekly", first_date=tuesday, until=None, count=4)
        == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=4"
    )
    # Oct. 21, 2025 is the third Tuesday of October.
    assert (
        recurrence.build(
            frequency="monthly", first_date=tuesday, until=datetime.date(2026, 1, 31), count=None
        )
        == "FREQ=MONTHLY;BYDAY=3TU;UNTIL=20260131T235959"
    )


def test_monthly_series_meets_on_the_same_weekday_of_each_month(cast: Cast) -> None:
    series = weekly(cast, frequency="monthly", count=3)
    local = [c.starts_at.astimezone(NEW_YORK).date() for c in series.checkins.all()]
    assert local == [
        datetime.date(2025, 10, 21),
        datetime.date(2025, 11, 18),
        datetime.date(2025, 12, 16),
    ]


def test_a_rule_that_never_ends_is_refused_and_nothing_is_saved(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="must end"):
        weekly(cast, count=None, until=None)
    assert not CheckInSeries.objects.exists()
    assert not CheckIn.objects.exists()


def test_a_rule_that_yields_no_dates_is_refused_and_nothing_is_saved(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="no dates"):
        weekly(cast, count=None, until=datetime.date(2025, 10, 1))
    assert not CheckInSeries.objects.exists()


def test_a_rule_with_too_many_meetings_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="more than"):
        weekly(cast, count=500)
    assert not CheckInSeries.objects.exists()


def test_an_unknown_time_zone_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="Unknown time zone"):
        weekly(cast, time_zone="Mars/Olympus")


def test_the_district_time_zone_is_the_default(cast: Cast) -> None:
    series = weekly(cast, time_zone="")
    assert series.time_zone == cast.maple.time_zone


def test_a_teacher_cannot_plan_a_check_in_for_the_coaches(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        weekly(cast, by=cast.maya)
    with pytest.raises(PermissionDenied):
        weekly(cast, by=cast.henry)  # another district's coach
    assert not CheckInSeries.objects.exists()


def test_members_get_an_invitation_with_the_dates(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        weekly(cast)
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == sorted(
        u.email for u in (cast.lena, cast.omar, cast.sam, cast.grace, cast.luis, cast.nia)
    )
    message = mail.outbox[0]
    (calendar,) = [p for p in message.attachments if p.get_content_type() == "text/calendar"]
    parsed = icalendar.Calendar.from_ical(calendar.get_payload(decode=True))
    assert len(parsed.walk("VEVENT")) == 6
    assert "Coaches' check-in" in message.subject
