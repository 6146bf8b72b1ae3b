"""Check-in pages: the series, one check-in with its agenda, action items that carry over.

Who is who: Jefferson's coaches (Lena, Omar, Sam, Grace, Luis, Nia) are members of
Jefferson's check-in; Dana (principal) only when leaders are invited; Maya (a
teacher), Ruth (Lincoln) and Hillview's people never: for them it is a 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.checkins.models import ActionItem, CheckIn, CheckInSeries
from tandem.cycles.models import Cycle, Goal, GoalStatus
from tandem.privacy.models import AccessEvent

from .. import content
from ..cast import Cast
from .builders import weekly

Clients = Callable[[User], Client]


def around_now(cast: Cast, **fields: Any) -> list[CheckIn]:
    """Four weekly dates: two weeks ago, last week, this week, next week."""
    today = timezone.localdate()
    series = weekly(cast, first_date=today - datetime.timedelta(days=14), count=4, **fields)
    return list(series.checkins.order_by("starts_at"))


def met_goal(cast: Cast, at: datetime.datetime) -> Goal:
    """A goal of Maya's, in her Impact Cycle with Lena, met at this time."""
    cycle = content.impact_cycle(cast)
    goal = content.goal(cast, engagement=cycle.engagement, author=cast.lena, statement="MAYA GOAL")
    Goal.objects.filter(pk=goal.pk).update(cycle=cycle, status=GoalStatus.MET, updated_at=at)
    return goal


def test_a_coach_plans_a_series_on_the_page(cast: Cast, client_for: Clients) -> None:
    client = client_for(cast.omar)
    response = client.post(
        reverse("checkin_series_new"),
        {
            "school": cast.jefferson.pk,
            "title": "Tuesday check-in",
            "first_date": "2025-10-21",
            "start_time": "09:00",
            "duration_minutes": "45",
            "frequency": "biweekly",
            "count": "3",
        },
    )
    series = CheckInSeries.objects.get()
    assert response.status_code == 302
    assert response["Location"] == series.get_absolute_url()
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=3"
    assert series.checkins.count() == 3


def test_a_series_that_never_ends_is_refused_on_the_page(cast: Cast, client_for: Clients) -> None:
    response = client_for(cast.omar).post(
        reverse("checkin_series_new"),
        {
            "school": cast.jefferson.pk,
            "title": "Forever",
            "first_date": "2025-10-21",
            "start_time": "09:00",
            "duration_minutes": "45",
            "frequency": "weekly",
        },
    )
    assert response.status_code == 200
    assert "must end" in response.content.decode()
    assert not CheckInSeries.objects.exists()


@pytest.mark.parametrize("who", ["maya", "ruth", "henry", "otto", "priya", "dana"])
def test_non_members_get_404_on_series_and_check_in(
    cast: Cast, client_for: Clients, who: str
) -> None:
    checkin = around_now(cast)[0]
    client = client_for(getattr(cast, who))
    assert client.get(checkin.series.get_absolute_url()).status_code == 404
    assert client.get(checkin.get_absolute_url()).status_code == 404
    skip = client.post(reverse("checkin_skip", args=[checkin.uuid]))
    assert skip.status_code == 404
    checkin.refresh_from_db()
    assert not checkin.skipped


def test_an_invited_principal_is_a_member(cast: Cast, client_for: Clients) -> None:
    checkin = around_now(cast, leaders_invited=True)[0]
    assert client_for(cast.dana).get(checkin.get_absolute_url()).status_code == 200


def test_action_items_carry_over_until_done(cast: Cast, client_for: Clients) -> None:
    first, second, third, _ = around_now(cast)
    client = client_for(cast.lena)
    client.post(
        first.get_absolute_url(),
        {"add_item": "1", "text": "Share the exit-ticket template", "owner": cast.sam.pk},
    )
    item = ActionItem.objects.get()
    assert item.owner == cast.sam
    page = client.get(second.get_absolute_url())
    assert [i.pk for i in page.context["agenda"].carried_over] == [item.pk]
    assert "Share the exit-ticket template" in page.content.decode()
    client.post(reverse("action_item_done", args=[item.uuid]), {"done": "1"})
    page = client.get(third.get_absolute_url())
    assert page.context["agenda"].carried_over == []


def test_attendance_and_notes_are_saved(cast: Cast, client_for: Clients) -> None:
    checkin = around_now(cast)[1]
    client_for(cast.lena).post(
        checkin.get_absolute_url(),
        {"record": "1", "attendees": [cast.lena.pk, cast.omar.pk], "notes": "Talked about pacing."},
    )
    checkin.refresh_from_db()
    assert checkin.notes == "Talked about pacing."
    assert set(checkin.attendees.values_list("pk", flat=True)) == {cast.lena.pk, cast.omar.pk}


