"""Syncing a session from a phone: stored whole exactly once, or refused whole with a reason.

Lena coaches Maya (instructional); Omar, Sam, Grace and Luis coach her too; Nia
coaches at Jefferson but not Maya; Dana is the principal; Henry and Hilda are
in Hillview. Whoever syncs is the observer.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import User
from tandem.observations.models import ObservationEvent, ObservationSession
from tandem.observations.tools import MAX_EVENTS

from .. import content
from ..cast import Cast
from .cases import payload
from .sessions import put, talk_time_case

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _recent(case: dict[str, Any], *, behind: datetime.timedelta = datetime.timedelta(0)) -> dict:
    """Start so that the phone sends it now by its own clock, `behind` the server's."""
    now = timezone.now() - behind
    start = now - datetime.timedelta(milliseconds=case["duration_ms"] + 5_000)
    return {"start": start}


def _body(teacher: User, case: dict[str, Any] | None = None, **header: Any) -> dict[str, Any]:
    case = case or talk_time_case()
    behind = header.pop("behind", datetime.timedelta(0))
    return payload(case, teacher=teacher, **_recent(case, behind=behind), **header)


def _stored() -> list[ObservationSession]:
    return list(ObservationSession.objects.all())


# Stored once ------------------------------------------------------------------------


def test_a_coach_syncs_a_session_of_a_teacher_she_coaches_and_it_is_stored_whole(
    cast: Cast, api_for: Clients
) -> None:
    session_uuid = uuid.uuid4()
    response = put(api_for(cast.lena), session_uuid, _body(cast.maya, lesson="Period 3"))
    assert response.status_code == 201, response.content
    assert response.json()["created"] is True
    (session,) = _stored()
    assert session.uuid == session_uuid
    assert (session.teacher, session.author) == (cast.maya, cast.lena)
    assert session.category == "evidence"
    assert session.held_back is False  # the observer sees what she recorded
    assert session.lesson == "Period 3"
    assert session.duration_ms == 600_000
    assert session.events.count() == 4
    students = session.result().figure("students")
    assert students is not None
    assert (students.ms, str(students.percent)) == (180_000, "30.0")


def test_a_replay_with_events_shuffled_and_a_later_now_stores_nothing_more(
    cast: Cast, api_for: Clients
) -> None:
    client = api_for(cast.lena)
    session_uuid = uuid.uuid4()
    body = _body(cast.maya)
    assert put(client, session_uuid, body).status_code == 201
    replay = {**body, "events": body["events"][::-1], "client_now": timezone.now().isoformat()}
    response = put(client, session_uuid, replay)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "uuid": str(session_uuid),
        "created": False,
        "url": _stored()[0].get_absolute_url(),
    }
    assert ObservationSession.objects.count() == 1
    assert ObservationEvent.objects.count() == 4


def test_a_different_recording_under_a_stored_id_is_a_conflict_and_changes_nothing(
    cast: Cast, api_for: Clients
) -> None:
    client = api_for(cast.lena)
    session_uuid = uuid.uuid4()
    body = _body(cast.maya)
    assert put(client, session_uuid, body).status_code == 201
    fewer = {**body, "events": body["events"][:2]}
    response = put(client, session_uuid, fewer)
    assert response.status_code == 409
    assert "saved under this id already" in response.json()["detail"]
    assert ObservationEvent.objects.count() == 4
    # Someone else who uses the same id gets the same answer, and nothing of the session.
    other = put(api_for(cast.omar), session_uuid, body)
    assert other.status_code == 409
    assert other.json() == response.json()


def test_an_event_sent_twice_in_one_sync_counts_once(cast: Cast, api_for: Clients) -> None:
    body = _body(cast.maya)
    body["events"].append(dict(body["events"][0]))
    assert put(api_for(cast.lena), uuid.uuid4(), body).status_code == 201
    assert ObservationEvent.objects.count() == 4


def test_the_teacher_records_herself(cast: Cast, api_for: Clients) -> None:
    assert put(api_for(cast.maya), uuid.uuid4(), _body(cast.maya)).status_code == 201
    assert _stored()[0].author == cast.maya


