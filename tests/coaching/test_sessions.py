"""The coaching log: plan, move, hold and cancel sessions, through the privacy policy."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.coaching import services
from tandem.coaching.models import CoachingSession, SessionKind, SessionStatus
from tandem.notifications.models import Notification
from tandem.privacy import services as privacy

from ..cast import Cast
from .builders import SECRET, held, session

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def _plan(client: Client, partner: User, day: datetime.date, **extra: str) -> Any:
    return client.post(
        reverse("session_create"),
        {
            "partner": partner.pk,
            "kind": SessionKind.MODELING,
            "day": day.isoformat(),
            "time": "10:00",
            "duration_minutes": "45",
            "place": "Room 12",
            **extra,
        },
    )


def test_a_coach_plans_a_session_and_the_teacher_gets_an_invitation(
    cast: Cast, client_for: Login, django_capture_on_commit_callbacks: Callable
) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = _plan(client_for(cast.lena), cast.maya, tomorrow)
    made = CoachingSession.objects.get()
    assert response.status_code == 302
    assert (made.coach, made.teacher, made.author) == (cast.lena, cast.maya, cast.lena)
    assert [m.to for m in mail.outbox] == [[cast.maya.email]]
    assert "Lena Brooks" in mail.outbox[0].subject
    assert Notification.objects.filter(user=cast.maya).count() == 1


def test_a_session_a_teacher_plans_is_seen_by_its_coach_and_no_other(
    cast: Cast, client_for: Login
) -> None:
    made = session(cast, coach=cast.omar, by=cast.maya)
    assert client_for(cast.omar).get(made.get_absolute_url()).status_code == 200
    assert client_for(cast.lena).get(made.get_absolute_url()).status_code == 404
    assert made.can_change(cast.omar)


def test_a_coach_cannot_plan_a_session_for_a_teacher_she_does_not_coach(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        session(cast, coach=cast.nia)


def test_someone_else_cannot_plan_a_session_between_two_other_people(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        session(cast, coach=cast.lena, by=cast.omar)


def test_hillview_people_get_404_on_maple_valley_sessions(cast: Cast, client_for: Login) -> None:
    made = held(cast)
    for person in (cast.henry, cast.hilda, cast.otto, cast.dana, cast.priya, cast.nia):
        client = client_for(person)
        for name in ("session_detail", "session_edit", "session_held", "session_invite"):
            assert client.get(reverse(name, args=[made.uuid])).status_code == 404, (person, name)


def test_a_session_in_the_future_cannot_be_recorded_as_held(cast: Cast, client_for: Login) -> None:
    made = session(cast)
    response = client_for(cast.lena).post(
        reverse("session_held", args=[made.uuid]), {"notes": "Went well"}
    )
    assert response.status_code == 200
    assert "can be recorded as held once it has started" in response.content.decode()
    made.refresh_from_db()
    assert (made.status, made.notes) == (SessionStatus.SCHEDULED, "")


def test_a_session_that_took_place_is_recorded_as_held_with_its_notes(
    cast: Cast, client_for: Login
) -> None:
    made = session(cast, starts_in=-datetime.timedelta(hours=2))
    response = client_for(cast.maya).post(
        reverse("session_held", args=[made.uuid]), {"notes": "We co-planned."}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.status, made.notes) == (SessionStatus.HELD, "We co-planned.")


def test_a_coach_who_only_reads_a_session_may_not_change_it(cast: Cast, client_for: Login) -> None:
    made = held(cast)
    privacy.share_item(item=made, coach=cast.sam, acting_user=cast.maya)
    sam = client_for(cast.sam)
    assert sam.get(made.get_absolute_url()).status_code == 200
    assert sam.get(reverse("session_edit", args=[made.uuid])).status_code == 403
    assert sam.post(reverse("session_cancel", args=[made.uuid])).status_code == 403


def test_moving_a_session_raises_its_sequence_and_sends_the_update(
    cast: Cast, client_for: Login, django_capture_on_commit_callbacks: Callable
) -> None:
    made = session(cast)
    day = timezone.localdate() + datetime.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.maya).post(
            reverse("session_edit", args=[made.uuid]),
            {"day": day.isoformat(), "time": "14:30", "duration_minutes": "60", "place": "Lab"},
        )
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.sequence, made.duration_minutes, made.place) == (1, 60, "Lab")
    assert [m.to for m in mail.outbox] == [[cast.lena.email]]
    assert mail.outbox[0].subject.startswith("[Tandem] Changed")


def test_cancelling_sends_a_cancellation_and_only_a_scheduled_session_is_cancelled(
    cast: Cast, client_for: Login, django_capture_on_commit_callbacks: Callable
) -> None:
    made = session(cast)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.lena).post(reverse("session_cancel", args=[made.uuid]))
    made.refresh_from_db()
    assert made.status == SessionStatus.CANCELLED
    part = mail.outbox[0].attachments[0]
    assert part.get_param("method") == "CANCEL"
    with pytest.raises(ValidationError):
        services.cancel_session(session=made, acting_user=cast.lena)
    with pytest.raises(ValidationError):
        services.record_held(session=made, acting_user=cast.lena, notes="")


def test_time_by_kind_sums_held_sessions_only(cast: Cast, client_for: Login) -> None:
    held(cast, duration_minutes=30)
    held(cast, duration_minutes=45)
    held(cast, kind=SessionKind.CONVERSATION, duration_minutes=20)
    session(cast, starts_in=datetime.timedelta(hours=-3), duration_minutes=90)  # not held
    cancelled = session(cast, starts_in=datetime.timedelta(hours=-5), duration_minutes=60)
    services.cancel_session(session=cancelled, acting_user=cast.lena)
    found = CoachingSession.objects.visible_to(cast.lena).of_person(cast.lena)
    since = timezone.now() - datetime.timedelta(days=10)
    totals = found.time_by_kind(since=since, until=timezone.now())
    assert totals == {SessionKind.MODELING: 75, SessionKind.CONVERSATION: 20}
    page = client_for(cast.lena).get(reverse("session_list")).content.decode()
    assert "<td>75</td>" in page
    assert "<td>20</td>" in page


def test_the_log_shows_a_coach_her_sessions_and_filters_by_teacher_and_kind(
    cast: Cast, client_for: Login
) -> None:
    held(cast)
    session(cast, kind=SessionKind.CONVERSATION)
    other = session(cast, coach=cast.omar)  # Omar's with Maya: not in Lena's log
    lena = client_for(cast.lena)
    page = lena.get(reverse("session_list")).content.decode()
    assert "Coaching conversation with Maya Torres" in page
    assert "The coach models in class with Maya Torres" in page
    assert other.get_absolute_url() not in page
    filtered = lena.get(reverse("session_list"), {"kind": SessionKind.CONVERSATION}).content
    assert b"The coach models in class with" not in filtered
    by_teacher = lena.get(reverse("session_list"), {"teacher": str(cast.luis.uuid)}).content
    assert b"with Maya Torres" not in by_teacher
    maya = client_for(cast.maya).get(reverse("session_list")).content.decode()
    assert "with Lena Brooks" in maya
    assert "with Omar Haddad" in maya


def test_the_log_page_runs_the_same_queries_as_sessions_grow(
    cast: Cast, client_for: Login, django_assert_max_num_queries: Callable
) -> None:
    lena = client_for(cast.lena)
    held(cast)
    session(cast)
    lena.get(reverse("session_list"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        lena.get(reverse("session_list"))
    for n in range(8):
        held(cast, ago=datetime.timedelta(days=n + 1))
        session(cast, starts_in=datetime.timedelta(days=n + 1))
    with django_assert_max_num_queries(len(few)):
        response = lena.get(reverse("session_list"))
    assert response.status_code == 200


def test_the_detail_page_shows_notes_and_next_steps_and_logs_the_read(
    cast: Cast, client_for: Login
) -> None:
    made = held(cast)
    services.give_suggestion(coach=cast.lena, teacher=cast.maya, text="Try wait time", session=made)
    page = client_for(cast.lena).get(made.get_absolute_url()).content.decode()
    assert SECRET.split(":")[0] in page
    assert "Try wait time" in page
    assert "Who can see this" in page
    from tandem.privacy.models import AccessEvent

    assert AccessEvent.objects.filter(viewer=cast.lena, object_id=made.pk).count() == 1


def test_leaders_and_admins_have_no_coaching_log(cast: Cast, client_for: Login) -> None:
    for person in (cast.dana, cast.priya, cast.otto):
        assert client_for(person).get(reverse("session_list")).status_code == 404


def test_a_next_step_names_only_a_session_of_the_same_teacher(cast: Cast) -> None:
    made = session(cast)
    with pytest.raises(ValidationError):
        services.give_suggestion(coach=cast.henry, teacher=cast.hilda, text="x", session=made)
