"""Adoption decisions: who opens and records them, who sees them, the k=5 gate, the deadline."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.notifications.models import Notification
from tandem.programs import services
from tandem.programs.models import AdoptionDecision, AdoptionInput, ProgramStatus

from .. import factories as f
from ..cast import Cast
from .builders import colleagues, decision, give, program

pytestmark = pytest.mark.django_db


def _close(asked: AdoptionDecision) -> None:
    AdoptionDecision.objects.filter(pk=asked.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )


def test_every_teacher_in_scope_is_invited_in_the_app_without_names_or_programs(
    cast: Cast,
) -> None:
    asked = decision(cast)
    invited = Notification.objects.filter(url=asked.get_absolute_url())
    assert set(invited.values_list("user_id", flat=True)) == {cast.maya.pk, cast.luis.pk}
    for text in invited.values_list("text", flat=True):
        assert "Bridges" not in text
        assert "Dana" not in text


def test_leaders_see_only_the_count_until_five_inputs_exist(cast: Cast, client_for) -> None:
    more = colleagues(cast, 3)
    asked = decision(cast)
    for teacher in [cast.maya, cast.luis, *more[:2]]:
        give(asked, teacher, helps=f"Words of {teacher.display_name}")
    dana = client_for(cast.dana)
    page = dana.get(asked.get_absolute_url()).content.decode()
    assert "4 inputs so far" in page
    assert "Words of" not in page
    assert "Maya Torres" not in page
    assert "4 of 5 teachers in scope took part" in page
    give(asked, more[2], anonymous=True, helps="Quiet words")
    page = dana.get(asked.get_absolute_url()).content.decode()
    assert "Words of Maya Torres" in page
    assert "Quiet words" in page
    assert "5 of 5 teachers in scope took part" in page


def test_a_teacher_never_reads_other_teachers_inputs(cast: Cast, client_for) -> None:
    asked = decision(cast)
    for teacher in colleagues(cast, 5):
        give(asked, teacher, helps="Someone else's words")
    page = client_for(cast.maya).get(asked.get_absolute_url()).content.decode()
    assert "Someone else's words" not in page
    assert "5 of 7 teachers in scope took part" in page


def test_with_fewer_than_five_in_scope_anonymous_input_is_warned_before_it_is_sent(
    cast: Cast, client_for
) -> None:
    asked = decision(cast)  # Jefferson: Maya and Luis
    maya = client_for(cast.maya)
    page = maya.get(asked.get_absolute_url()).content.decode()
    assert "Fewer than 5 teachers are asked." in page
    candidates = list(asked.candidates.order_by("name"))
    data = {
        "anonymity": "anonymous",
        "helps": "Graphing tools",
        f"rank_{candidates[0].uuid}": "1",
        f"rank_{candidates[1].uuid}": "2",
    }
    page = maya.post(reverse("decision_input", args=[asked.uuid]), data).content.decode()
    assert "Confirm that you understand" in page
    assert not AdoptionInput.objects.exists()
    maya.post(reverse("decision_input", args=[asked.uuid]), {**data, "understood": "on"})
    assert AdoptionInput.objects.get().attributed_to_id is None


def test_no_warning_with_five_or_more_in_scope(cast: Cast, client_for) -> None:
    colleagues(cast, 3)
    asked = decision(cast)
    page = client_for(cast.maya).get(asked.get_absolute_url()).content.decode()
    assert "Fewer than 5 teachers are asked." not in page


def test_input_after_the_deadline_is_refused_and_nothing_is_stored(cast: Cast, client_for) -> None:
    asked = decision(cast)
    _close(asked)
    response = client_for(cast.maya).post(
        reverse("decision_input", args=[asked.uuid]),
        {"anonymity": "named", "helps": "Late"},
        follow=True,
    )
    assert "The deadline for input has passed: nothing was saved." in response.content.decode()
    with pytest.raises(ValidationError):
        give(asked, cast.maya)
    assert not AdoptionInput.objects.exists()


def test_only_leaders_open_decisions(cast: Cast, client_for) -> None:
    for who in [cast.maya, cast.lena, cast.ruth]:
        assert client_for(who).get(reverse("decision_create")).status_code == 404
    assert client_for(cast.dana).get(reverse("decision_create")).status_code == 200
    with pytest.raises(PermissionDenied):
        decision(cast, by=cast.lena)
    with pytest.raises(PermissionDenied):  # a principal opens nothing for the whole district
        services.open_decision(
            acting_user=cast.dana,
            school=None,
            question="District-wide?",
            deadline=timezone.now() + datetime.timedelta(days=3),
            candidates=[program(cast)],
        )
    with pytest.raises(PermissionDenied):  # nor for a school she does not lead
        decision(cast, school=cast.lincoln)


def test_opening_a_decision_through_the_page(cast: Cast, client_for) -> None:
    bridges = program(cast)
    response = client_for(cast.dana).post(
        reverse("decision_create"),
        {
            "school": str(cast.jefferson.pk),
            "question": "Should we adopt Bridges?",
            "deadline": (timezone.localdate() + datetime.timedelta(days=5)).isoformat() + "T16:00",
            "candidates": [str(bridges.pk)],
        },
    )
    assert response.status_code == 302
    made = AdoptionDecision.objects.get()
    assert made.question == "Should we adopt Bridges?"
    assert timezone.is_aware(made.deadline)
    assert made.deadline.astimezone(timezone.get_default_timezone()).hour == 16


def test_a_deadline_in_the_past_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        decision(cast, days=-1)
    assert not AdoptionDecision.objects.exists()


def test_a_teacher_outside_the_scope_gets_404(cast: Cast, client_for) -> None:
    asked = decision(cast)
    lincoln_teacher = f.teacher(cast.lincoln)
    for who in [lincoln_teacher, cast.lena, cast.ruth, cast.hilda, cast.henry, cast.otto]:
        c = client_for(who)
        assert c.get(asked.get_absolute_url()).status_code == 404
        assert c.post(reverse("decision_input", args=[asked.uuid])).status_code == 404
        assert c.get(reverse("decision_record", args=[asked.uuid])).status_code == 404
    with pytest.raises(PermissionDenied):
        give(asked, lincoln_teacher)


def test_a_district_decision_reaches_every_teacher_of_the_district(cast: Cast) -> None:
    lincoln_teacher = f.teacher(cast.lincoln)
    asked = services.open_decision(
        acting_user=cast.priya,
        school=None,
        question="A district reading program?",
        deadline=timezone.now() + datetime.timedelta(days=3),
        candidates=[program(cast)],
    )
    in_scope = set(services.teachers_in_scope(asked).values_list("pk", flat=True))
    assert in_scope == {cast.maya.pk, cast.luis.pk, lincoln_teacher.pk}
    visible = AdoptionDecision.objects.visible_to
    assert visible(lincoln_teacher).filter(pk=asked.pk).exists()
    assert not visible(cast.hilda).filter(pk=asked.pk).exists()
    assert not visible(cast.otto).filter(pk=asked.pk).exists()


def test_the_recorded_decision_is_read_by_every_teacher_in_scope(cast: Cast, client_for) -> None:
    more = colleagues(cast, 3)
    asked = decision(cast)
    give(asked, cast.maya, anonymous=True, helps="Hands-on tasks for my newcomers")
    give(asked, cast.luis, helps="Common assessments across grade 7")
    for teacher in more:
        give(asked, teacher)
    chosen = asked.candidates.order_by("name").first()
    cited = list(
        AdoptionInput.objects.filter(
            helps__in=["Hands-on tasks for my newcomers", "Common assessments across grade 7"]
        )
    )
    response = client_for(cast.dana).post(
        reverse("decision_record", args=[asked.uuid]),
        {
            "chosen": str(chosen.pk) if chosen else "",
            "rationale": "Teachers asked for hands-on tasks.",
            "how_input_shaped": "We chose the program with manipulatives.",
            "cited": [str(i.pk) for i in cited],
        },
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.is_decided
    assert asked.chosen == chosen
    assert chosen is not None
    chosen.refresh_from_db()
    assert chosen.status == ProgramStatus.ADOPTED
    for teacher in [cast.maya, cast.luis, *more]:
        page = client_for(teacher).get(asked.get_absolute_url()).content.decode()
        assert "Teachers asked for hands-on tasks." in page
        assert "Hands-on tasks for my newcomers" in page
        # Teachers read the words, never whose they were.
        assert "Luis Ortega:" not in page
    leader_page = client_for(cast.dana).get(asked.get_absolute_url()).content.decode()
    assert "Luis Ortega: “Common assessments across grade 7”" in leader_page
    assert "Anonymous: “Hands-on tasks for my newcomers”" in leader_page
    response = client_for(cast.maya).post(
        reverse("decision_input", args=[asked.uuid]), {"anonymity": "named"}, follow=True
    )
    assert "closed to input: nothing was saved" in response.content.decode()


def test_a_decision_is_recorded_before_the_deadline_only_once_everyone_took_part(
    cast: Cast,
) -> None:
    asked = decision(cast)
    record: dict[str, Any] = {
        "decision": asked,
        "acting_user": cast.dana,
        "chosen": None,
        "rationale": "R",
        "how_input_shaped": "H",
    }
    give(asked, cast.maya)
    with pytest.raises(ValidationError):
        services.record_decision(**record)
    give(asked, cast.luis)
    services.record_decision(**record)
    asked.refresh_from_db()
    assert asked.is_decided
    assert asked.teachers_in_scope == 2


def test_only_the_decisions_leaders_record_it(cast: Cast, client_for) -> None:
    asked = decision(cast)
    _close(asked)
    assert (
        client_for(cast.maya).get(reverse("decision_record", args=[asked.uuid])).status_code == 403
    )
    assert (
        client_for(cast.dana).get(reverse("decision_record", args=[asked.uuid])).status_code == 200
    )
    assert (
        client_for(cast.priya).get(reverse("decision_record", args=[asked.uuid])).status_code == 200
    )
    with pytest.raises(PermissionDenied):
        services.record_decision(
            decision=asked, acting_user=cast.maya, chosen=None, rationale="R", how_input_shaped="H"
        )


def test_inputs_cannot_be_cited_before_five_exist(cast: Cast) -> None:
    asked = decision(cast)
    give(asked, cast.maya)
    _close(asked)
    with pytest.raises(ValidationError):
        services.record_decision(
            decision=asked,
            acting_user=cast.dana,
            chosen=None,
            rationale="R",
            how_input_shaped="H",
            cited=list(AdoptionInput.objects.all()),
        )


def test_decision_list_is_one_page_of_few_queries(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:
    for _ in range(4):
        asked = decision(cast)
        give(asked, cast.maya, anonymous=True)
    maya, dana = client_for(cast.maya), client_for(cast.dana)
    maya.get("/")
    dana.get("/")
    # A constant number, whatever the number of decisions.
    with django_assert_max_num_queries(10):
        assert maya.get(reverse("decision_list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert dana.get(reverse("decision_list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert maya.get(reverse("program_list")).status_code == 200
