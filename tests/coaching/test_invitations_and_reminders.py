"""Invitations (.ics) and reminders: right UID, SEQUENCE and times, and no coaching content."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.coaching import services
from tandem.coaching.models import CoachingSession, SessionKind
from tandem.notifications.models import Notification

from .. import content
from ..cast import Cast
from .builders import SECRET, held, session, suggestion

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]
NEW_YORK = "America/New_York"


def _event(raw: bytes) -> Any:
    calendar = icalendar.Calendar.from_ical(raw)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def _everything_sent() -> str:
    """Every e-mail's subject, body and attachments, as one text."""
    parts = []
    for message in mail.outbox:
        parts += [str(message.subject), str(message.body)]
        for attachment in message.attachments:
            payload = attachment.get_payload(decode=True)
            parts.append(payload.decode() if isinstance(payload, bytes) else str(payload))
    return "\n".join(parts)


def test_the_ics_has_a_stable_uid_a_rising_sequence_and_utc_times_across_dst(
    cast: Cast, client_for: Login
) -> None:
    cast.maple.time_zone = NEW_YORK
    cast.maple.save()
    maya = client_for(cast.maya)
    # Monday 3 November 2025, the day after clocks went back in New York (UTC-5 from then).
    response = maya.post(
        reverse("session_create"),
        {
            "partner": cast.lena.pk,
            "kind": SessionKind.CONVERSATION,
            "day": "2025-11-03",
            "time": "10:00",
            "duration_minutes": "45",
            "place": "Room 12",
        },
    )
    assert response.status_code == 302
    made = CoachingSession.objects.get()
    assert made.starts_at == datetime.datetime(2025, 11, 3, 15, 0, tzinfo=datetime.UTC)
    first = maya.get(reverse("session_invite", args=[made.uuid]))
    assert first["Content-Type"].startswith("text/calendar")
    _calendar, event = _event(first.content)
    assert str(event["uid"]) == f"{made.uuid}@tandem"
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == datetime.datetime(2025, 11, 3, 15, 0, tzinfo=datetime.UTC)
    assert event.decoded("dtend") == datetime.datetime(2025, 11, 3, 15, 45, tzinfo=datetime.UTC)
    assert str(event["summary"]) == "Coaching session"
    # The week before, clocks still said summer time (UTC-4): 10:00 is 14:00 UTC.
    maya.post(
        reverse("session_edit", args=[made.uuid]),
        {"day": "2025-10-27", "time": "10:00", "duration_minutes": "45", "place": "Room 12"},
    )
    _calendar, moved = _event(maya.get(reverse("session_invite", args=[made.uuid])).content)
    assert str(moved["uid"]) == str(event["uid"])
    assert moved["sequence"] == 1
    assert moved.decoded("dtstart") == datetime.datetime(2025, 10, 27, 14, 0, tzinfo=datetime.UTC)


def test_invitations_and_calendar_files_carry_no_coaching_content(
    cast: Cast, client_for: Login, django_capture_on_commit_callbacks: Callable
) -> None:
    cycle = content.cycle(cast, cast.lena)
    cycle.title = "PLANTED-CYCLE-TITLE"
    cycle.save()
    content.goal(cast, engagement=cycle, statement="PLANTED-GOAL")
    with django_capture_on_commit_callbacks(execute=True):
        made = services.schedule_session(
            acting_user=cast.lena,
            teacher=cast.maya,
            coach=cast.lena,
            kind=SessionKind.MODELING,
            starts_at=timezone.now() + datetime.timedelta(hours=2),
            place="Room 12",
            engagement=cycle,
        )
    # Notes written ahead (a plan for the session) are content too.
    CoachingSession.objects.filter(pk=made.pk).update(notes=SECRET)
    made.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_session(
            session=made,
            acting_user=cast.maya,
            starts_at=made.starts_at + datetime.timedelta(minutes=30),
            duration_minutes=45,
            place="Room 14",
        )
        services.send_reminders()
        services.cancel_session(session=made, acting_user=cast.lena)
    assert len(mail.outbox) == 5  # invite, change, two reminders, cancellation
    sent = _everything_sent()
    sent += client_for(cast.maya).get(reverse("session_invite", args=[made.uuid])).content.decode()
    sent += "\n".join(Notification.objects.values_list("text", flat=True))
    for planted in (SECRET, "PLANTED", "models in class", "Modeling", "modeling"):
        assert planted not in sent, planted
    assert "Lena Brooks" in sent
    assert "Room 14" in sent
    assert str(made.uuid) in sent
    invitations = [m for m in mail.outbox if m.attachments]
    assert len(invitations) == 3
    for message in invitations:
        (part,) = message.attachments
        _calendar, event = _event(part.get_payload(decode=True))
        assert event["location"] in ("Room 12", "Room 14")


