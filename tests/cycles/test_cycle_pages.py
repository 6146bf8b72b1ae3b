"""The cycle pages and the Identify stage, driven through URLs as the cast.

Maya's cycle with Lena. Omar coaches Maya but not in this cycle; Nia coaches at
Jefferson, not Maya; Dana is the principal; Henry is in Hillview.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tandem.cycles.models import Cycle, Evidence, Goal, Stage
from tandem.privacy import services as privacy
from tandem.privacy.models import AccessEvent

from .. import content
from ..cast import Cast
from . import identify

pytestmark = pytest.mark.django_db


def _url(name: str, cycle: Any) -> str:
    return reverse(name, args=[cycle.uuid])


def test_a_coach_starts_a_cycle_with_a_teacher_she_coaches(cast: Cast, client_for) -> None:
    lena = client_for(cast.lena)
    assert "Maya Torres" in lena.get(reverse("cycle_create")).content.decode()
    done = lena.post(reverse("cycle_create"), {"partner": cast.maya.pk, "title": "Math talk"})
    cycle = Cycle.objects.get()
    assert done.url == cycle.get_absolute_url()
    assert (cycle.teacher, cycle.engagement.coach) == (cast.maya, cast.lena)  # type: ignore[union-attr]


def test_a_teacher_starts_a_cycle_with_one_of_her_coaches_and_not_with_a_stranger(
    cast: Cast, client_for
) -> None:
    maya = client_for(cast.maya)
    refused = maya.post(reverse("cycle_create"), {"partner": cast.nia.pk})
    assert refused.status_code == 200
    assert not Cycle.objects.exists()
    maya.post(reverse("cycle_create"), {"partner": cast.omar.pk, "title": ""})
    assert Cycle.objects.get().engagement.coach == cast.omar  # type: ignore[union-attr]


def test_the_cycle_page_shows_the_stage_and_the_next_step_for_each_person(
    cast: Cast, client_for
) -> None:
    cycle = content.impact_cycle(cast)
    page = client_for(cast.maya).get(_url("cycle_detail", cycle)).content.decode()
    assert 'aria-current="step"' in page
    assert (
        "Start with a clear picture: add a lesson video, student work or your reflection." in page
    )
    coach = client_for(cast.lena).get(_url("cycle_detail", cycle)).content.decode()
    assert "add observation data, student work or notes" in coach
    assert AccessEvent.objects.filter(viewer=cast.lena, object_id=cycle.pk).count() == 1


@pytest.mark.parametrize("who", ["nia", "omar", "dana", "priya", "henry", "hilda"])
def test_someone_not_in_the_cycle_gets_the_page_of_a_cycle_that_does_not_exist(
    cast: Cast, client_for, who: str
) -> None:
    cycle = content.impact_cycle(cast)
    client = client_for(getattr(cast, who))
    hidden = client.get(_url("cycle_detail", cycle))
    missing_id = content.random_uuid()
    missing = client.get(reverse("cycle_detail", args=[missing_id]))
    assert content.same_404(hidden, missing, cycle.uuid, missing_id)


def _add(client: Client, cycle: Cycle, **data: Any) -> Any:
    return client.post(_url("evidence_create", cycle), data)


def test_evidence_uploaded_by_the_teacher_is_hers_alone_until_she_releases_it(
    cast: Cast, client_for
) -> None:
    cycle = content.impact_cycle(cast)
    maya, lena = client_for(cast.maya), client_for(cast.lena)
    done = _add(
        maya,
        cycle,
        kind="student_work",
        title="Exit tickets",
        upload=identify.upload("tickets.pdf", identify.PDF),
    )
    assert done.status_code == 302
    row = Evidence.objects.get()
    assert row.held_back
    assert lena.get(row.get_absolute_url()).status_code == 404
    assert lena.get(_url("evidence_file", row)).status_code == 404
    assert "Exit tickets" not in lena.get(_url("cycle_detail", cycle)).content.decode()
    maya.post(reverse("item_hold_back", args=["evidence", row.uuid]), {"held": "0"})
    got = lena.get(_url("evidence_file", row))
    assert got.status_code == 200
    assert got["Content-Disposition"].startswith("attachment")
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Type"] == "application/pdf"
    assert b"".join(got.streaming_content) == identify.PDF


def test_a_disguised_file_is_refused_on_the_form_with_nothing_saved(cast: Cast, client_for) -> None:
    cycle = content.impact_cycle(cast)
    refused = _add(
        client_for(cast.maya),
        cycle,
        kind="student_work",
        title="Work",
        upload=identify.upload("work.pdf", b"MZ\x90 not a pdf"),
    )
    assert refused.status_code == 200
    assert "Nothing was saved" in refused.content.decode()
    assert not Evidence.objects.exists()


def test_the_teacher_is_told_the_coachs_reflection_waits_for_hers(cast: Cast, client_for) -> None:
    cycle = content.impact_cycle(cast)
    _add(client_for(cast.lena), cycle, kind="coach_reflection", title="Lena's", text="Calm start")
    maya = client_for(cast.maya)
    page = maya.get(_url("cycle_detail", cycle)).content.decode()
    assert "Lena's" not in page
    assert "shows here once you have written yours" in page
    lenas = Evidence.objects.get()
    assert maya.get(lenas.get_absolute_url()).status_code == 404
    _add(maya, cycle, kind="teacher_reflection", title="Mine", text="It felt rushed")
    assert "Lena&#x27;s" in maya.get(_url("cycle_detail", cycle)).content.decode()


def test_only_the_author_removes_evidence(cast: Cast, client_for) -> None:
    cycle = content.impact_cycle(cast)
    _add(client_for(cast.lena), cycle, kind="student_interview", title="Notes", text="Said x")
    row = Evidence.objects.get()
    assert client_for(cast.maya).post(_url("evidence_delete", row)).status_code == 403
    assert client_for(cast.lena).post(_url("evidence_delete", row)).status_code == 302
    assert not Evidence.objects.exists()


def test_the_conversation_seeds_the_goal_builder(cast: Cast, client_for) -> None:
    cycle = content.impact_cycle(cast)
    maya = client_for(cast.maya)
    page = maya.get(_url("cycle_conversation", cycle)).content.decode()
    assert "What went the way you hoped?" in page
    assert 'type="radio"' in page
    done = maya.post(
        _url("cycle_conversation", cycle),
        {
            "lesson_rating": "6",
            "closer_to_ideal": "More of them talking",
            "students_differently": "Students explain their reasoning to each other",
            "version": cycle.version,
        },
    )
    assert done.url == _url("cycle_goal", cycle)
    builder = maya.get(_url("cycle_goal", cycle)).content.decode()
    assert builder.count("Students explain their reasoning to each other") == 2  # field + beside
    assert "6 out of 10" in builder


def test_a_second_tab_is_told_the_cycle_changed(cast: Cast, client_for) -> None:
    cycle = content.impact_cycle(cast)
    data = {"lesson_rating": "5", "students_differently": "A", "version": cycle.version}
    maya = client_for(cast.maya)
    assert maya.post(_url("cycle_conversation", cycle), data).status_code == 302
    second = maya.post(_url("cycle_conversation", cycle), {**data, "students_differently": "B"})
    assert "changed by someone else" in second.content.decode()
    cycle.refresh_from_db()
    assert cycle.students_differently == "A"


def _goal_data(**extra: Any) -> dict[str, Any]:
    return {
        "statement": "80% of students explain their reasoning",
        "measure_kind": "percentage",
        "measure": "exit tickets",
        "baseline": "35",
        "target": "80",
        "peers": ["powerful", "student_focused"],
        "version": "0",
        **extra,
    }


def test_the_goal_builder_creates_then_edits_and_a_stale_tab_overwrites_nothing(
    cast: Cast, client_for
) -> None:
    cycle = content.impact_cycle(cast)
    maya, lena = client_for(cast.maya), client_for(cast.lena)
    assert maya.post(_url("cycle_goal", cycle), _goal_data()).status_code == 302
    goal = Goal.objects.get(cycle=cycle)
    assert goal.powerful
    assert goal.engagement_id == cycle.engagement_id
    first = lena.post(_url("cycle_goal", cycle), _goal_data(statement="Tab one", version="1"))
    assert first.status_code == 302
    stale = maya.post(_url("cycle_goal", cycle), _goal_data(statement="Tab two", version="1"))
    assert "changed by someone else" in stale.content.decode()
    goal.refresh_from_db()
    assert goal.statement == "Tab one"
    over = maya.post(_url("cycle_goal", cycle), _goal_data(target="120", version="2"))
    assert "between 0 and 100" in over.content.decode()


@pytest.mark.parametrize(
    ("language", "statement", "prompt"),
    [
        ("en", "I will use more wait time", "reads as something the teacher will do"),
        ("es", "Voy a usar más tiempo de espera", "TRANSLATED"),
    ],
)
def test_a_goal_about_the_teacher_gets_a_gentle_prompt_after_saving(
    cast: Cast, client_for, language: str, statement: str, prompt: str
) -> None:
    cycle = content.impact_cycle(cast)
    maya = client_for(cast.maya)
    maya.post(reverse("set_language"), {"language": language, "next": "/"})
    done = maya.post(_url("cycle_goal", cycle), _goal_data(statement=statement))
    assert done.url == _url("cycle_goal", cycle)  # saved, and back to refocus if she likes
    assert Goal.objects.get(cycle=cycle).statement == statement
    page = maya.get(done.url).content.decode()
    with translation.override(language):
        expected = translation.gettext(
            "This goal reads as something the teacher will do. Goals work best when they name "
            "what students will do, so you can see them change."
        )
    assert expected in page
    if language == "en":
        assert prompt in page


def test_the_strategy_is_chosen_after_the_goal_and_the_cycle_moves_to_learn(
    cast: Cast, client_for
) -> None:
    cycle = content.impact_cycle(cast)
    chosen = identify.strategy(name="Think-pair-share", tags=["discussion"])
    identify.strategy(name="Exit tickets", tags=["assessment"])
    lena = client_for(cast.lena)
    early = lena.post(
        _url("cycle_strategy", cycle), {"strategy": chosen.uuid, "version": cycle.version}
    )
    assert early.status_code == 400
    identify.measured_goal(cycle)
    cycle.refresh_from_db()
    page = lena.get(_url("cycle_strategy", cycle), {"tag": "discussion"}).content.decode()
    assert "Think-pair-share" in page
    assert "Exit tickets" not in page
    done = lena.post(
        _url("cycle_strategy", cycle), {"strategy": chosen.uuid, "version": cycle.version}
    )
    assert done.status_code == 302
    cycle.refresh_from_db()
    assert cycle.stage == Stage.LEARN


def test_a_coach_who_only_reads_the_cycle_may_not_change_it(cast: Cast, client_for) -> None:
    cycle = content.impact_cycle(cast)
    privacy.share_item(item=cycle, coach=cast.omar, acting_user=cast.maya)
    omar = client_for(cast.omar)
    assert omar.get(_url("cycle_detail", cycle)).status_code == 200
    for name in ["cycle_goal", "cycle_conversation", "cycle_strategy", "evidence_create"]:
        assert omar.get(_url(name, cycle)).status_code == 403, name


def test_the_cycle_page_runs_the_same_queries_with_one_or_many_pieces_of_evidence(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..observations.sessions import record

    cycle = content.impact_cycle(cast)
    identify.measured_goal(cycle)
    lena = client_for(cast.lena)
    identify.text_evidence(cycle, cast.lena, title="One")
    first = record(observer=cast.lena, teacher=cast.maya)
    identify.text_evidence(cycle, cast.lena, kind="observation", title="O", item=first)
    with CaptureQueriesContext(connection) as one:
        assert lena.get(_url("cycle_detail", cycle)).status_code == 200
    for n in range(8):
        identify.text_evidence(cycle, cast.lena, title=f"More {n}")
        session = record(observer=cast.lena, teacher=cast.maya)
        identify.text_evidence(cycle, cast.lena, kind="observation", title=f"O{n}", item=session)
    with django_assert_max_num_queries(len(one)):
        assert lena.get(_url("cycle_detail", cycle)).status_code == 200


def test_the_cycle_list_groups_by_teacher_with_the_stage_in_words(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:
    content.impact_cycle(cast)
    content.impact_cycle(cast, coach=cast.omar)
    lena = client_for(cast.lena)
    with django_assert_max_num_queries(10):
        page = lena.get(reverse("cycle_list")).content.decode()
    assert "Maya Torres" in page
    assert "Identify" in page
    assert page.count('class="item-title"') == 1  # Omar's cycle is not Lena's to see
    assert client_for(cast.dana).get(reverse("cycle_list")).status_code == 404
