"""Reading sessions through the API: the privacy rules, the access log, the CSV of raw events.

Lena observed Maya: Maya (her teacher) and Lena (its observer, while she
coaches Maya) see it; Omar coaches Maya too but sees it only once Maya shares
it; Nia, Dana, Priya and Hillview never do: for them it does not exist.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import User
from tandem.observations.models import ObservationSession
from tandem.privacy import services as privacy
from tandem.privacy.models import AccessEvent
from tandem.schools.services import end_assignment

from .. import content
from ..cast import Cast
from .sessions import API, record

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _session(cast: Cast, **header: Any) -> ObservationSession:
    return record(observer=cast.lena, teacher=cast.maya, lesson="Fractions, period 3", **header)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("maya", 200),
        ("lena", 200),
        ("omar", 404),
        ("nia", 404),
        ("dana", 404),
        ("priya", 404),
        ("henry", 404),
        ("hilda", 404),
    ],
)
def test_a_session_is_its_teachers_and_its_observers_and_no_one_elses(
    who: str, status: int, cast: Cast, api_for: Clients
) -> None:
    session = _session(cast)
    client = api_for(cast.everyone()[who])
    detail = client.get(f"{API}/observations/sessions/{session.uuid}")
    assert detail.status_code == status
    assert (
        client.get(f"{API}/observations/sessions/{session.uuid}/events.csv").status_code == status
    )
    listed = client.get(f"{API}/observations/sessions").json()["items"]
    assert [row["uuid"] for row in listed] == ([str(session.uuid)] if status == 200 else [])
    if status == 404:
        missing = client.get(f"{API}/observations/sessions/7a1c4b52-95a2-4d6c-9d1e-3f0c2b7e8a41")
        assert detail.json() == missing.json()


def test_a_coach_sees_a_session_once_the_teacher_shares_it_or_its_category(
    cast: Cast, api_for: Clients
) -> None:
    session = _session(cast)
    omar = api_for(cast.omar)
    privacy.share_item(item=session, coach=cast.omar, acting_user=cast.maya)
    assert omar.get(f"{API}/observations/sessions/{session.uuid}").status_code == 200
    privacy.unshare_item(item=session, coach=cast.omar, acting_user=cast.maya)
    assert omar.get(f"{API}/observations/sessions/{session.uuid}").status_code == 404
    privacy.share_category(
        teacher=cast.maya, coach=cast.omar, category="evidence", acting_user=cast.maya
    )
    assert omar.get(f"{API}/observations/sessions/{session.uuid}").status_code == 200


def test_the_observer_loses_the_session_when_her_assignment_ends(
    cast: Cast, api_for: Clients
) -> None:
    session = _session(cast)
    end_assignment(assignment=cast.lena_maya, acting_user=cast.maya)
    lena = api_for(cast.lena)
    assert lena.get(f"{API}/observations/sessions/{session.uuid}").status_code == 404
    assert api_for(cast.maya).get(f"{API}/observations/sessions/{session.uuid}").status_code == 200


def test_the_detail_gives_the_figures_and_who_can_see_it_and_the_read_is_logged(
    cast: Cast, api_for: Clients
) -> None:
    session = _session(cast)
    body = api_for(cast.lena).get(f"{API}/observations/sessions/{session.uuid}").json()
    assert body["tool"] == "talk_time"
    assert body["author"]["display_name"] == "Lena Brooks"
    assert body["headline"] == {
        "label": "Talk time: Students' share of the talk",
        "value": 30.0,
        "unit": "%",
    }
    figures = {f["key"]: f for f in body["result"]["figures"]}
    assert figures["teacher"] == {
        "key": "teacher",
        "label": "Teacher",
        "count": 2,
        "part": None,
        "ms": 360_000,
        "percent": 60.0,
        "per_minute": None,
    }
    assert [(s["label"], s["start_ms"], s["end_ms"]) for s in body["result"]["spans"]] == [
        ("Teacher", 0, 240_000),
        ("Students", 240_000, 420_000),
        ("Silence", 420_000, 480_000),
        ("Teacher", 480_000, 600_000),
    ]
    assert {s["display_name"] for s in body["who_can_see"]} == {"Maya Torres", "Lena Brooks"}
    (event,) = AccessEvent.objects.filter(teacher=cast.maya)
    assert (event.viewer, event.via, event.object_id) == (cast.lena, "api", session.pk)
    api_for(cast.maya).get(f"{API}/observations/sessions/{session.uuid}")
    assert AccessEvent.objects.filter(teacher=cast.maya).count() == 1  # her own reads: not logged


def test_a_linked_goal_shows_only_to_those_who_may_see_the_goal(
    cast: Cast, api_for: Clients
) -> None:
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena))
    session = _session(cast, goal=goal.uuid)
    privacy.share_item(item=session, coach=cast.omar, acting_user=cast.maya)
    lena = api_for(cast.lena).get(f"{API}/observations/sessions/{session.uuid}").json()
    assert lena["goal"] == {"uuid": str(goal.uuid), "statement": goal.statement}
    omar = api_for(cast.omar).get(f"{API}/observations/sessions/{session.uuid}").json()
    assert omar["goal"] is None


def test_the_list_reads_in_a_constant_number_of_queries_and_logs_in_one_insert(
    cast: Cast, api_for: Clients
) -> None:
    client = api_for(cast.lena)
    _session(cast)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/observations/sessions").status_code == 200
        return len(captured)

    queries()  # the token's first use and the content type cache: once, not per row
    one = queries()
    for _ in range(4):
        _session(cast)
    assert queries() == one
    assert AccessEvent.objects.filter(teacher=cast.maya).count() == 1 + 1 + 5


def test_the_csv_holds_every_raw_event_in_order_and_disarms_formulas(
    cast: Cast, api_for: Clients
) -> None:
    custom = {
        "tool": "custom",
        "settings": {"name": "Hands", "mode": "tally", "labels": ["=HYPERLINK(1)", "Raised"]},
        "duration_ms": 60_000,
        "taps": [
            {"seq": 1, "offset_ms": 1500, "kind": "tally", "value": 2},
            {"seq": 2, "offset_ms": 30_250, "kind": "tally", "value": 1},
        ],
    }
    session = record(observer=cast.lena, teacher=cast.maya, tool="custom", case=custom)
    response = api_for(cast.maya).get(f"{API}/observations/sessions/{session.uuid}/events.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["seq"], r["seconds_from_start"], r["label"]) for r in rows] == [
        ("1", "1.500", "Raised"),
        ("2", "30.250", "'=HYPERLINK(1)"),
    ]
    assert rows[0]["session"] == str(session.uuid)


def test_linking_a_goal_later_through_the_api(cast: Cast, api_for: Clients) -> None:
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena))
    session = _session(cast)
    path = f"{API}/observations/sessions/{session.uuid}/goal"
    response = api_for(cast.lena).put(
        path, {"goal": str(goal.uuid)}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    session.refresh_from_db()
    assert session.goal == goal
    privacy.share_item(item=session, coach=cast.omar, acting_user=cast.maya)
    omar = api_for(cast.omar).put(path, {"goal": None}, content_type="application/json")
    assert omar.status_code == 403  # he may read it, not change it
    nia = api_for(cast.nia).put(path, {"goal": None}, content_type="application/json")
    assert nia.status_code == 404
    assert (
        api_for(cast.maya).put(path, {"goal": None}, content_type="application/json").status_code
        == 200
    )
    session.refresh_from_db()
    assert session.goal is None
