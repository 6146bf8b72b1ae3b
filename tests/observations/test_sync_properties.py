"""Any sequence of duplicated, reordered and retried syncs stores what one clean sync stores.

A phone on a classroom's network sends the same sessions many times: a sync
whose answer was lost is sent again later (with a later "now"), two tabs send
at once, events arrive in any order and sometimes twice in one request, and a
request may die half way on the server. Whatever the schedule, the database
must end as if each session had been synced once, cleanly.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.observations import services
from tandem.observations.models import ObservationEvent, ObservationSession
from tandem.observations.tools import Tool

from ..cast import Cast
from .cases import START, payload, random_case
from .sessions import recording_of

pytestmark = pytest.mark.django_db

SKEWS = [datetime.timedelta(0), datetime.timedelta(seconds=59), datetime.timedelta(hours=-3)]


@st.composite
def schedules(draw: st.DrawFn) -> dict[str, Any]:
    """Sessions, the phone's clock error, and the order the requests reach the server in."""
    count = draw(st.integers(1, 3))
    sessions = []
    for n in range(count):
        tool = draw(st.sampled_from(list(Tool)))
        case = random_case(random.Random(draw(st.integers(0, 10**6))), tool, max_events=12)
        start = START + datetime.timedelta(hours=n)
        sessions.append({"uuid": uuid.UUID(int=n + 1), "case": case, "start": start})
    sends = []
    for n in range(count):
        for _ in range(draw(st.integers(1, 4))):
            sends.append(
                {
                    "session": n,
                    "order_seed": draw(st.integers(0, 1000)),
                    "later_ms": draw(st.integers(0, 48 * 3600 * 1000)),
                    "doubled": draw(st.booleans()),  # some events twice in one request
                    "dies": draw(st.booleans()),  # the server fails half way; sent again
                }
            )
    order = draw(st.permutations(range(len(sends))))
    return {
        "sessions": sessions,
        "sends": [sends[i] for i in order],
        "skew": draw(st.sampled_from(SKEWS)),
    }


def _body(session: dict[str, Any], cast: Cast, later_ms: int) -> dict[str, Any]:
    case = session["case"]
    ids = [uuid.UUID(int=(session["uuid"].int << 16) + t["seq"]) for t in case["taps"]]
    return payload(
        case, teacher=cast.maya, start=session["start"], sent_after_ms=1000 + later_ms, ids=ids
    )


def _sync(
    cast: Cast, session: dict[str, Any], body: dict[str, Any], skew: datetime.timedelta
) -> None:
    recording = recording_of(session["uuid"], body)
    services.sync_session(
        recording=recording, acting_user=cast.lena, now=recording.client_now + skew
    )


def _stored() -> list[dict[str, Any]]:
    """Everything stored, but the moment each session first arrived."""
    dump = []
    for s in ObservationSession.objects.order_by("uuid"):
        events = list(
            ObservationEvent.objects.filter(session=s)
            .order_by("seq")
            .values_list("client_id", "seq", "offset_ms", "kind", "detail", "value", "total")
        )
        dump.append(
            {
                "uuid": s.uuid,
                "who": (s.district_id, s.teacher_id, s.author_id, s.category, s.held_back),
                "what": (s.tool, s.settings, s.lesson, s.engagement_id, s.goal_id, s.digest),
                "when": (s.started_at, s.finished_at, s.client_started_at, s.clock_skew_seconds),
                "events": events,
                "result": s.result().as_dict(),
            }
        )
    return dump


@contextmanager
def _rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


class Crash(Exception):
    pass


@given(schedule=schedules())
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_duplicated_reordered_and_retried_syncs_store_what_one_clean_sync_stores(
    schedule: dict[str, Any], cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    skew = schedule["skew"]
    with _rolled_back():
        for session in schedule["sessions"]:
            _sync(cast, session, _body(session, cast, later_ms=0), skew)
        clean = _stored()

    real_bulk_create = ObservationEvent.objects.bulk_create
    with _rolled_back():
        for send in schedule["sends"]:
            session = schedule["sessions"][send["session"]]
            body = _body(session, cast, send["later_ms"])
            events = body["events"][:]
            random.Random(send["order_seed"]).shuffle(events)
            if send["doubled"]:
                events += events[: len(events) // 2]
            body["events"] = events
            if send["dies"]:

                def crash(*args: Any, **kwargs: Any) -> Any:
                    raise Crash

                monkeypatch.setattr(ObservationEvent.objects, "bulk_create", crash)
                with suppress(Crash):
                    _sync(cast, session, body, skew)
                monkeypatch.setattr(ObservationEvent.objects, "bulk_create", real_bulk_create)
            _sync(cast, session, body, skew)  # sent (again)
        messy = _stored()

    assert messy == clean
    assert len(clean) == len(schedule["sessions"])
