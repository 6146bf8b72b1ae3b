"""The observation pages: sessions through the privacy policy, the tools, the service worker.

Lena observed Maya's lessons; Maya shared one with Omar. Nia coaches at
Jefferson but not Maya; Dana is the principal; Henry is in Hillview.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import User
from tandem.observations.models import CustomTool, ObservationSession
from tandem.privacy import services as privacy
from tandem.privacy.models import AccessEvent

from .. import content
from ..cast import Cast
from .sessions import record

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _lenas(cast: Cast, **header: Any) -> ObservationSession:
    header.setdefault("lesson", "Fractions, period 3")
    return record(observer=cast.lena, teacher=cast.maya, **header)


# The sessions ---------------------------------------------------------------------


def test_the_teacher_sees_her_lessons_observations_with_their_headline_figures(
    cast: Cast, client_for: Clients
) -> None:
    _lenas(cast)
    record(observer=cast.maya, teacher=cast.maya, tool="praise")
    page = client_for(cast.maya).get(reverse("observation_list")).content.decode()
    assert "My lessons" in page
    assert "Talk time · Fractions, period 3" in page
    assert "<strong>30.0%</strong> Talk time: Students&#x27; share of the talk" in page
    assert "observed by Lena Brooks" in page
    assert not AccessEvent.objects.exists()  # her own reads are not logged


def test_a_coach_lists_what_she_recorded_and_what_is_shared_with_her_and_it_is_logged(
    cast: Cast, client_for: Clients
) -> None:
    mine = _lenas(cast)
    omars = record(observer=cast.omar, teacher=cast.maya, tool="responses")
    page = client_for(cast.lena).get(reverse("observation_list")).content.decode()
    assert str(mine.uuid) in page
    assert str(omars.uuid) not in page
    privacy.share_item(item=omars, coach=cast.lena, acting_user=cast.maya)
    page = client_for(cast.lena).get(reverse("observation_list")).content.decode()
    assert str(omars.uuid) in page
    assert AccessEvent.objects.filter(viewer=cast.lena, via="page").count() == 1 + 2


def test_the_list_reads_in_the_same_number_of_queries_for_one_session_or_many(
    cast: Cast, client_for: Clients
) -> None:
    client = client_for(cast.lena)
    _lenas(cast)
    client.get(reverse("observation_list"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("observation_list")).status_code == 200
        return len(captured)

    one = queries()
    for tool in ["time_on_task", "questions", "achievement", "custom"]:
        record(observer=cast.lena, teacher=cast.maya, tool=tool)
    assert queries() == one


@pytest.mark.parametrize("who", ["dana", "priya", "otto"])
def test_leaders_and_admins_have_no_observation_pages(
    who: str, cast: Cast, client_for: Clients
) -> None:
    client = client_for(cast.everyone()[who])
    for name in ["observation_list", "observation_tools", "observation_custom_tool_create"]:
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("observation_tool", args=["talk-time"])).status_code == 404


def test_the_detail_shows_the_figures_timeline_and_who_can_see_it_and_logs_the_read(
    cast: Cast, client_for: Clients
) -> None:
    session = _lenas(cast)
    page = client_for(cast.lena).get(session.get_absolute_url()).content.decode()
    assert "An observation of Maya Torres's lesson" in page
    assert "30.0%" in page
    assert page.count('<rect x="') == 4  # the timeline: teacher, students, silence, teacher
    assert '<td class="num">6:00</td><td class="num">60.0 %</td><td class="num">2</td>' in page
    assert "Who can see this" in page
    assert reverse("observation_events_csv", args=[session.uuid]) in page
    (event,) = AccessEvent.objects.all()
    assert (event.viewer, event.object_id, event.via) == (cast.lena, session.pk, "page")


def test_the_detail_in_spanish_writes_its_numbers_the_spanish_way_but_not_in_the_svg(
    cast: Cast, client_for: Clients
) -> None:
    session = record(observer=cast.lena, teacher=cast.maya, tool="time_on_task")
    client = client_for(cast.lena)
    client.cookies["django_language"] = "es"
    page = client.get(session.get_absolute_url()).content.decode()
    assert '<html lang="es">' in page
    assert ",0 %</td>" in page
    assert 'cx="' in page
    assert not any("," in value for value in _attributes(page, "cx"))


def _attributes(page: str, name: str) -> list[str]:
    import re

    return re.findall(rf'{name}="([^"]*)"', page)


def test_the_csv_page_gives_the_raw_events_and_logs_the_read(
    cast: Cast, client_for: Clients
) -> None:
    session = _lenas(cast)
    response = client_for(cast.lena).get(reverse("observation_events_csv", args=[session.uuid]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["seq"], r["kind"], r["label"]) for r in rows] == [
        ("1", "teacher", "Teacher"),
        ("2", "students", "Students"),
        ("3", "silence", "Silence"),
        ("4", "teacher", "Teacher"),
    ]
    assert AccessEvent.objects.filter(viewer=cast.lena).count() == 1


def test_the_observer_links_the_result_to_a_goal_and_the_teacher_unlinks_it(
    cast: Cast, client_for: Clients
) -> None:
    goal = content.goal(cast, engagement=content.cycle(cast, cast.lena))
    session = _lenas(cast)
    path = reverse("observation_link_goal", args=[session.uuid])
    response = client_for(cast.lena).post(path, {"goal": str(goal.uuid)}, follow=True)
    assert "Its result now measures the goal." in response.content.decode()
    assert goal.statement in response.content.decode()
    session.refresh_from_db()
    assert session.goal == goal
    client_for(cast.maya).post(path, {"goal": ""})
    session.refresh_from_db()
    assert session.goal is None


def test_a_goal_the_observer_cannot_see_is_refused_with_a_reason(
    cast: Cast, client_for: Clients
) -> None:
    hers = content.goal(cast)  # Maya's own, not shared with Lena
    session = _lenas(cast)
    path = reverse("observation_link_goal", args=[session.uuid])
    response = client_for(cast.lena).post(path, {"goal": str(hers.uuid)}, follow=True)
    assert "not one of this teacher&#x27;s goals that you can see" in response.content.decode()
    response = client_for(cast.lena).post(path, {"goal": "not-a-uuid"}, follow=True)
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.goal is None
    assert client_for(cast.lena).get(path).status_code == 405


# The tools ------------------------------------------------------------------------


def _config(page: str) -> dict[str, Any]:
    start = page.index('<script id="obs-config" type="application/json">') + len(
        '<script id="obs-config" type="application/json">'
    )
    return json.loads(page[start : page.index("</script>", start)])


def test_a_tool_page_offers_whom_she_may_observe_and_her_open_cycles_and_nothing_recorded(
    cast: Cast, client_for: Clients
) -> None:
    open_cycle = content.cycle(cast, cast.lena)
    closed = content.cycle(cast, cast.lena)
    closed.title, closed.closed_on = "Last spring's cycle", "2026-01-10"
    closed.save()
    content.cycle(cast, cast.omar).__class__.objects.filter(coach=cast.omar).update(
        title="Omar's cycle"
    )
    _lenas(cast, lesson="A lesson only the session knows")
    goal = content.goal(cast, engagement=open_cycle, statement="A goal statement, confidential")
    page = client_for(cast.lena).get(reverse("observation_tool", args=["talk-time"])).content
    text = page.decode()
    assert f'<option value="{cast.maya.uuid}">Maya Torres</option>' in text
    assert "Hilda" not in text
    assert "Luis Ortega</option>" not in text
    assert open_cycle.title in text
    assert "Last spring" not in text
    assert "Omar&#x27;s cycle" not in text
    # Offline copies of this page hold names and cycle titles, never coaching content.
    assert "A lesson only the session knows" not in text
    assert goal.statement not in text
    config = _config(text)
    assert config["observer"] == str(cast.lena.uuid)
    assert config["labels"] == {"teacher": "Teacher", "students": "Students", "silence": "Silence"}
    assert config["api"] == "/api/v1/observations/sessions/"


def test_a_teacher_observes_herself_and_a_coach_who_teaches_both(
    cast: Cast, client_for: Clients
) -> None:
    maya = client_for(cast.maya).get(reverse("observation_tool", args=["praise"])).content.decode()
    assert "Maya Torres (my own lesson)" in maya
    luis = client_for(cast.luis).get(reverse("observation_tool", args=["praise"])).content.decode()
    assert "Luis Ortega (my own lesson)" in luis
    assert ">Maya Torres</option>" in luis


def test_an_unknown_tool_does_not_exist(cast: Cast, client_for: Clients) -> None:
    client = client_for(cast.lena)
    assert client.get(reverse("observation_tool", args=["custom"])).status_code == 404
    assert client.get(reverse("observation_tool", args=["talk_time"])).status_code == 404


def test_a_coach_defines_an_interval_tool_and_records_with_it(
    cast: Cast, client_for: Clients
) -> None:
    client = client_for(cast.lena)
    response = client.post(
        reverse("observation_custom_tool_create"),
        {
            "name": "Turn and talk",
            "mode": "interval",
            "interval_seconds": "20",
            "label_1": "Everyone talking",
            "label_2": "Some talking",
        },
    )
    tool = CustomTool.objects.get()
    assert response["Location"] == tool.get_absolute_url()
    assert (tool.owner, tool.labels, tool.interval_seconds) == (
        cast.lena,
        ["Everyone talking", "Some talking"],
        20,
    )
    config = _config(client.get(tool.get_absolute_url()).content.decode())
    assert config["settings"] == {
        "name": "Turn and talk",
        "mode": "interval",
        "labels": ["Everyone talking", "Some talking"],
        "interval_seconds": 20,
    }
    assert config["customTool"] == str(tool.uuid)
    assert client_for(cast.omar).get(tool.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"mode": "interval", "label_1": "A"}, "An interval tool needs its interval."),
        ({"mode": "tally", "label_1": "A", "label_2": "A"}, "Give each label a different name."),
        ({"mode": "tally"}, "This field is required."),
    ],
)
def test_a_tool_definition_that_does_not_hold_says_why(
    fields: dict[str, str], error: str, cast: Cast, client_for: Clients
) -> None:
    response = client_for(cast.lena).post(
        reverse("observation_custom_tool_create"), {"name": "Hands", **fields}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not CustomTool.objects.exists()


def test_the_service_worker_covers_the_tools_and_holds_no_ones_data(
    cast: Cast, client_for: Clients
) -> None:
    response = Client().get(reverse("observation_service_worker"))
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/observations/"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    for tool in ["talk-time", "time-on-task", "achievement", "questions"]:
        assert f"/observations/tools/{tool}/" in script
    assert "/static/observations/recorder.js" in script
    assert "/api/" not in script.split("const PRECACHE")[1].split(";")[0]
    signed_in = client_for(cast.lena).get(reverse("observation_service_worker")).content.decode()
    assert signed_in == script  # the same for everyone: no one's data in it
