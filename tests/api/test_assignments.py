"""Assignments through the API: listing, invitations, proposals, answers, endings.

The privacy promise is the pages' promise: an assignment a person is not part
of and does not manage does not exist for her (404), and nobody reaches
another district's people or schools (404, never a 403 that reveals them).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import User
from tandem.schools.models import AssignmentStatus, CoachingAssignment

from .. import factories as f
from ..cast import Cast
from .conftest import API

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _post(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(f"{API}{path}", data or {}, content_type="application/json")


def _listed(client: Client, scope: str = "mine", **params: Any) -> dict[str, Any]:
    response = client.get(f"{API}/assignments", {"scope": scope, **params})
    assert response.status_code == 200, response.content
    return response.json()


def _invited_ben(cast: Cast) -> tuple[User, CoachingAssignment]:
    ben = f.teacher(cast.jefferson, "Ben Carter")
    return ben, f.assign(cast.nia, ben, cast.jefferson, status=AssignmentStatus.INVITED)


# Listing ------------------------------------------------------------------------------


def test_teacher_lists_her_whole_coaching_team(cast: Cast, api_for: Clients) -> None:
    page = _listed(api_for(cast.maya))
    assert page["count"] == 5
    assert {a["coach"]["display_name"] for a in page["items"]} == {
        "Lena Brooks",
        "Omar Haddad",
        "Sam Okafor",
        "Grace Kim",
        "Luis Ortega",
    }
    lena = next(a for a in page["items"] if a["uuid"] == str(cast.lena_maya.uuid))
    assert lena == {
        "uuid": str(cast.lena_maya.uuid),
        "school": {"uuid": str(cast.jefferson.uuid), "name": "Jefferson Middle School"},
        "coach": {"uuid": str(cast.lena.uuid), "display_name": "Lena Brooks"},
        "teacher": {"uuid": str(cast.maya.uuid), "display_name": "Maya Torres"},
        "specialty": "instructional",
        "subject": "",
        "focus": "",
        "status": "active",
        "starts_on": cast.lena_maya.starts_on.isoformat(),
        "ends_on": None,
    }


def test_coach_lists_only_her_own_assignments(cast: Cast, api_for: Clients) -> None:
    page = _listed(api_for(cast.lena))
    assert [a["uuid"] for a in page["items"]] == [str(cast.lena_maya.uuid)]


def test_coach_who_coaches_no_one_lists_nothing_of_maya(cast: Cast, api_for: Clients) -> None:
    assert _listed(api_for(cast.nia)) == {"items": [], "count": 0}


def test_principal_lists_the_assignments_of_her_school_as_managed(
    cast: Cast, api_for: Clients
) -> None:
    lincoln_teacher = f.teacher(cast.lincoln, "Lola Lincoln")
    f.assign(cast.ruth, lincoln_teacher, cast.lincoln)
    client = api_for(cast.dana)
    managed = _listed(client, "managed")
    assert managed["count"] == 5
    assert {a["school"]["name"] for a in managed["items"]} == {"Jefferson Middle School"}
    assert _listed(client, "mine")["count"] == 0


def test_district_admin_manages_every_school_of_her_district_and_no_other(
    cast: Cast, api_for: Clients
) -> None:
    lincoln_teacher = f.teacher(cast.lincoln, "Lola Lincoln")
    f.assign(cast.ruth, lincoln_teacher, cast.lincoln)
    names = {a["teacher"]["display_name"] for a in _listed(api_for(cast.priya), "managed")["items"]}
    assert names == {"Maya Torres", "Lola Lincoln"}


def test_managed_is_an_empty_list_for_someone_who_manages_nothing(
    cast: Cast, api_for: Clients
) -> None:
    assert _listed(api_for(cast.maya), "managed") == {"items": [], "count": 0}
    assert _listed(api_for(cast.lena), "managed") == {"items": [], "count": 0}


def test_another_districts_admin_manages_only_her_own_districts_assignments(
    cast: Cast, api_for: Clients
) -> None:
    names = {a["teacher"]["display_name"] for a in _listed(api_for(cast.otto), "managed")["items"]}
    assert names == {"Hilda Stone"}


def test_assignments_come_in_pages(cast: Cast, api_for: Clients) -> None:
    client = api_for(cast.maya)
    first = _listed(client, page_size=2)
    third = _listed(client, page_size=2, page=3)
    assert first["count"] == third["count"] == 5
    assert len(first["items"]) == 2
    assert len(third["items"]) == 1
    everything = _listed(client, page_size=100)["items"]
    assert [a["uuid"] for a in everything[:2]] == [a["uuid"] for a in first["items"]]


def test_an_unknown_scope_gets_422(cast: Cast, api_for: Clients) -> None:
    response = api_for(cast.maya).get(f"{API}/assignments", {"scope": "everyone"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "scope"]


@pytest.mark.parametrize(("who", "scope"), [("maya", "mine"), ("priya", "managed")])
def test_listing_takes_the_same_number_of_queries_for_a_bigger_team(
    who: str,
    scope: str,
    cast: Cast,
    api_for: Clients,
    django_assert_num_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = api_for(cast.everyone()[who])
    _listed(client, scope)
    with django_assert_max_num_queries(6) as small:
        _listed(client, scope)
    for _ in range(5):
        f.assign(f.coach(cast.jefferson), cast.maya, cast.jefferson)
    with django_assert_num_queries(len(small.captured_queries)):
        assert _listed(client, scope)["count"] == 10


# Invitations --------------------------------------------------------------------------


def test_coach_invites_a_teacher_of_her_school(cast: Cast, api_for: Clients) -> None:
    ben = f.teacher(cast.jefferson, "Ben Carter")
    response = _post(
        api_for(cast.nia),
        "/assignments/invitations",
        {"teacher": str(ben.uuid), "specialty": "instructional", "focus": "  Group work "},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "invited"
    invitation = CoachingAssignment.objects.get(uuid=response.json()["uuid"])
    assert (invitation.coach, invitation.teacher, invitation.school) == (
        cast.nia,
        ben,
        cast.jefferson,
    )
    assert invitation.focus == "Group work"
    assert invitation.proposed_by == cast.nia


def test_coach_in_another_district_gets_404_for_maya(cast: Cast, api_for: Clients) -> None:
    response = _post(
        api_for(cast.henry),
        "/assignments/invitations",
        {"teacher": str(cast.maya.uuid), "specialty": "instructional"},
    )
    assert response.status_code == 404
    assert not CoachingAssignment.objects.filter(coach=cast.henry, teacher=cast.maya).exists()


def test_coach_gets_404_for_a_teacher_of_another_district(cast: Cast, api_for: Clients) -> None:
    response = _post(
        api_for(cast.nia),
        "/assignments/invitations",
        {"teacher": str(cast.hilda.uuid), "specialty": "instructional"},
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_coach_cannot_invite_at_a_school_where_she_does_not_coach(
    cast: Cast, api_for: Clients
) -> None:
    ben = f.teacher(cast.jefferson)
    response = _post(
        api_for(cast.ruth),
        "/assignments/invitations",
        {"teacher": str(ben.uuid), "specialty": "instructional"},
    )
    assert response.status_code == 403
    assert not CoachingAssignment.objects.filter(coach=cast.ruth).exists()


def test_a_teacher_who_is_no_coach_cannot_invite(cast: Cast, api_for: Clients) -> None:
    response = _post(
        api_for(cast.maya),
        "/assignments/invitations",
        {"teacher": str(cast.luis.uuid), "specialty": "instructional"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("teacher", "specialty", "message"),
    [
        ("maya", "instructional", "already work together"),
        ("ben", "mentor", "does not offer this kind of coaching"),
        ("dana", "instructional", "does not teach at your school"),
    ],
)
def test_an_invitation_breaking_a_rule_gets_400_with_the_reason(
    teacher: str, specialty: str, message: str, cast: Cast, api_for: Clients
) -> None:
    people = {**cast.everyone(), "ben": f.teacher(cast.jefferson)}
    coach = cast.lena if teacher == "maya" else cast.nia
    response = _post(
        api_for(coach),
        "/assignments/invitations",
        {"teacher": str(people[teacher].uuid), "specialty": specialty},
    )
    assert response.status_code == 400
    assert message in response.json()["detail"]


# Proposals ----------------------------------------------------------------------------


def _proposal(cast: Cast, school: Any, coach: User, teacher: User, **extra: Any) -> dict:
    return {
        "school": str(school.uuid),
        "coach": str(coach.uuid),
        "teacher": str(teacher.uuid),
        "specialty": "instructional",
        "starts_on": timezone.localdate().isoformat(),
        **extra,
    }


def test_principal_proposes_a_coach_and_the_teacher_decides(cast: Cast, api_for: Clients) -> None:
    ben = f.teacher(cast.jefferson, "Ben Carter")
    response = _post(
        api_for(cast.dana),
        "/assignments/proposals",
        _proposal(cast, cast.jefferson, cast.nia, ben, focus="Questioning"),
    )
    assert response.status_code == 201, response.content
    proposal = CoachingAssignment.objects.get(uuid=response.json()["uuid"])
    assert proposal.status == AssignmentStatus.PROPOSED
    assert proposal.proposed_by == cast.dana
    assert proposal.focus == "Questioning"


def test_district_admin_proposes_at_any_school_of_her_district(
    cast: Cast, api_for: Clients
) -> None:
    lola = f.teacher(cast.lincoln, "Lola Lincoln")
    response = _post(
        api_for(cast.priya),
        "/assignments/proposals",
        _proposal(cast, cast.lincoln, cast.ruth, lola),
    )
    assert response.status_code == 201


def test_principal_cannot_propose_at_a_school_she_does_not_lead(
    cast: Cast, api_for: Clients
) -> None:
    lola = f.teacher(cast.lincoln)
    response = _post(
        api_for(cast.dana), "/assignments/proposals", _proposal(cast, cast.lincoln, cast.ruth, lola)
    )
    assert response.status_code == 403
    assert not CoachingAssignment.objects.filter(teacher=lola).exists()


def test_a_coach_cannot_propose(cast: Cast, api_for: Clients) -> None:
    ben = f.teacher(cast.jefferson)
    response = _post(
        api_for(cast.lena), "/assignments/proposals", _proposal(cast, cast.jefferson, cast.nia, ben)
    )
    assert response.status_code == 403


def test_admin_of_another_district_gets_404_for_jefferson(cast: Cast, api_for: Clients) -> None:
    response = _post(
        api_for(cast.otto),
        "/assignments/proposals",
        _proposal(cast, cast.jefferson, cast.nia, cast.maya, specialty="instructional"),
    )
    assert response.status_code == 404


@pytest.mark.parametrize("outsider", ["henry", "hilda"])
def test_principal_gets_404_for_a_person_of_another_district(
    outsider: str, cast: Cast, api_for: Clients
) -> None:
    person = cast.everyone()[outsider]
    coach, teacher = (person, cast.maya) if outsider == "henry" else (cast.nia, person)
    response = _post(
        api_for(cast.dana),
        "/assignments/proposals",
        _proposal(cast, cast.jefferson, coach, teacher),
    )
    assert response.status_code == 404


def test_a_proposal_that_ends_before_it_starts_gets_400(cast: Cast, api_for: Clients) -> None:
    ben = f.teacher(cast.jefferson)
    today = timezone.localdate()
    response = _post(
        api_for(cast.dana),
        "/assignments/proposals",
        _proposal(
            cast,
            cast.jefferson,
            cast.nia,
            ben,
            ends_on=(today - datetime.timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The end date comes before the start date."}


# Answers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "status"),
    [("accept", "active"), ("talk_first", "talk_first"), ("decline", "declined")],
)
def test_the_invited_teacher_answers(
    answer: str, status: str, cast: Cast, api_for: Clients
) -> None:
    ben, invitation = _invited_ben(cast)
    response = _post(api_for(ben), f"/assignments/{invitation.uuid}/response", {"answer": answer})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == status
    invitation.refresh_from_db()
    assert invitation.status == status


@pytest.mark.parametrize("who", ["nia", "dana", "priya"])
def test_the_coach_and_the_schools_leaders_may_see_but_not_answer(
    who: str, cast: Cast, api_for: Clients
) -> None:
    _ben, invitation = _invited_ben(cast)
    response = _post(
        api_for(cast.everyone()[who]),
        f"/assignments/{invitation.uuid}/response",
        {"answer": "accept"},
    )
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == AssignmentStatus.INVITED


@pytest.mark.parametrize("who", ["maya", "lena", "ruth", "henry", "otto"])
def test_anyone_else_gets_404_for_bens_invitation(who: str, cast: Cast, api_for: Clients) -> None:
    _ben, invitation = _invited_ben(cast)
    response = _post(
        api_for(cast.everyone()[who]),
        f"/assignments/{invitation.uuid}/response",
        {"answer": "accept"},
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_answering_twice_gets_400(cast: Cast, api_for: Clients) -> None:
    ben, invitation = _invited_ben(cast)
    client = api_for(ben)
    _post(client, f"/assignments/{invitation.uuid}/response", {"answer": "decline"})
    response = _post(client, f"/assignments/{invitation.uuid}/response", {"answer": "accept"})
    assert response.status_code == 400
    assert "already been answered" in response.json()["detail"]


def test_an_unknown_answer_gets_422_and_changes_nothing(cast: Cast, api_for: Clients) -> None:
    ben, invitation = _invited_ben(cast)
    response = _post(api_for(ben), f"/assignments/{invitation.uuid}/response", {"answer": "maybe"})
    assert response.status_code == 422
    invitation.refresh_from_db()
    assert invitation.status == AssignmentStatus.INVITED


# Endings ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["maya", "lena", "dana", "priya"])
def test_the_teacher_the_coach_and_the_schools_leaders_may_end(
    who: str, cast: Cast, api_for: Clients
) -> None:
    response = _post(api_for(cast.everyone()[who]), f"/assignments/{cast.lena_maya.uuid}/end")
    assert response.status_code == 200
    assert response.json()["status"] == "ended"
    assert response.json()["ends_on"] == timezone.localdate().isoformat()
    assert not CoachingAssignment.objects.active().filter(pk=cast.lena_maya.pk).exists()


@pytest.mark.parametrize("who", ["nia", "omar", "ruth", "henry", "hilda", "otto"])
def test_anyone_else_gets_404_for_maya_and_lenas_assignment(
    who: str, cast: Cast, api_for: Clients
) -> None:
    response = _post(api_for(cast.everyone()[who]), f"/assignments/{cast.lena_maya.uuid}/end")
    assert response.status_code == 404
    cast.lena_maya.refresh_from_db()
    assert cast.lena_maya.status == AssignmentStatus.ACTIVE


def test_coach_in_another_district_gets_404_for_maya_assignment(
    cast: Cast, api_for: Clients
) -> None:
    # The same 404 as for an assignment that never existed: nothing is revealed.
    client = api_for(cast.henry)
    real = _post(client, f"/assignments/{cast.lena_maya.uuid}/end")
    unknown = _post(client, "/assignments/00000000-0000-4000-8000-000000000000/end")
    assert (real.status_code, real.json()) == (unknown.status_code, unknown.json())


def test_ending_twice_is_harmless(cast: Cast, api_for: Clients) -> None:
    client = api_for(cast.maya)
    _post(client, f"/assignments/{cast.lena_maya.uuid}/end")
    response = _post(client, f"/assignments/{cast.lena_maya.uuid}/end")
    assert response.status_code == 200
    assert response.json()["status"] == "ended"


def test_an_ended_assignment_leaves_the_coachs_list_of_active_work(
    cast: Cast, api_for: Clients
) -> None:
    _post(api_for(cast.maya), f"/assignments/{cast.lena_maya.uuid}/end")
    statuses = {a["uuid"]: a["status"] for a in _listed(api_for(cast.lena))["items"]}
    assert statuses == {str(cast.lena_maya.uuid): "ended"}