# Order and time ---------------------------------------------------------------------


def _refused(response: Any, status: int, words: str) -> None:
    assert response.status_code == status, response.content
    assert words in response.json()["detail"]
    assert not ObservationSession.objects.exists()
    assert not ObservationEvent.objects.exists()


def test_events_may_arrive_in_any_order_but_their_times_must_follow_their_numbers(
    cast: Cast, api_for: Clients
) -> None:
    client = api_for(cast.lena)
    body = _body(cast.maya)
    body["events"][1]["at"], body["events"][2]["at"] = (
        body["events"][2]["at"],
        body["events"][1]["at"],
    )
    _refused(put(client, uuid.uuid4(), body), 400, "Event 3 was recorded before the one ahead")
    shuffled = _body(cast.maya)
    shuffled["events"] = shuffled["events"][::-1]
    assert put(client, uuid.uuid4(), shuffled).status_code == 201


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda b: b["events"][3].update(at=b["client_now"]), "outside the session"),
        (lambda b: b.update(client_now=b["started_at"]), "after the moment it was sent"),
        (lambda b: b.update(finished_at=b["started_at"], events=[]), None),
        (
            lambda b: b.update(started_at=b["finished_at"], finished_at=b["started_at"], events=[]),
            "finishes before it starts",
        ),
        (lambda b: b["events"][1].update(id=b["events"][0]["id"]), "share the id"),
        (lambda b: b["events"][1].update(seq=1), "Two events are number 1"),
        (lambda b: b.update(client_now="9999-12-31T23:59:59Z"), "more than a year off"),
        (lambda b: b.update(started_at="1970-01-01T00:00:00Z", events=[]), "more than a year off"),
    ],
)
def test_times_and_ids_that_cannot_be_are_refused_whole(
    cast: Cast, api_for: Clients, change: Callable[[dict], None], words: str | None
) -> None:
    body = _body(cast.maya)
    change(body)
    response = put(api_for(cast.lena), uuid.uuid4(), body)
    if words is None:  # an empty session that starts and ends at once is still a session
        assert response.status_code == 201
    else:
        _refused(response, 400, words)


def test_a_session_longer_than_six_hours_is_refused(cast: Cast, api_for: Clients) -> None:
    case = {**talk_time_case(), "duration_ms": 6 * 3600 * 1000 + 1}
    _refused(put(api_for(cast.lena), uuid.uuid4(), _body(cast.maya, case)), 400, "six hours")


def test_a_phone_clock_an_hour_behind_is_reconciled_in_whole_seconds(
    cast: Cast, api_for: Clients
) -> None:
    body = _body(cast.maya, behind=datetime.timedelta(hours=1))
    assert put(api_for(cast.lena), uuid.uuid4(), body).status_code == 201
    (session,) = _stored()
    phone_start = datetime.datetime.fromisoformat(body["started_at"])
    assert session.clock_skew_seconds == 3600
    assert session.client_started_at == phone_start
    assert session.started_at == phone_start + datetime.timedelta(hours=1)
    assert session.duration_ms == 600_000  # durations never move
    assert [e.offset_ms for e in session.events.all()] == [0, 240_000, 420_000, 480_000]


def test_a_phone_clock_ahead_is_reconciled_too_and_a_small_gap_is_trusted(
    cast: Cast, api_for: Clients
) -> None:
    client = api_for(cast.lena)
    ahead = _body(cast.maya, behind=-datetime.timedelta(minutes=10))
    assert put(client, uuid.uuid4(), ahead).status_code == 201
    close = _body(cast.maya, behind=datetime.timedelta(seconds=20))
    assert put(client, uuid.uuid4(), close).status_code == 201
    skews = sorted(ObservationSession.objects.values_list("clock_skew_seconds", flat=True))
    assert skews == [-600, 0]


