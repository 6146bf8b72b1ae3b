"""The Impact Cycles API (Identify): the pages' rules, through the same services and door.

Maya's cycle with Lena (tests/content.py `impact_cycle`). Omar coaches Maya but not in
this cycle (he sees what Maya shares with him); Nia coaches at Jefferson, not Maya;
Henry coaches in Hillview.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from django.test import Client

from tandem.accounts.models import ApiToken, User
from tandem.cycles.models import Cycle, Evidence, Goal, Stage
from tandem.privacy import services as privacy
from tandem.privacy.models import AccessEvent

from .. import content
from ..api.conftest import API
from ..cast import Cast
from . import identify

pytestmark = pytest.mark.django_db

Api = Callable[[User], Client]


@pytest.fixture
def api(db: None) -> Api:
    """A client that sends a fresh personal access token of the given person."""

    def client(user: User) -> Client:
        _token, raw = ApiToken.issue(user=user, name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return client


def _send(client: Client, method: str, path: str, body: Any = None) -> Any:
    if body is None:
        return client.generic(method, API + path)
    return client.generic(method, API + path, json.dumps(body), content_type="application/json")


def _goal_body(**fields: Any) -> dict[str, Any]:
    return {
        "statement": "80% of students explain their reasoning in writing",
        "measure": "exit tickets with reasoning",
        "measure_kind": "percentage",
        "baseline": "35",
        "target": "80",
        "peers": ["powerful", "student_focused"],
        "version": 0,
        **fields,
    }


def test_a_coach_starts_a_cycle_with_a_teacher_she_coaches(cast: Cast, api: Api) -> None:
    made = _send(api(cast.lena), "POST", "/cycles", {"partner": str(cast.maya.uuid)})
    assert made.status_code == 201, made.content
    cycle = Cycle.objects.get(uuid=made.json()["uuid"])
    assert (cycle.teacher, cycle.engagement.coach) == (cast.maya, cast.lena)  # type: ignore[union-attr]
    assert made.json()["stage"] == "identify"


def test_a_teacher_starts_a_cycle_with_her_coach_but_not_with_a_stranger(
    cast: Cast, api: Api
) -> None:
    maya = api(cast.maya)
    assert _send(maya, "POST", "/cycles", {"partner": str(cast.nia.uuid)}).status_code == 403
    assert _send(maya, "POST", "/cycles", {"partner": str(cast.henry.uuid)}).status_code == 404
    assert not Cycle.objects.exists()
    made = _send(maya, "POST", "/cycles", {"partner": str(cast.omar.uuid), "title": "Talk"})
    assert made.status_code == 201
    assert made.json()["coach"]["display_name"] == cast.omar.display_name
    assert made.json()["title"] == "Talk"


def test_a_coach_who_does_not_coach_maya_gets_404_like_a_random_uuid(cast: Cast, api: Api) -> None:
    cycle = content.impact_cycle(cast)
    for who in (cast.nia, cast.dana, cast.henry):
        client = api(who)
        for method, path, body in [
            ("GET", "/cycles/{}", None),
            ("GET", "/cycles/{}/evidence", None),
            ("PUT", "/cycles/{}/conversation", {"lesson_rating": 6, "version": 1}),
            ("PUT", "/cycles/{}/goal", _goal_body()),
        ]:
            hidden = _send(client, method, path.format(cycle.uuid), body)
            missing = _send(client, method, path.format(uuid4()), body)
            assert hidden.status_code == 404, (who, path)
            assert hidden.content == missing.content
        listed = _send(client, "GET", "/cycles").json()
        assert listed == {"items": [], "count": 0}
    assert Cycle.objects.get().lesson_rating is None
    assert not Goal.objects.exists()


def test_the_list_is_paginated_and_its_reads_are_logged_for_the_teacher(
    cast: Cast, api: Api
) -> None:
    for _ in range(3):
        content.impact_cycle(cast)
    page = _send(api(cast.lena), "GET", "/cycles?page_size=2&page=2").json()
    assert page["count"] == 3
    assert len(page["items"]) == 1
    assert AccessEvent.objects.filter(viewer=cast.lena).count() == 1
    too_many = _send(api(cast.lena), "GET", "/cycles?page_size=51")
    assert too_many.status_code == 422


def test_the_conversation_is_saved_and_a_stale_version_is_409_and_changes_nothing(
    cast: Cast, api: Api
) -> None:
    cycle = content.impact_cycle(cast)
    body = {
        "lesson_rating": 6,
        "closer_to_ideal": "More students talking",
        "students_differently": "Explain their thinking",
        "version": cycle.version,
    }
    saved = _send(api(cast.maya), "PUT", f"/cycles/{cycle.uuid}/conversation", body)
    assert saved.status_code == 200, saved.content
    assert saved.json()["lesson_rating"] == 6
    assert saved.json()["version"] == cycle.version + 1
    stale = _send(
        api(cast.lena),
        "PUT",
        f"/cycles/{cycle.uuid}/conversation",
        {**body, "lesson_rating": 2, "version": cycle.version},
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    cycle.refresh_from_db()
    assert (cycle.lesson_rating, cycle.version) == (6, saved.json()["version"])


def test_a_rating_outside_1_to_10_is_refused_with_the_services_sentence(
    cast: Cast, api: Api
) -> None:
    cycle = content.impact_cycle(cast)
    body = {"lesson_rating": 11, "version": cycle.version}
    refused = _send(api(cast.maya), "PUT", f"/cycles/{cycle.uuid}/conversation", body)
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Choose a number from 1 to 10."}


def test_a_coach_who_reads_a_shared_cycle_may_not_change_it(cast: Cast, api: Api) -> None:
    cycle = content.impact_cycle(cast)
    privacy.share_item(item=cycle, coach=cast.omar, acting_user=cast.maya)
    omar = api(cast.omar)
    assert _send(omar, "GET", f"/cycles/{cycle.uuid}").json()["works_on"] is False
    body = {"lesson_rating": 4, "version": cycle.version}
    assert _send(omar, "PUT", f"/cycles/{cycle.uuid}/conversation", body).status_code == 403
    assert _send(omar, "PUT", f"/cycles/{cycle.uuid}/goal", _goal_body()).status_code == 403
    assert not Goal.objects.exists()


def test_the_goal_is_created_then_updated_and_a_stale_goal_version_is_409(
    cast: Cast, api: Api
) -> None:
    cycle = content.impact_cycle(cast)
    lena, maya = api(cast.lena), api(cast.maya)
    made = _send(lena, "PUT", f"/cycles/{cycle.uuid}/goal", _goal_body())
    assert made.status_code == 201, made.content
    assert made.json()["refocus"] is None
    assert made.json()["peers"] == ["powerful", "student_focused"]
    version = made.json()["version"]
    again = _send(maya, "PUT", f"/cycles/{cycle.uuid}/goal", _goal_body(version=0))
    assert again.status_code == 409  # she opened it before Lena created it
    changed = _send(
        maya, "PUT", f"/cycles/{cycle.uuid}/goal", _goal_body(target="85", version=version)
    )
    assert changed.status_code == 200
    assert changed.json()["target"] == "85.00"
    stale = _send(
        lena, "PUT", f"/cycles/{cycle.uuid}/goal", _goal_body(target="90", version=version)
    )
    assert stale.status_code == 409
    assert Goal.objects.get().target == Decimal(85)


@pytest.mark.parametrize(
    ("fields", "sentence"),
    [
        ({"baseline": "50", "target": "50"}, "The target should differ from the baseline."),
        (
            {"target": "120"},
            "For this measure the baseline and the target are between 0 and 100.",
        ),
        (
            {"measure_kind": "count", "baseline": "-3", "target": "5"},
            "The baseline and the target cannot be below 0.",
        ),
        (
            {"measure_kind": "score", "scale_max": "0", "baseline": "1", "target": "3"},
            "The highest possible score should be above 0.",
        ),
    ],
)
def test_the_measure_rules_are_a_400_with_the_services_sentence(
    cast: Cast, api: Api, fields: dict[str, Any], sentence: str
) -> None:
    cycle = content.impact_cycle(cast)
    refused = _send(api(cast.maya), "PUT", f"/cycles/{cycle.uuid}/goal", _goal_body(**fields))
    assert refused.status_code == 400
    assert refused.json() == {"detail": sentence}
    assert not Goal.objects.exists()


def test_a_goal_about_the_teachers_behaviour_is_saved_with_a_gentle_prompt(
    cast: Cast, api: Api
) -> None:
    cycle = content.impact_cycle(cast)
    body = _goal_body(statement="I will use more wait time")
    saved = _send(api(cast.maya), "PUT", f"/cycles/{cycle.uuid}/goal", body)
    assert saved.status_code == 201
    assert "what students will do" in saved.json()["refocus"]
    assert "keep it as it is" in saved.json()["refocus"]
    shown = _send(api(cast.lena), "GET", f"/cycles/{cycle.uuid}").json()
    assert shown["goal"]["refocus"] == saved.json()["refocus"]


def test_the_strategy_is_chosen_with_the_cycles_version_and_the_cycle_moves_to_learn(
    cast: Cast, api: Api
) -> None:
    cycle = content.impact_cycle(cast)
    chosen = identify.strategy(checklist=["Pose", "Pause", "Pick"])
    early = _send(
        api(cast.lena),
        "PUT",
        f"/cycles/{cycle.uuid}/strategy",
        {"strategy": str(chosen.uuid), "version": cycle.version},
    )
    assert early.status_code == 400  # the goal comes first
    identify.measured_goal(cycle)
    cycle.refresh_from_db()
    stale = _send(
        api(cast.lena),
        "PUT",
        f"/cycles/{cycle.uuid}/strategy",
        {"strategy": str(chosen.uuid), "version": cycle.version + 1},
    )
    assert stale.status_code == 409
    assert Cycle.objects.get().stage == Stage.IDENTIFY
    unknown = _send(
        api(cast.lena),
        "PUT",
        f"/cycles/{cycle.uuid}/strategy",
        {"strategy": str(uuid4()), "version": cycle.version},
    )
    assert unknown.json() == {"detail": "Choose a strategy from the library."}
    done = _send(
        api(cast.lena),
        "PUT",
        f"/cycles/{cycle.uuid}/strategy",
        {"strategy": str(chosen.uuid), "version": cycle.version},
    )
    assert done.status_code == 200, done.content
    assert done.json()["stage"] == "learn"
    assert done.json()["strategy"] == {"uuid": str(chosen.uuid), "name": "Think-pair-share"}
    assert list(Cycle.objects.get().checklist.values_list("text", flat=True)) == [
        "Pose",
        "Pause",
        "Pick",
    ]


def test_evidence_the_teacher_adds_is_hers_alone_until_she_releases_it(
    cast: Cast, api: Api
) -> None:
    cycle = content.impact_cycle(cast)
    body = {"kind": "student_work", "title": "Exit tickets", "text": "12 of 28 explained."}
    added = _send(api(cast.maya), "POST", f"/cycles/{cycle.uuid}/evidence", body)
    assert added.status_code == 201, added.content
    assert added.json()["held_back"] is True
    assert _send(api(cast.lena), "GET", f"/cycles/{cycle.uuid}/evidence").json() == []
    privacy.hold_back(item=Evidence.objects.get(), acting_user=cast.maya, held=False)
    seen = _send(api(cast.lena), "GET", f"/cycles/{cycle.uuid}").json()
    assert [e["title"] for e in seen["evidence"]] == ["Exit tickets"]


def test_evidence_is_refused_with_the_services_sentences(cast: Cast, api: Api) -> None:
    cycle = content.impact_cycle(cast)
    lena = api(cast.lena)
    path = f"/cycles/{cycle.uuid}/evidence"
    blank = _send(lena, "POST", path, {"kind": "student_interview", "title": " ", "text": "x"})
    assert blank.json() == {"detail": "Give the evidence a title."}
    hers = _send(lena, "POST", path, {"kind": "teacher_reflection", "title": "Mine", "text": "x"})
    assert hers.json() == {"detail": "Only the teacher writes her reflection."}
    link = {"kind": "student_work", "title": "A", "text": "x", "item": str(uuid4())}
    assert _send(lena, "POST", path, link).status_code == 400
    stranger = {"kind": "video", "title": "A lesson", "item": str(uuid4())}
    assert _send(lena, "POST", path, stranger).json() == {
        "detail": "Choose one of the teacher's items that you may see."
    }
    assert not Evidence.objects.exists()


def test_a_lesson_video_is_linked_by_its_uuid_and_shown_to_those_who_may_see_it(
    cast: Cast, api: Api
) -> None:
    from ..media.builders import video

    lesson = video(cast, shared_with=cast.lena)
    cycle = content.impact_cycle(cast)
    body = {"kind": "video", "title": "Fractions", "item": str(lesson.uuid)}
    added = _send(api(cast.lena), "POST", f"/cycles/{cycle.uuid}/evidence", body)
    assert added.status_code == 201, added.content
    assert added.json()["linked"]["uuid"] == str(lesson.uuid)
    nia = {"kind": "video", "title": "Fractions", "item": str(lesson.uuid)}
    assert _send(api(cast.nia), "POST", f"/cycles/{cycle.uuid}/evidence", nia).status_code == 404


def test_only_its_author_removes_evidence(cast: Cast, api: Api) -> None:
    cycle = content.impact_cycle(cast)
    notes = identify.text_evidence(cycle, cast.lena, title="Interview notes")
    assert _send(api(cast.maya), "DELETE", f"/evidence/{notes.uuid}").status_code == 403
    hidden = _send(api(cast.nia), "DELETE", f"/evidence/{notes.uuid}")
    assert hidden.content == _send(api(cast.nia), "DELETE", f"/evidence/{uuid4()}").content
    assert hidden.status_code == 404
    assert Evidence.objects.exists()
    assert _send(api(cast.lena), "DELETE", f"/evidence/{notes.uuid}").status_code == 204
    assert not Evidence.objects.exists()


def test_the_cycle_is_read_in_a_constant_number_of_queries(
    cast: Cast, api: Api, django_assert_max_num_queries: Any
) -> None:
    cycle = content.impact_cycle(cast)
    identify.measured_goal(cycle)
    for n in range(6):
        identify.text_evidence(cycle, cast.lena, title=f"Notes {n}")
    lena = api(cast.lena)
    with django_assert_max_num_queries(14):
        shown = _send(lena, "GET", f"/cycles/{cycle.uuid}")
    assert len(shown.json()["evidence"]) == 6
