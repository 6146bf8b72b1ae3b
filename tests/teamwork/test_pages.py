"""The coaching team's pages: who sees what, who names whom, and what a write changes."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.schools.models import Specialty
from tandem.teamwork.models import Agreement, CoachingApproach, Initiative, InitiativeCycle
from tandem.teamwork.services import TermIn, create_initiative

from .. import factories as f
from ..cast import Cast
from .builders import CFU, approach, cycle, planted

pytestmark = pytest.mark.django_db

SignIn = Callable[..., Client]


def _report(client: Client, cast: Cast) -> str:
    response = client.get(reverse("alignment_report", args=[cast.jefferson.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_coach_saves_her_approach_with_a_glossary(cast: Cast, client_for: SignIn) -> None:
    response = client_for(cast.omar).post(
        reverse("approach_edit"),
        {
            "model": "technology",
            "meetings": "2",
            "per": "month",
            "measure": "Minutes of device use",
            "terms-TOTAL_FORMS": "2",
            "terms-INITIAL_FORMS": "0",
            "terms-0-term": "Exit ticket",
            "terms-0-meaning": "A quick form at the end of class",
            "terms-0-synonyms": "exit slip,  ticket out the door",
            "terms-1-term": "",
            "terms-1-meaning": "",
        },
    )
    assert response.status_code == 302
    saved = CoachingApproach.objects.get(coach=cast.omar)
    assert saved.model_label == "Technology-integration coaching"
    assert [(t.term, t.synonyms) for t in saved.terms.all()] == [
        ("Exit ticket", "exit slip, ticket out the door")
    ]


def test_a_glossary_with_one_term_twice_is_refused_and_nothing_changes(
    cast: Cast, client_for: SignIn
) -> None:
    approach(cast.lena, measure="On task", terms=[TermIn("Wait time", "A pause")])
    response = client_for(cast.lena).post(
        reverse("approach_edit"),
        {
            "model": "cognitive",
            "per": "week",
            "terms-TOTAL_FORMS": "2",
            "terms-INITIAL_FORMS": "0",
            "terms-0-term": "Exit ticket",
            "terms-0-meaning": "One",
            "terms-1-term": " exit  TICKET ",
            "terms-1-meaning": "Two",
        },
    )
    assert response.status_code == 200
    assert "is in your glossary twice" in response.content.decode()
    kept = CoachingApproach.objects.get(coach=cast.lena)
    assert kept.model == "impact_cycle"
    assert [t.term for t in kept.terms.all()] == ["Wait time"]


def test_other_without_its_name_is_refused(cast: Cast, client_for: SignIn) -> None:
    response = client_for(cast.sam).post(
        reverse("approach_edit"),
        {"model": "other", "per": "week", "terms-TOTAL_FORMS": "0", "terms-INITIAL_FORMS": "0"},
    )
    assert "Say which model you use" in response.content.decode()
    assert not CoachingApproach.objects.filter(coach=cast.sam).exists()


def test_the_report_shows_the_planted_term_with_two_meanings_to_coaches_and_leaders(
    cast: Cast, client_for: SignIn
) -> None:
    planted(cast)
    for who in (cast.lena, cast.nia, cast.dana, cast.priya):
        page = _report(client_for(who), cast)
        assert "“check for understanding” means different things" in page
        assert "An exit ticket at the end of the lesson" in page
        assert "A thumbs-up poll during the lesson" in page


def test_a_coach_of_the_teacher_sees_her_named_with_each_coachs_measure_and_cadence(
    cast: Cast, client_for: SignIn
) -> None:
    planted(cast)
    page = _report(client_for(cast.lena), cast)
    assert "Maya Torres's coaches measure progress differently" in page
    assert "Minutes of student device use" in page
    assert "Maya Torres meets her coaches 4.46 times a week" in page


def test_a_coach_who_does_not_coach_the_teacher_never_sees_her_named(
    cast: Cast, client_for: SignIn
) -> None:
    planted(cast)
    page = _report(client_for(cast.nia), cast)
    assert "Maya" not in page
    assert str(cast.maya.uuid) not in page
    assert "check for understanding" in page  # the role-level part she sees


def test_a_leaders_report_names_no_teacher_in_html_or_json(cast: Cast, client_for: SignIn) -> None:
    planted(cast)
    # Six more teachers with five coaches each: every count is over 5, so counts show.
    for _ in range(6):
        teacher = f.teacher(cast.jefferson)
        for coach, kind in [
            (cast.lena, Specialty.INSTRUCTIONAL),
            (cast.omar, Specialty.TECHNOLOGY),
            (cast.sam, Specialty.CONTENT),
            (cast.grace, Specialty.MENTOR),
        ]:
            f.assign(coach, teacher, cast.jefferson, kind)
    names = list(User.objects.filter(coached_assignments__school=cast.jefferson).distinct())
    assert len(names) == 7
    for who in (cast.dana, cast.priya):
        client = client_for(who)
        page = _report(client, cast)
        api = client.get(f"/api/v1/team/schools/{cast.jefferson.uuid}/alignment").content.decode()
        for teacher in names:
            for text in (page, api):
                assert teacher.display_name not in text
                assert str(teacher.uuid) not in text
    # 7 teachers flagged for measures and for cadence, none unflagged: shown as a total only.
    assert '"total": 7' in api.replace('"total":7', '"total": 7')


def test_counts_under_five_teachers_are_not_shown(cast: Cast, client_for: SignIn) -> None:
    planted(cast)
    page = _report(client_for(cast.dana), cast)
    assert page.count("not shown") >= 6


def test_another_districts_people_get_404(cast: Cast, client_for: SignIn) -> None:
    planted(cast)
    initiative = create_initiative(school=cast.jefferson, name="Literacy", acting_user=cast.dana)
    for who in (cast.henry, cast.otto, cast.ruth, cast.maya):
        client = client_for(who)
        for name in ("team_approaches", "alignment_report", "initiative_list"):
            assert client.get(reverse(name, args=[cast.jefferson.uuid])).status_code == 404
        assert client.get(reverse("initiative_edit", args=[initiative.uuid])).status_code == 404


def test_the_report_runs_in_the_same_number_of_queries_as_coaches_grow(
    cast: Cast, client_for: SignIn, django_assert_num_queries: Callable[..., object]
) -> None:
    planted(cast)
    initiative = create_initiative(school=cast.jefferson, name="Literacy", acting_user=cast.dana)
    linked = cycle(cast, cast.lena)
    InitiativeCycle.objects.create(initiative=initiative, cycle=linked, linked_by=cast.lena)
    client = client_for(cast.lena)
    _report(client, cast)  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        _report(client, cast)
    for n in range(6):
        coach = f.coach(cast.jefferson, Specialty.CONTENT, subject=f"Subject {n}")
        approach(
            coach,
            measure=f"Measure {n}",
            terms=[TermIn(CFU, f"Meaning {n}"), TermIn(f"Term {n}", "x")],
            initiatives=[initiative],
        )
        f.assign(coach, cast.maya, cast.jefferson, Specialty.CONTENT, subject=f"Subject {n}")
        teacher = f.teacher(cast.jefferson)
        f.assign(coach, teacher, cast.jefferson, Specialty.CONTENT, subject=f"Subject {n}")
        more = cycle(cast, coach)
        InitiativeCycle.objects.create(initiative=initiative, cycle=more, linked_by=coach)
    with CaptureQueriesContext(connection) as after:
        _report(client, cast)
    assert len(after) == len(before)


def test_coaches_record_an_agreement_beside_the_divergence_and_leaders_may_not(
    cast: Cast, client_for: SignIn
) -> None:
    planted(cast)
    url = reverse("agreement_record", args=[cast.jefferson.uuid])
    said = {"kind": "meanings", "key": "check for understanding", "text": "Exit tickets, always."}
    assert client_for(cast.dana).post(url, said).status_code == 403
    assert client_for(cast.sam).post(url, said).status_code == 302
    made = Agreement.objects.get()
    assert (made.recorded_by_id, made.school_id) == (cast.sam.pk, cast.jefferson.pk)
    assert "Exit tickets, always." in _report(client_for(cast.dana), cast)


def test_an_agreement_on_a_divergence_she_does_not_see_is_refused(
    cast: Cast, client_for: SignIn
) -> None:
    planted(cast)
    url = reverse("agreement_record", args=[cast.jefferson.uuid])
    for key in (str(cast.maya.uuid), str(uuid.uuid4())):
        client_for(cast.nia).post(url, {"kind": "measures", "key": key, "text": "We agree."})
    client_for(cast.lena).post(url, {"kind": "meanings", "key": "wait time", "text": "Hm"})
    assert not Agreement.objects.exists()


def test_leaders_and_coaches_keep_the_schools_initiatives(cast: Cast, client_for: SignIn) -> None:
    url = reverse("initiative_list", args=[cast.jefferson.uuid])
    data = {"name": "Literacy across the content areas", "description": "Reading in every class"}
    assert client_for(cast.dana).post(url, data).status_code == 302
    again = client_for(cast.lena).post(url, {"name": " literacy ACROSS the content areas"})
    assert "already has an initiative with this name" in again.content.decode()
    made = Initiative.objects.get()
    edit = reverse("initiative_edit", args=[made.uuid])
    response = client_for(cast.omar).post(edit, {"name": "Literacy everywhere", "description": ""})
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.name, made.active) == ("Literacy everywhere", False)


def test_a_coach_links_her_visible_cycle_and_a_cycle_she_cannot_see_is_404(
    cast: Cast, client_for: SignIn
) -> None:
    initiative = create_initiative(school=cast.jefferson, name="Literacy", acting_user=cast.dana)
    lenas = cycle(cast, cast.lena)
    url = reverse("initiative_cycles", args=[initiative.uuid])
    page = client_for(cast.lena).get(url).content.decode()
    assert "Reasoning in math talks" in page
    assert client_for(cast.nia).post(url, {"cycle": str(lenas.uuid)}).status_code == 404
    assert client_for(cast.lena).post(url, {"cycle": "not-a-uuid"}).status_code == 404
    assert client_for(cast.lena).post(url, {"cycle": str(lenas.uuid)}).status_code == 302
    assert InitiativeCycle.objects.filter(initiative=initiative, cycle=lenas).exists()
    report_page = _report(client_for(cast.lena), cast)
    assert "Maya Torres — Reasoning in math talks" in report_page
    assert "Reasoning in math talks" not in _report(client_for(cast.dana), cast)
    client_for(cast.lena).post(url, {"cycle": str(lenas.uuid), "linked": "0"})
    assert not InitiativeCycle.objects.exists()