def test_an_invitation_is_a_request_an_attendee_can_open(
    cast: Cast, django_capture_on_commit_callbacks: Callable
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        made = session(cast, invite=True)
    (message,) = mail.outbox
    assert message.to == [cast.maya.email]
    (part,) = message.attachments
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    calendar, event = _event(part.get_payload(decode=True))
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["url"]).endswith(made.get_absolute_url())


def test_each_participant_is_reminded_once(cast: Cast) -> None:
    made = session(cast, starts_in=datetime.timedelta(hours=3))
    assert services.send_reminders() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.maya.email, cast.lena.email])
    assert Notification.objects.filter(url=made.get_absolute_url()).count() == 2
    assert services.send_reminders() == 0
    call_command("coaching_reminders", stdout=None)
    assert len(mail.outbox) == 2
    made.refresh_from_db()
    assert made.reminder_sent_at is not None


def test_no_reminder_for_cancelled_past_or_distant_sessions(cast: Cast) -> None:
    cancelled = session(cast, starts_in=datetime.timedelta(hours=2))
    services.cancel_session(session=cancelled, acting_user=cast.lena)
    session(cast, starts_in=-datetime.timedelta(hours=1))
    held(cast)
    session(cast, starts_in=datetime.timedelta(hours=30))
    assert services.send_reminders() == 0
    assert mail.outbox == []


def test_a_rescheduled_session_gets_a_new_reminder(cast: Cast) -> None:
    made = session(cast, starts_in=datetime.timedelta(hours=3))
    services.send_reminders()
    services.reschedule_session(
        session=made,
        acting_user=cast.lena,
        starts_at=made.starts_at + datetime.timedelta(hours=1),
        duration_minutes=45,
        place="Room 12",
    )
    made.refresh_from_db()
    assert made.reminder_sent_at is None
    assert services.send_reminders() == 1
    assert len(mail.outbox) == 4


def test_a_failed_send_leaves_the_reminder_due(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    from tandem.coaching import mail as coaching_mail

    made = session(cast, starts_in=datetime.timedelta(hours=3))

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr(coaching_mail, "send_reminder", broken)
    with pytest.raises(OSError, match="mail server down"):
        services.send_reminders()
    made.refresh_from_db()
    assert made.reminder_sent_at is None
    assert not Notification.objects.exists()
    monkeypatch.undo()
    assert services.send_reminders() == 1


def test_the_reminders_task_runs_them_and_queues_its_next_run(cast: Cast) -> None:
    from django_tasks_db.models import DBTaskResult

    from tandem.coaching import schedule, tasks

    session(cast, starts_in=datetime.timedelta(hours=3))
    assert tasks.send_reminders.call() == 1
    waiting = DBTaskResult.objects.filter(task_path=schedule.TASK_PATH, status="READY")
    assert waiting.count() == 1
    assert schedule.ensure_scheduled() is False


def test_suggestions_carry_no_content_into_e_mails(cast: Cast) -> None:
    suggestion(cast)
    assert mail.outbox == []
