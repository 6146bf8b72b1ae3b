"""The teacher's "My cycle": where she is, what is next, the goal, sessions, past cycles."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.cycles.models import Stage
from tandem.privacy.models import AccessEvent

from ..cast import Cast
from ..content import impact_cycle
from .caseload_builders import cycle_in, session, suggestion

pytestmark = pytest.mark.django_db

URL = reverse("my_cycle")


def test_teacher_sees_her_cycle_stage_goal_and_what_is_next(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE, measurements=(40, 55))
    suggestion(cast, cycle, "Post sentence starters on the board")
    page = client_for(cast.maya).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Reasoning in math" in html
    assert 'aria-current="step"' in html
    assert 'class="stage now" aria-current="step"' in html
    assert "Students of Maya Torres explain their reasoning" in html
    assert "Add a measurement" in html  # 55 is below the target of 80
    assert "Measurements of the goal" in html  # the chart's table
    assert "Post sentence starters on the board" in html
    assert "The coach models in class" in html  # the planned modeling session
    assert "Room 12" in html


def test_teacher_is_told_to_confirm_when_the_latest_measurement_reaches_the_target(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cycle_in(cast, Stage.IMPROVE, measurements=(40, 82))
    html = client_for(cast.maya).get(URL).content.decode()
    assert "target reached" in html
    assert "confirm that the goal is met" in html


def test_a_new_cycle_asks_for_evidence_first(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    impact_cycle(cast)
    html = client_for(cast.maya).get(URL).content.decode()
    assert "Start with a clear picture" in html
    assert "No goal yet: it comes after the picture of reality." in html


def test_teacher_with_no_cycle_is_told_what_an_impact_cycle_is(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    html = client_for(cast.maya).get(URL).content.decode()
    assert "You have no Impact Cycle under way" in html
    for stage in ("Identify.", "Learn.", "Improve."):
        assert stage in html


def test_met_and_closed_cycles_are_listed_below_with_their_summaries(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cycle_in(cast, Stage.MET, coach=cast.lena)
    cycle_in(cast, Stage.CLOSED, coach=cast.omar)
    html = client_for(cast.maya).get(URL).content.decode()
    assert "Past cycles" in html
    assert "Most students now explain in writing." in html
    assert "Maya moved to another grade." in html
    assert "You have no Impact Cycle under way" in html  # nothing open


def test_a_stalled_cycle_says_for_how_long(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cycle_in(cast, Stage.LEARN, idle_days=20)
    html = client_for(cast.maya).get(URL).content.decode()
    assert "Nothing has happened in this cycle for 20 days" in html


def test_teacher_sees_only_her_own_cycles_never_another_teachers(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cycle_in(cast, Stage.IMPROVE)
    hilda = cycle_in(cast, Stage.IMPROVE, teacher=cast.hilda, coach=cast.henry)
    luis = client_for(cast.luis).get(URL).content.decode()
    assert "Maya Torres" not in luis
    hilda_page = client_for(cast.hilda).get(URL).content.decode()
    assert hilda.engagement is not None
    assert hilda.engagement.title in hilda_page
    assert "Maya Torres" not in hilda_page


def test_my_cycle_is_not_a_page_for_coaches_or_leaders(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    for person in (cast.lena, cast.dana, cast.priya, cast.henry):
        assert client_for(person).get(URL).status_code == 404


def test_session_times_are_shown_in_the_districts_time_zone(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cast.maple.time_zone = "America/New_York"
    cast.maple.save()
    cycle = cycle_in(cast, Stage.LEARN, session_in_days=None)
    starts = (timezone.now() + datetime.timedelta(days=2)).replace(
        hour=15, minute=0, second=0, microsecond=0, tzinfo=datetime.UTC
    )
    session(cycle, starts)
    html = client_for(cast.maya).get(URL).content.decode()
    in_new_york = starts.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert f'datetime="{in_new_york.isoformat()}"' in html
    assert in_new_york.strftime("%-I a.m.") in html  # 15:00 UTC: 10 or 11 a.m. there


def test_my_cycle_writes_no_access_events_for_the_teachers_own_reading(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cycle_in(cast, Stage.IMPROVE)
    client_for(cast.maya).get(URL)
    assert not AccessEvent.objects.exists()


def _grow(cast: Cast, count: int) -> None:
    coaches = [cast.lena, cast.omar, cast.sam, cast.grace, cast.luis]
    for n in range(count):
        stage = [Stage.IMPROVE, Stage.IDENTIFY, Stage.LEARN, Stage.MET, Stage.CLOSED][n % 5]
        cycle = cycle_in(cast, stage, coach=coaches[n % len(coaches)], idle_days=n)
        suggestion(cast, cycle)


def test_my_cycle_runs_the_same_number_of_queries_for_1_and_15_cycles(
    cast: Cast, client_for: Callable[[User], Client], django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _grow(cast, 1)
    client = client_for(cast.maya)
    client.get(URL)
    with CaptureQueriesContext(connection) as one, django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
    _grow(cast, 14)
    with CaptureQueriesContext(connection) as fifteen, django_assert_max_num_queries(12):
        page = client.get(URL)
    assert len(page.context["current"]) + len(page.context["past"]) == 15
    assert len(one.captured_queries) == len(fifteen.captured_queries)
