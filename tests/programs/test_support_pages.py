"""Support, feedback and learning pages: who gets what, bad input, no score anywhere.

Maya's support is with Sam. Nia (a Jefferson coach who does not coach Maya), Dana (her
principal), Priya (the admin) and Henry (Hillview) get a 404 for the support pages.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.coaching.models import CoachingSession
from tandem.cycles.models import Cycle
from tandem.privacy.models import AccessEvent
from tandem.programs import services
from tandem.programs.models import Feedback, Modification, Response, SupportEngagement

from ..cast import Cast
from . import builders as b

pytestmark = pytest.mark.django_db


def _modify_data(support: SupportEngagement, **changes: str) -> dict[str, Any]:
    data = {
        "component": support.program.components.get().pk,
        "what": "Pairs talk before sharing",
        "for_whom": "English learners",
        "reason": "They need time to rehearse",
        "student_evidence": "Four more students shared",
    }
    data.update(changes)
    return data


def test_maya_chooses_visit_another_teacher_on_large_radio_cards(cast: Cast, client_for) -> None:
    support = b.support(cast, kind="modeling")
    maya = client_for(cast.maya)
    page = maya.get(support.get_absolute_url()).content.decode()
    assert 'class="choice-card"' in page
    assert "Visiting a colleague&#x27;s class" in page or "Visiting a colleague's class" in page
    response = maya.post(reverse("support_choose", args=[support.uuid]), {"kind": "peer_visit"})
    assert response.status_code == 302
    support.refresh_from_db()
    assert support.support_kind == "peer_visit"
    assert support.choices.count() == 2


def test_sam_cannot_choose_the_kind_of_support_for_maya(cast: Cast, client_for) -> None:
    support = b.support(cast, kind="modeling")
    response = client_for(cast.sam).post(
        reverse("support_choose", args=[support.uuid]), {"kind": "peer_visit"}
    )
    assert response.status_code == 403
    support.refresh_from_db()
    assert support.support_kind == "modeling"


@pytest.mark.parametrize("who", ["nia", "dana", "priya", "henry", "otto"])
def test_anyone_but_the_teacher_and_her_support_coach_gets_404(
    cast: Cast, client_for, who: str
) -> None:
    support = b.support(cast)
    client = client_for(getattr(cast, who))
    for name in ["support_detail", "support_log", "support_modify", "support_session"]:
        assert client.get(reverse(name, args=[support.uuid])).status_code == 404, name
    assert client.post(reverse("support_cycle", args=[support.uuid])).status_code == 404


def test_the_coach_reads_the_support_and_her_reading_is_recorded(cast: Cast, client_for) -> None:
    support = b.support(cast)
    response = client_for(cast.sam).get(support.get_absolute_url())
    assert response.status_code == 200
    assert AccessEvent.objects.filter(viewer=cast.sam, teacher=cast.maya).exists()


def test_a_modification_without_a_reason_shows_a_message_and_saves_nothing(
    cast: Cast, client_for
) -> None:
    support = b.support(cast)
    response = client_for(cast.maya).post(
        reverse("support_modify", args=[support.uuid]), _modify_data(support, reason="")
    )
    assert response.status_code == 200
    assert "Say why you adapted it" in response.content.decode()
    assert not Modification.objects.exists()


def test_a_modification_is_shown_as_a_professional_decision(cast: Cast, client_for) -> None:
    support = b.support(cast)
    maya = client_for(cast.maya)
    maya.post(reverse("support_modify", args=[support.uuid]), _modify_data(support))
    page = maya.get(support.get_absolute_url()).content.decode()
    assert "adapted for English learners" in page
    assert "deviation" not in page.lower()


def test_maya_logs_what_students_did_and_a_decision_with_its_evidence(
    cast: Cast, client_for
) -> None:
    support = b.support(cast)
    data = {
        "day": timezone.localdate().isoformat(),
        "components": [support.program.components.get().pk],
        "student_measure": "18 of 24 explained a strategy",
        "decision": "Keep it to ten minutes",
        "decision_evidence": "",
    }
    maya = client_for(cast.maya)
    response = maya.post(reverse("support_log", args=[support.uuid]), data)
    assert "Say which student evidence" in response.content.decode()
    data["decision_evidence"] = "Exit tickets: 20 of 24"
    assert maya.post(reverse("support_log", args=[support.uuid]), data).status_code == 302
    page = client_for(cast.sam).get(support.get_absolute_url()).content.decode()
    assert "Exit tickets: 20 of 24" in page


def test_a_support_session_is_planned_of_the_chosen_kind(cast: Cast, client_for) -> None:
    support = b.support(cast, kind="peer_visit")
    day = timezone.localdate() + datetime.timedelta(days=3)
    response = client_for(cast.sam).post(
        reverse("support_session", args=[support.uuid]),
        {"day": day.isoformat(), "time": "10:00", "duration_minutes": "45", "place": "Room 12"},
    )
    assert response.status_code == 302
    session = CoachingSession.objects.get(engagement=support.engagement)
    assert session.kind == "peer_visit"


def test_support_becomes_an_impact_cycle_from_its_page(cast: Cast, client_for) -> None:
    support = b.support(cast)
    response = client_for(cast.maya).post(reverse("support_cycle", args=[support.uuid]))
    cycle = Cycle.objects.get(teacher=cast.maya)
    assert response["Location"] == cycle.get_absolute_url()


def test_feedback_shows_up_in_you_said_we_did_after_the_leader_responds(
    cast: Cast, client_for
) -> None:
    program = b.program(cast)
    maya = client_for(cast.maya)
    response = maya.post(
        reverse("program_feedback", args=[program.uuid]),
        {"about": "support", "useful": "4", "clear": "2", "heard": "3", "comment": "More time"},
    )
    assert response.status_code == 302
    assert Feedback.objects.filter(teacher=cast.maya).count() == 1
    dana = client_for(cast.dana)
    page = dana.get(reverse("program_learning", args=[program.uuid])).content.decode()
    assert "More time" not in page  # one teacher: below 5, nothing shown
    dana.post(
        reverse("program_learning", args=[program.uuid]),
        {"heard": "Teachers asked for more planning time", "did": "Two planning days in March"},
    )
    assert Response.objects.filter(program=program).exists()
    page = maya.get(program.get_absolute_url()).content.decode()
    assert "Two planning days in March" in page


def test_feedback_aggregates_appear_to_leaders_from_five_teachers(cast: Cast, client_for) -> None:
    program = b.program(cast)
    for teacher in [cast.maya, *b.colleagues(cast, 4)]:
        services.give_feedback(
            program=program,
            teacher=teacher,
            about="program",
            useful=4,
            clear=4,
            heard=4,
            comment="Good visuals",
        )
    page = client_for(cast.dana).get(reverse("program_learning", args=[program.uuid]))
    text = page.content.decode()
    assert "From 5 teachers." in text
    assert "Maya Torres" not in text


def test_teachers_do_not_see_the_learning_page_and_other_districts_get_404(
    cast: Cast, client_for
) -> None:
    program = b.program(cast)
    assert (
        client_for(cast.maya).get(reverse("program_learning", args=[program.uuid])).status_code
        == 403
    )
    assert (
        client_for(cast.otto).get(reverse("program_learning", args=[program.uuid])).status_code
        == 404
    )
    assert (
        client_for(cast.hilda).get(reverse("program_feedback", args=[program.uuid])).status_code
        == 404
    )


# A checklist describes moves; nothing rates a teacher's fidelity or ranks teachers.
NO_SCORE = re.compile(
    r"fidelity|score|rank(ing|ed)? of teachers|%\s*(of\s+)?(the\s+)?checklist", re.I
)


def test_no_page_shows_a_fidelity_score_or_a_teacher_ranking(cast: Cast, client_for) -> None:
    program = b.program(cast)
    support = b.support(cast, program)
    for s in [support, *b.supported_teachers(cast, program, 4)]:
        services.modify_component(
            support=s,
            acting_user=s.teacher,
            component=program.components.get(),
            what="Shorter",
            for_whom="Everyone",
            reason="Time",
        )
    pages = [
        (cast.maya, support.get_absolute_url()),
        (cast.sam, support.get_absolute_url()),
        (cast.sam, reverse("support_list")),
        (cast.dana, reverse("program_learning", args=[program.uuid])),
        (cast.priya, reverse("program_learning", args=[program.uuid])),
        (cast.maya, program.get_absolute_url()),
    ]
    for user, url in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        assert not NO_SCORE.search(response.content.decode()), url


def test_the_support_list_keeps_its_queries_few(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:
    program = b.program(cast)
    specialist_supports = b.supported_teachers(cast, program, 3)
    coach = specialist_supports[0].engagement.coach  # type: ignore[union-attr]
    client = client_for(coach)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("support_list")).status_code == 200