# Who may sync what ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["nia", "dana", "priya", "ruth", "henry", "otto"])
def test_nobody_records_a_teacher_they_do_not_coach(who: str, cast: Cast, api_for: Clients) -> None:
    observer = cast.everyone()[who]
    _refused(put(api_for(observer), uuid.uuid4(), _body(cast.maya)), 403, "a teacher you coach")


def test_a_teacher_of_another_district_reads_the_same_as_one_not_coached(
    cast: Cast, api_for: Clients
) -> None:
    other_district = put(api_for(cast.lena), uuid.uuid4(), _body(cast.hilda))
    nobody = _body(cast.maya)
    nobody["teacher"] = str(uuid.uuid4())
    no_such_teacher = put(api_for(cast.lena), uuid.uuid4(), nobody)
    assert other_district.status_code == no_such_teacher.status_code == 403
    assert other_district.json() == no_such_teacher.json()


def test_a_session_recorded_by_someone_else_on_this_phone_is_not_synced_by_her(
    cast: Cast, api_for: Clients
) -> None:
    body = _body(cast.maya, observer=cast.omar.uuid)
    _refused(put(api_for(cast.lena), uuid.uuid4(), body), 403, "someone else signed in")
    assert put(api_for(cast.omar), uuid.uuid4(), body).status_code == 201


def test_a_closed_cycle_takes_no_more_and_nothing_is_saved(cast: Cast, api_for: Clients) -> None:
    cycle = content.cycle(cast, cast.lena)
    cycle.closed_on = datetime.date(2026, 2, 27)
    cycle.save()
    body = _body(cast.maya, engagement=cycle.uuid)
    _refused(put(api_for(cast.lena), uuid.uuid4(), body), 400, "was closed on")


def test_an_open_cycle_she_leads_holds_the_session_and_another_coach_cannot_file_into_it(
    cast: Cast, api_for: Clients
) -> None:
    cycle = content.cycle(cast, cast.lena)
    assert (
        put(api_for(cast.lena), uuid.uuid4(), _body(cast.maya, engagement=cycle.uuid)).status_code
        == 201
    )
    assert _stored()[0].engagement == cycle
    omar = put(api_for(cast.omar), uuid.uuid4(), _body(cast.maya, engagement=cycle.uuid))
    assert omar.status_code == 400
    assert ObservationSession.objects.count() == 1


def test_a_goal_must_be_the_teachers_and_one_the_observer_can_see(
    cast: Cast, api_for: Clients
) -> None:
    cycle = content.cycle(cast, cast.lena)
    goal = content.goal(cast, engagement=cycle)
    luis_goal = content.goal(cast, teacher=cast.luis)
    _refused(put(api_for(cast.omar), uuid.uuid4(), _body(cast.maya, goal=goal.uuid)), 400, "goal")
    _refused(
        put(api_for(cast.maya), uuid.uuid4(), _body(cast.maya, goal=luis_goal.uuid)), 400, "goal"
    )
    assert (
        put(api_for(cast.lena), uuid.uuid4(), _body(cast.maya, goal=goal.uuid)).status_code == 201
    )
    assert _stored()[0].goal == goal


# What a tool records ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("tool", "settings", "event"),
    [
        ("talk_time", {}, {"kind": "principal"}),
        ("talk_time", {"items": 3}, {"kind": "teacher"}),
        ("questions", {}, {"kind": "open"}),  # a question has a level too
        ("time_on_task", {"interval_seconds": 30}, {"kind": "sample", "value": 9, "total": 8}),
        ("time_on_task", {}, {"kind": "sample", "value": 1, "total": 8}),
        ("achievement", {"items": 3}, {"kind": "correct", "value": 4}),
        (
            "custom",
            {"name": "X", "mode": "tally", "labels": ["A", "A"]},
            {"kind": "tally", "value": 1},
        ),
        (
            "custom",
            {"name": "X", "mode": "tally", "labels": ["A"]},
            {"kind": "interval", "value": 1},
        ),
        (
            "custom",
            {"name": "X", "mode": "interval", "labels": ["A"]},
            {"kind": "interval", "value": 1},
        ),
    ],
)
def test_settings_and_taps_a_tool_does_not_record_are_refused(
    tool: str, settings: dict, event: dict, cast: Cast, api_for: Clients
) -> None:
    case = {
        "tool": tool,
        "settings": settings,
        "duration_ms": 60_000,
        "taps": [{"seq": 1, "offset_ms": 10, **event}],
    }
    response = put(api_for(cast.lena), uuid.uuid4(), _body(cast.maya, case))
    assert response.status_code == 400, response.content
    assert "Nothing was saved" in response.json()["detail"]
    assert not ObservationSession.objects.exists()


