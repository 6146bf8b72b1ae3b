"""The coach's caseload: her cycles by stage, stalled ones, sessions of the next 14 days."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.cycles.models import Cycle, Stage
from tandem.privacy.models import AccessEvent

from ..cast import Cast
from .caseload_builders import cycle_in, other_teacher, session

pytestmark = pytest.mark.django_db

URL = reverse("caseload")


def _groups(page: Any) -> dict[str, list[str]]:
    return {g.stage: [r.cycle.teacher.display_name for r in g.rows] for g in page.context["groups"]}


def test_coach_sees_her_cycles_grouped_by_stage_with_counts(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cycle_in(cast, Stage.IMPROVE)
    cycle_in(cast, Stage.IDENTIFY, teacher=other_teacher(cast, "Ana Ruiz"))
    cycle_in(cast, Stage.LEARN, teacher=other_teacher(cast, "Ben Ode"))
    cycle_in(cast, Stage.MET, teacher=other_teacher(cast, "Cy Dunn"))
    cycle_in(cast, Stage.CLOSED, teacher=other_teacher(cast, "Di Moss"))
    page = client_for(cast.lena).get(URL)
    assert page.status_code == 200
    assert _groups(page) == {
        "identify": ["Ana Ruiz"],
        "learn": ["Ben Ode"],
        "improve": ["Maya Torres"],
        "met": ["Cy Dunn"],
    }  # a closed cycle (Di Moss's) is no longer on her caseload
    html = page.content.decode()
    assert "Recently met" in html
    assert "3 Impact Cycles under way." in html


def test_a_cycle_with_no_activity_for_the_stalled_days_is_flagged_with_how_long(
    cast: Cast, client_for: Callable[[User], Client], settings: Any
) -> None:
    settings.TANDEM_STALLED_DAYS = 14
    stalled = cycle_in(cast, Stage.LEARN, idle_days=20)
    cycle_in(cast, Stage.IMPROVE, teacher=other_teacher(cast, "Ana Ruiz"), idle_days=13)
    page = client_for(cast.lena).get(URL)
    assert [r.cycle.pk for r in page.context["stalled"]] == [stalled.pk]
    assert list(Cycle.objects.stalled().values_list("pk", flat=True)) == [stalled.pk]
    assert "No activity for 20 days" in page.content.decode()


def test_the_stalled_threshold_is_configurable(
    cast: Cast, client_for: Callable[[User], Client], settings: Any
) -> None:
    settings.TANDEM_STALLED_DAYS = 5
    cycle_in(cast, Stage.LEARN, idle_days=7)
    page = client_for(cast.lena).get(URL)
    assert len(page.context["stalled"]) == 1
    assert "no activity for 5 days is marked stalled" in page.content.decode()


def test_upcoming_sessions_are_those_of_the_next_14_days(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cycle = cycle_in(cast, Stage.LEARN, session_in_days=None)
    now = timezone.now()
    soon = session(cycle, now + datetime.timedelta(days=2))
    session(cycle, now + datetime.timedelta(days=20))
    session(cycle, now - datetime.timedelta(days=1))
    page = client_for(cast.lena).get(URL)
    assert [s.pk for s, _ in page.context["upcoming"]] == [soon.pk]


def test_coach_filters_her_caseload_by_teacher(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cycle_in(cast, Stage.IMPROVE)
    ana = other_teacher(cast, "Ana Ruiz")
    cycle_in(cast, Stage.LEARN, teacher=ana)
    page = client_for(cast.lena).get(URL, {"teacher": str(ana.uuid)})
    assert _groups(page) == {"identify": [], "learn": ["Ana Ruiz"], "improve": [], "met": []}
    assert [s.teacher.pk for s, _ in page.context["upcoming"]] == [ana.pk]
    # A teacher who is not on her caseload, or nonsense, shows everyone.
    for value in (str(cast.hilda.uuid), "nonsense"):
        everyone = client_for(cast.lena).get(URL, {"teacher": value})
        assert everyone.status_code == 200
        assert everyone.context["chosen"] is None


def test_coach_sees_only_cycles_she_leads_never_another_coachs_or_districts(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cycle_in(cast, Stage.IMPROVE, coach=cast.omar)
    cycle_in(cast, Stage.IMPROVE, teacher=cast.hilda, coach=cast.henry)
    for person in (cast.lena, cast.nia, cast.ruth):
        page = client_for(person).get(URL)
        assert all(not g.rows for g in page.context["groups"]), person
        assert not page.context["upcoming"]
    henry = client_for(cast.henry).get(URL)
    assert _groups(henry)["improve"] == ["Hilda Stone"]


def test_a_coach_whose_assignment_ended_no_longer_sees_the_cycle(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    from tandem.schools.services import end_assignment

    cycle_in(cast, Stage.IMPROVE)
    end_assignment(assignment=cast.lena_maya, acting_user=cast.maya)
    page = client_for(cast.lena).get(URL)
    assert all(not g.rows for g in page.context["groups"])
    assert not page.context["upcoming"]


def test_a_held_back_goal_stays_hidden_from_the_coach(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cycle = cycle_in(cast, Stage.IMPROVE)
    cycle.goal.held_back = True
    cycle.goal.save()
    page = client_for(cast.lena).get(URL)
    (row,) = _rows(page)
    assert row.goal is None
    assert "explain their reasoning" not in page.content.decode()


def _rows(page: Any) -> list[Any]:
    return [r for g in page.context["groups"] for r in g.rows]


def test_the_caseload_is_not_a_page_for_teachers_or_leaders(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    for person in (cast.maya, cast.hilda, cast.dana, cast.priya, cast.otto):
        assert client_for(person).get(URL).status_code == 404


def test_the_caseload_records_the_coachs_reading_in_one_insert(
    cast: Cast, client_for: Callable[[User], Client]
) -> None:
    cycle_in(cast, Stage.IMPROVE)
    client_for(cast.lena).get(URL)
    kinds = sorted(AccessEvent.objects.values_list("content_type__model", flat=True))
    assert kinds == ["coachingsession", "cycle", "goal"]
    assert set(AccessEvent.objects.values_list("viewer_id", flat=True)) == {cast.lena.pk}


def _grow(cast: Cast, start: int, count: int) -> None:
    stages = [Stage.IDENTIFY, Stage.LEARN, Stage.IMPROVE, Stage.MET]
    for n in range(start, start + count):
        teacher = cast.maya if n == 0 else other_teacher(cast, f"Teacher {n:02}")
        cycle_in(cast, stages[n % 4], teacher=teacher, idle_days=3 * n, measurements=(30, 40, 50))


def test_the_caseload_runs_the_same_number_of_queries_for_1_and_15_cycles(
    cast: Cast, client_for: Callable[[User], Client], django_assert_max_num_queries: Any
) -> None:
    _grow(cast, 0, 1)
    client = client_for(cast.lena)
    client.get(URL)
    with CaptureQueriesContext(connection) as one, django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
    _grow(cast, 1, 14)
    with CaptureQueriesContext(connection) as fifteen, django_assert_max_num_queries(12):
        page = client.get(URL)
    assert len(_rows(page)) == 15
    assert page.context["stalled"]
    assert len(one.captured_queries) == len(fifteen.captured_queries)
