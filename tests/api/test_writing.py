"""Writing goals and notes through the API: the pages' services, for the teacher and her coaches.

Maya writes for herself; Lena, Omar, Sam, Grace and Luis for her while they
coach her; Nia (who does not), Dana and Priya may not (403); for Hillview, Maya
does not exist (404). What is written is then seen by exactly whom the privacy
rules say, and the answer says who that is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import User
from tandem.cycles.models import Goal
from tandem.notes.models import Note
from tandem.schools.models import Engagement, EngagementKind

from ..cast import Cast
from .conftest import API
from .items import RANDOM_UUID

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", body, content_type="application/json")


def _goal(client: Client, whose: User, **fields: Any) -> Any:
    body = {"teacher": str(whose.uuid), "statement": "Every student explains a strategy"}
    return _post(client, "/goals", {**body, **fields})


def _note(client: Client, whose: User, **fields: Any) -> Any:
    body = {"teacher": str(whose.uuid), "title": "Debrief", "body": "Wait time helped."}
    return _post(client, "/notes", {**body, **fields})


def _cycle(cast: Cast, coach: User, **fields: Any) -> Engagement:
    return Engagement.objects.create(
        district=cast.maple,
        school=cast.jefferson,
        teacher=cast.maya,
        coach=coach,
        kind=EngagementKind.IMPACT_CYCLE,
        title="Reasoning in math talks",
        **fields,
    )


# Goals --------------------------------------------------------------------------------


def test_teacher_sets_her_own_goal_and_it_is_hers_alone(cast: Cast, api_for: Clients) -> None:
    response = _goal(
        api_for(cast.maya), cast.maya, measure="% of exit tickets", baseline="35", target="80.5"
    )
    assert response.status_code == 201, response.content
    goal = response.json()
    assert (
        goal["author"]
        == goal["teacher"]
        == {
            "uuid": str(cast.maya.uuid),
            "display_name": "Maya Torres",
        }
    )
    assert (goal["baseline"], goal["target"], goal["status"]) == ("35.00", "80.50", "active")
    again = api_for(cast.maya).get(f"{API}/goals/{goal['uuid']}").json()
    assert (again["baseline"], again["target"]) == ("35.00", "80.50")
    assert [s["display_name"] for s in goal["who_can_see"]] == ["Maya Torres"]
    assert api_for(cast.lena).get(f"{API}/goals/{goal['uuid']}").status_code == 404


def test_coach_sets_a_goal_with_the_teacher_in_their_cycle_and_both_see_it(
    cast: Cast, api_for: Clients
) -> None:
    cycle = _cycle(cast, cast.lena)
    response = _goal(api_for(cast.lena), cast.maya, engagement=str(cycle.uuid))
    assert response.status_code == 201, response.content
    goal = response.json()
    assert goal["engagement"] == {"uuid": str(cycle.uuid), "title": "Reasoning in math talks"}
    assert {s["display_name"] for s in goal["who_can_see"]} == {"Maya Torres", "Lena Brooks"}
    assert api_for(cast.maya).get(f"{API}/goals/{goal['uuid']}").status_code == 200
    assert api_for(cast.omar).get(f"{API}/goals/{goal['uuid']}").status_code == 404
    assert Goal.objects.get(uuid=goal["uuid"]).author_id == cast.lena.pk


@pytest.mark.parametrize("who", ["nia", "dana", "priya", "ruth"])
def test_nobody_who_does_not_coach_her_writes_her_goals(
    who: str, cast: Cast, api_for: Clients
) -> None:
    response = _goal(api_for(cast.everyone()[who]), cast.maya)
    assert response.status_code == 403
    assert not Goal.objects.exists()


@pytest.mark.parametrize("who", ["henry", "hilda", "otto"])
def test_for_another_district_the_teacher_does_not_exist(
    who: str, cast: Cast, api_for: Clients
) -> None:
    client = api_for(cast.everyone()[who])
    nobody = _post(client, "/goals", {"teacher": RANDOM_UUID, "statement": "Every student"})
    assert _goal(client, cast.maya).content == nobody.content
    assert _note(client, cast.maya).status_code == 404
    assert not Goal.objects.exists()


def test_a_coach_files_only_into_coaching_work_she_is_part_of(cast: Cast, api_for: Clients) -> None:
    lenas = _cycle(cast, cast.lena)
    closed = _cycle(cast, cast.omar, closed_on=timezone.localdate())
    omar = api_for(cast.omar)
    assert _goal(omar, cast.maya, engagement=str(lenas.uuid)).status_code == 404
    assert _goal(omar, cast.maya, engagement=str(closed.uuid)).status_code == 404
    assert _goal(api_for(cast.maya), cast.maya, engagement=str(lenas.uuid)).status_code == 201


def test_a_target_equal_to_the_baseline_is_refused_in_the_services_words(
    cast: Cast, api_for: Clients
) -> None:
    response = _goal(api_for(cast.maya), cast.maya, baseline="40", target="40.00")
    assert response.status_code == 400
    assert response.json() == {"detail": "The target should differ from the baseline."}


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"statement": ""}, "statement"),
        ({"statement": "   "}, "statement"),
        ({"statement": "x" * 1001}, "statement"),
        ({"statement": "nul\x00"}, "statement"),
        ({"baseline": 35}, "baseline"),
        ({"baseline": True}, "baseline"),
        ({"baseline": "1.234"}, "baseline"),
        ({"baseline": "1e5"}, "baseline"),
        ({"baseline": "NaN"}, "baseline"),
        ({"target": "1234567"}, "target"),
        ({"teacher": 7}, "teacher"),
        ({"engagement": "cycle"}, "engagement"),
        ({"status": "met"}, "status"),
    ],
)
def test_a_goal_with_bad_input_gets_422_and_writes_nothing(
    fields: dict[str, Any], where: str, cast: Cast, api_for: Clients
) -> None:
    response = _goal(api_for(cast.maya), cast.maya, **fields)
    assert response.status_code == 422, response.content
    assert [e["loc"] for e in response.json()["errors"]] == [["body", "data", where]]
    assert not Goal.objects.exists()


# Notes --------------------------------------------------------------------------------


def test_coach_writes_a_meeting_note_the_teacher_reads(cast: Cast, api_for: Clients) -> None:
    response = _note(api_for(cast.grace), cast.maya, met_on="2025-03-04")
    assert response.status_code == 201, response.content
    note = response.json()
    assert (note["category"], note["met_on"], note["title"]) == ("notes", "2025-03-04", "Debrief")
    assert {s["display_name"] for s in note["who_can_see"]} == {"Maya Torres", "Grace Kim"}
    assert api_for(cast.maya).get(f"{API}/notes/{note['uuid']}").status_code == 200


def test_a_coachs_private_note_is_hers_alone_not_even_the_teachers(
    cast: Cast, api_for: Clients
) -> None:
    response = _note(api_for(cast.sam), cast.maya, private=True)
    assert response.status_code == 201, response.content
    note = response.json()
    assert note["category"] == "coach_private"
    assert [s["display_name"] for s in note["who_can_see"]] == ["Sam Okafor"]
    maya = api_for(cast.maya)
    assert maya.get(f"{API}/notes/{note['uuid']}").status_code == 404
    assert maya.get(f"{API}/notes").json()["count"] == 0


def test_a_teachers_reflection_cannot_be_private_it_is_hers_already(
    cast: Cast, api_for: Clients
) -> None:
    response = _note(api_for(cast.maya), cast.maya, private=True)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Private notes are a coach's; your reflections are yours already."
    }
    reflection = _note(api_for(cast.maya), cast.maya)
    assert reflection.status_code == 201
    assert reflection.json()["met_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": ""}, "body"),
        ({"met_on": 20250304}, "met_on"),
        ({"met_on": "4 March"}, "met_on"),
        ({"private": 1}, "private"),
        ({"private": "yes"}, "private"),
        ({"category": "notes"}, "category"),
    ],
)
def test_a_note_with_bad_input_gets_422_and_writes_nothing(
    fields: dict[str, Any], where: str, cast: Cast, api_for: Clients
) -> None:
    response = _note(api_for(cast.lena), cast.maya, **fields)
    assert response.status_code == 422, response.content
    assert [e["loc"] for e in response.json()["errors"]] == [["body", "data", where]]
    assert not Note.objects.exists()