def test_huge_arrays_and_values_are_refused_by_the_schema(cast: Cast, api_for: Clients) -> None:
    client = api_for(cast.lena)
    taps = [{"seq": n, "offset_ms": 1, "kind": "teacher"} for n in range(1, MAX_EVENTS + 2)]
    case = {**talk_time_case(), "taps": taps}
    ids = [uuid.UUID(int=n) for n in range(len(taps))]
    response = put(client, uuid.uuid4(), _body(cast.maya, case, ids=ids))
    assert response.status_code == 422
    assert "events" in response.json()["detail"]
    labels = {"name": "X", "mode": "tally", "labels": [f"L{n}" for n in range(9)]}
    custom = {"tool": "custom", "settings": labels, "duration_ms": 1000, "taps": []}
    assert put(client, uuid.uuid4(), _body(cast.maya, custom)).status_code == 422
    crowd = {
        "tool": "time_on_task",
        "settings": {"interval_seconds": 30},
        "duration_ms": 1000,
        "taps": [{"seq": 1, "offset_ms": 1, "kind": "sample", "value": 1, "total": 10_000}],
    }
    assert put(client, uuid.uuid4(), _body(cast.maya, crowd)).status_code == 422
    assert not ObservationSession.objects.exists()


def test_a_body_over_the_upload_limit_is_refused_not_a_server_error(
    cast: Cast, api_for: Clients
) -> None:
    body = _body(cast.maya, lesson="x" * 10)
    text = str(body).replace("'", '"')[:-1] + ', "padding": "' + "x" * 3_000_000 + '"}'
    response = api_for(cast.lena).put(
        f"/api/v1/observations/sessions/{uuid.uuid4()}", text, content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert not ObservationSession.objects.exists()


def test_a_failure_half_way_leaves_no_partial_session(
    cast: Cast, api_for: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(ObservationEvent.objects, "bulk_create", broken)
    client = api_for(cast.lena)
    client.raise_request_exception = False
    response = put(client, uuid.uuid4(), _body(cast.maya))
    assert response.status_code == 500
    assert not ObservationSession.objects.exists()


def test_a_browser_session_syncs_with_its_csrf_token_only(cast: Cast, session_for: Clients) -> None:
    client = session_for(cast.lena)
    body = _body(cast.maya)
    assert put(client, uuid.uuid4(), body).status_code == 403
    client.get("/")  # a page sets the CSRF cookie, as the tool pages do
    token = client.cookies["csrftoken"].value
    response = client.put(
        f"/api/v1/observations/sessions/{uuid.uuid4()}",
        body,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content


def test_two_tabs_syncing_at_the_same_moment_store_it_once(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second sync passes the "already stored?" check before the first one commits,
    then meets the unique id: it answers "already stored", and nothing is doubled."""
    from tandem.observations import services

    from .sessions import recording_of

    body = _body(cast.maya)
    session_uuid = uuid.uuid4()
    first = services.sync_session(recording=recording_of(session_uuid, body), acting_user=cast.lena)
    real_replay = services._replay
    calls = []

    def late(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return None if len(calls) == 1 else real_replay(*args, **kwargs)

    monkeypatch.setattr(services, "_replay", late)
    second = services.sync_session(
        recording=recording_of(session_uuid, body), acting_user=cast.lena
    )
    assert (first.created, second.created) == (True, False)
    assert second.session.pk == first.session.pk
    assert ObservationEvent.objects.count() == 4
