"""The calendar feed: a secret, revocable address; two independent parsers read it."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable

import icalendar
from django.test import Client
from django.urls import reverse
from ical.calendar_stream import IcsCalendarStream

from tandem.accounts.models import User
from tandem.checkins import services
from tandem.checkins.models import CalendarFeed
from tandem.coaching.services import schedule_session

from .. import content
from ..cast import Cast
from .builders import weekly

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _feed(client: Client, key: str) -> bytes:
    response = client.get(reverse("calendar_feed", args=[key]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return response.content


def test_feed_parses_in_two_parsers_and_keeps_nine_oclock_across_dst(cast: Cast) -> None:
    series = weekly(cast)
    skipped = series.checkins.order_by("starts_at")[1]
    services.skip_checkin(acting_user=cast.lena, checkin=skipped)
    key = services.issue_feed(user=cast.nia)  # a member: every coach of the school
    body = _feed(Client(), key)

    first = icalendar.Calendar.from_ical(body)
    starts = sorted(e.decoded("dtstart") for e in first.walk("VEVENT"))
    second = IcsCalendarStream.calendar_from_ics(body.decode())
    also = sorted(e.start for e in second.events)

    assert starts == also
    assert len(starts) == 5  # six dates, one skipped
    local = [s.astimezone(NEW_YORK) for s in starts]
    assert {(d.hour, d.minute) for d in local} == {(9, 0)}
    assert datetime.date(2025, 10, 28) not in {d.date() for d in local}
    assert {e.summary for e in second.events} == {"Coaches' check-in"}


def test_feed_carries_no_coaching_content(cast: Cast) -> None:
    series = weekly(cast)
    checkin = series.checkins.first()
    assert checkin is not None
    services.record_checkin(
        acting_user=cast.lena, checkin=checkin, attendees=[cast.lena], notes="SECRET NOTES"
    )
    services.add_action_item(acting_user=cast.lena, checkin=checkin, text="SECRET ITEM")
    engagement = content.cycle(cast, cast.lena)
    session = schedule_session(
        acting_user=cast.lena,
        coach=cast.lena,
        teacher=cast.maya,
        engagement=engagement,
        starts_at=datetime.datetime(2025, 11, 5, 15, 0, tzinfo=datetime.UTC),
        duration_minutes=30,
        kind="conversation",
        invite=False,
    )
    session.notes = "SECRET SESSION NOTES"
    session.save()
    key = services.issue_feed(user=cast.lena)
    body = _feed(Client(), key)
    assert b"SECRET" not in body
    assert b"Reasoning" not in body
    summaries = {str(e["summary"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}
    assert summaries == {"Coaches' check-in", "Coaching session with Maya Torres"}
    # Maya sees her session in her own feed, never the coaches' check-in.
    mine = _feed(Client(), services.issue_feed(user=cast.maya))
    summaries = {str(e["summary"]) for e in icalendar.Calendar.from_ical(mine).walk("VEVENT")}
    assert summaries == {"Coaching session with Lena Brooks"}


def test_a_revoked_feed_address_is_404(cast: Cast) -> None:
    weekly(cast)
    key = services.issue_feed(user=cast.lena)
    services.revoke_feed(user=cast.lena)
    response = Client().get(reverse("calendar_feed", args=[key]))
    assert response.status_code == 404


def test_a_new_address_stops_the_old_one(cast: Cast) -> None:
    old = services.issue_feed(user=cast.lena)
    new = services.issue_feed(user=cast.lena)
    assert Client().get(reverse("calendar_feed", args=[old])).status_code == 404
    assert Client().get(reverse("calendar_feed", args=[new])).status_code == 200
    assert CalendarFeed.objects.filter(user=cast.lena, revoked_at__isnull=True).count() == 1


def test_a_made_up_address_is_404(db: None) -> None:
    assert Client().get(reverse("calendar_feed", args=["made-up"])).status_code == 404


def test_the_key_is_not_stored(cast: Cast) -> None:
    key = services.issue_feed(user=cast.lena)
    assert not CalendarFeed.objects.filter(digest=key).exists()


def test_another_districts_coach_gets_none_of_the_schools_check_ins(cast: Cast) -> None:
    weekly(cast)
    body = _feed(Client(), services.issue_feed(user=cast.henry))
    assert not icalendar.Calendar.from_ical(body).walk("VEVENT")


def test_calendar_page_shows_the_address_once_and_revokes_it(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    client = client_for(cast.lena)
    page = client.post(reverse("calendar_settings"), {"action": "issue"})
    assert page.status_code == 200
    address = page.context["address"]
    key = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert Client().get(reverse("calendar_feed", args=[key])).status_code == 200
    assert "Google Calendar" in page.content.decode()
    again = client.get(reverse("calendar_settings"))
    assert key not in again.content.decode()
    client.post(reverse("calendar_settings"), {"action": "revoke"})
    assert Client().get(reverse("calendar_feed", args=[key])).status_code == 404