def test_a_teacher_cannot_be_marked_present(cast: Cast, client_for: Clients) -> None:
    checkin = around_now(cast)[1]
    response = client_for(cast.lena).post(
        checkin.get_absolute_url(), {"record": "1", "attendees": [cast.maya.pk], "notes": "x"}
    )
    assert response.status_code == 200
    checkin.refresh_from_db()
    assert checkin.notes == ""


def test_the_agenda_names_her_teacher_to_her_coach_only(cast: Cast, client_for: Clients) -> None:
    checkins = around_now(cast, leaders_invited=True)
    last = checkins[3]
    goal = met_goal(cast, last.starts_at - datetime.timedelta(hours=1))
    lena = client_for(cast.lena).get(last.get_absolute_url())
    assert lena.context["agenda"].goals_met == 1
    assert [g.pk for g in lena.context["agenda"].my_goals_met] == [goal.pk]
    assert "MAYA GOAL" in lena.content.decode()
    assert AccessEvent.objects.filter(viewer=cast.lena).exists()
    for other, count in ((cast.nia, 1), (cast.dana, None)):  # a leader: suppressed under K
        page = client_for(other).get(last.get_absolute_url())
        body = page.content.decode()
        assert page.context["agenda"].goals_met == count
        assert page.context["agenda"].my_goals_met == []
        assert "Maya" not in body
        assert "MAYA GOAL" not in body


def test_a_goal_met_before_the_last_check_in_is_not_on_this_agenda(
    cast: Cast, client_for: Clients
) -> None:
    checkins = around_now(cast)
    met_goal(cast, checkins[1].starts_at - datetime.timedelta(hours=1))
    page = client_for(cast.lena).get(checkins[3].get_absolute_url())
    assert page.context["agenda"].goals_met == 0


def test_stalled_cycles_are_counted_and_shown_only_to_who_may_see_them(
    cast: Cast, client_for: Clients
) -> None:
    checkin = around_now(cast)[3]
    cycle = content.impact_cycle(cast)
    Cycle.objects.filter(pk=cycle.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=40)
    )
    lena = client_for(cast.lena).get(checkin.get_absolute_url()).context["agenda"]
    nia = client_for(cast.nia).get(checkin.get_absolute_url()).context["agenda"]
    assert (lena.stalled, [c.pk for c in lena.my_stalled]) == (1, [cycle.pk])
    assert (nia.stalled, nia.my_stalled) == (1, [])


def test_small_trends_are_suppressed(cast: Cast, client_for: Clients) -> None:
    checkin = around_now(cast)[3]
    content.goal(cast, author=cast.maya)  # one teacher's active goal: under K
    agenda = client_for(cast.lena).get(checkin.get_absolute_url()).context["agenda"]
    assert [t.teachers for t in agenda.measure_trends] == [None]
    assert agenda.many_coaches is None  # Maya has five coaches: one teacher, not shown


def test_skip_and_move_a_date(cast: Cast, client_for: Clients) -> None:
    checkin = around_now(cast)[3]
    client = client_for(cast.grace)
    client.post(reverse("checkin_skip", args=[checkin.uuid]), {"skipped": "1"})
    checkin.refresh_from_db()
    assert checkin.skipped
    day = checkin.original_start.astimezone(checkin.series.zone).date() + datetime.timedelta(1)
    client.post(reverse("checkin_move", args=[checkin.uuid]), {"date": day, "time": "14:30"})
    checkin.refresh_from_db()
    local = checkin.starts_at.astimezone(checkin.series.zone)
    assert (local.date(), local.hour, local.minute, checkin.skipped) == (day, 14, 30, False)
    assert checkin.moved


def test_list_page_in_a_few_queries(
    cast: Cast, client_for: Clients, django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        around_now(cast, title=f"Check-in {n}")
    client = client_for(cast.lena)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("checkin_list"))
    assert page.status_code == 200
    assert len(page.context["rows"]) == 3


def test_another_districts_people_cannot_see_the_list(cast: Cast, client_for: Clients) -> None:
    around_now(cast)
    page = client_for(cast.henry).get(reverse("checkin_list"))
    assert page.status_code == 200
    assert page.context["rows"] == []
    assert client_for(cast.maya).get(reverse("checkin_list")).status_code == 404


def test_a_goal_she_holds_back_is_not_counted(cast: Cast, client_for: Clients) -> None:
    checkins = around_now(cast)
    goal = met_goal(cast, checkins[3].starts_at - datetime.timedelta(hours=1))
    Goal.objects.filter(pk=goal.pk).update(held_back=True)
    page = client_for(cast.nia).get(checkins[3].get_absolute_url())
    assert page.context["agenda"].goals_met == 0
