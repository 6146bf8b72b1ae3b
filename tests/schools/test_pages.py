"""The partnership pages, driven through URLs, checked in the database afterwards."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.schools.models import AssignmentStatus, CoachingAssignment, Role, Specialty

from .. import factories as f
from ..cast import Cast

pytestmark = pytest.mark.django_db


def test_coach_invites_a_teacher_from_her_school(cast: Cast, client_for) -> None:
    ben = f.teacher(cast.jefferson, "Ben Carter")
    client = client_for(cast.nia)
    page = client.get(reverse("invite_teacher")).content.decode()
    assert "Ben Carter" in page
    assert "Hilda Stone" not in page  # another district's teacher is not offered
    response = client.post(
        reverse("invite_teacher"),
        {
            "teacher": ben.pk,
            "specialty": Specialty.INSTRUCTIONAL,
            "focus": "Group work",
            "message": "Would you like to work together?",
        },
    )
    assert response.status_code == 302
    invitation = CoachingAssignment.objects.get(coach=cast.nia, teacher=ben)
    assert invitation.status == AssignmentStatus.INVITED
    assert invitation.school == cast.jefferson


def test_coach_cannot_pick_a_teacher_outside_her_schools_by_editing_the_form(
    cast: Cast, client_for
) -> None:
    response = client_for(cast.nia).post(
        reverse("invite_teacher"), {"teacher": cast.hilda.pk, "specialty": Specialty.INSTRUCTIONAL}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CoachingAssignment.objects.filter(teacher=cast.hilda, coach=cast.nia).exists()


def test_teacher_sees_an_invitation_and_accepts_it_on_her_home_page(cast: Cast, client_for) -> None:
    ben = f.teacher(cast.jefferson, "Ben Carter")
    invitation = f.assign(cast.nia, ben, cast.jefferson, status=AssignmentStatus.INVITED)
    client = client_for(ben)
    page = client.get(reverse("home")).content.decode()
    assert "Invitations waiting for your answer" in page
    assert "Nia Patel" in page
    client.post(reverse("assignment_respond", args=[invitation.uuid]), {"answer": "accept"})
    page = client.get(reverse("home")).content.decode()
    assert "Invitations waiting for your answer" not in page
    assert "You and Nia Patel now work together." in page
    invitation.refresh_from_db()
    assert invitation.status == AssignmentStatus.ACTIVE


def test_an_unknown_answer_changes_nothing(cast: Cast, client_for) -> None:
    ben = f.teacher(cast.jefferson)
    invitation = f.assign(cast.nia, ben, cast.jefferson, status=AssignmentStatus.INVITED)
    client_for(ben).post(reverse("assignment_respond", args=[invitation.uuid]), {"answer": "maybe"})
    invitation.refresh_from_db()
    assert invitation.status == AssignmentStatus.INVITED


def test_principal_sees_only_her_schools_assignments(cast: Cast, client_for) -> None:
    lincoln_teacher = f.teacher(cast.lincoln, "Lola Lincoln")
    f.assign(cast.ruth, lincoln_teacher, cast.lincoln)
    page = client_for(cast.dana).get(reverse("assignment_list")).content.decode()
    assert "Maya Torres" in page
    assert "Lola Lincoln" not in page
    admin_page = client_for(cast.priya).get(reverse("assignment_list")).content.decode()
    assert "Lola Lincoln" in admin_page
    assert "Hilda Stone" not in admin_page


def test_assignment_list_filters_by_name_and_status(cast: Cast, client_for) -> None:
    client = client_for(cast.dana)
    page = client.get(reverse("assignment_list"), {"q": "Omar"}).content.decode()
    assert "Omar Haddad" in page
    assert "Lena Brooks" not in page
    cast.lena_maya.status = AssignmentStatus.ENDED
    cast.lena_maya.save()
    assert "Lena Brooks" not in client.get(reverse("assignment_list")).content.decode()
    ended = client.get(reverse("assignment_list"), {"status": "ended"}).content.decode()
    assert "Lena Brooks" in ended


def test_assignment_list_queries_do_not_grow_with_rows(
    cast: Cast, client_for, django_assert_max_num_queries
) -> None:
    client = client_for(cast.priya)
    for _ in range(10):
        f.assign(f.coach(cast.lincoln), f.teacher(cast.lincoln), cast.lincoln)
    with django_assert_max_num_queries(12):
        client.get(reverse("assignment_list"))


def test_principal_proposes_a_coach_through_the_form(cast: Cast, client_for) -> None:
    ben = f.teacher(cast.jefferson, "Ben Carter")
    response = client_for(cast.dana).post(
        reverse("assignment_propose"),
        {
            "school": cast.jefferson.pk,
            "coach": cast.nia.pk,
            "teacher": ben.pk,
            "specialty": Specialty.INSTRUCTIONAL,
            "starts_on": "2026-12-01",
        },
    )
    assert response.status_code == 302
    proposal = CoachingAssignment.objects.get(teacher=ben)
    assert (proposal.status, proposal.proposed_by) == (AssignmentStatus.PROPOSED, cast.dana)


def test_proposal_with_end_before_start_is_refused_with_a_message(cast: Cast, client_for) -> None:
    ben = f.teacher(cast.jefferson)
    response = client_for(cast.dana).post(
        reverse("assignment_propose"),
        {
            "school": cast.jefferson.pk,
            "coach": cast.nia.pk,
            "teacher": ben.pk,
            "specialty": Specialty.INSTRUCTIONAL,
            "starts_on": "2026-12-01",
            "ends_on": "2026-11-01",
        },
    )
    assert response.status_code == 200
    assert "The end date comes before the start date." in response.content.decode()
    assert not CoachingAssignment.objects.filter(teacher=ben).exists()


def test_principal_cannot_propose_herself_as_coach_in_her_school(cast: Cast, client_for) -> None:
    f.coach(cast.jefferson, user=cast.dana)
    response = client_for(cast.dana).post(
        reverse("assignment_propose"),
        {
            "school": cast.jefferson.pk,
            "coach": cast.dana.pk,
            "teacher": cast.maya.pk,
            "specialty": Specialty.INSTRUCTIONAL,
            "starts_on": "2026-12-01",
        },
    )
    assert response.status_code == 200
    assert "never coaches in her own school" in response.content.decode()


def test_ending_from_the_list_removes_the_coach_from_the_teachers_team_at_once(
    cast: Cast, client_for
) -> None:
    client_for(cast.dana).post(
        reverse("assignment_end", args=[cast.lena_maya.uuid]), {"next": reverse("assignment_list")}
    )
    page = client_for(cast.maya).get(reverse("home")).content.decode()
    assert "Lena Brooks" not in page
    assert "Maya Torres" not in client_for(cast.lena).get(reverse("home")).content.decode()


def test_end_redirects_only_to_our_own_pages(cast: Cast, client_for) -> None:
    response = client_for(cast.dana).post(
        reverse("assignment_end", args=[cast.lena_maya.uuid]),
        {"next": "https://evil.example/phish"},
    )
    assert response["Location"] == reverse("home")


def test_admin_invites_staff_who_sets_a_password_and_arrives_signed_in(
    cast: Cast, client_for, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.priya).post(
            reverse("staff_invitations"),
            {
                "display_name": "Ivy Chen",
                "email": "ivy.chen@maplevalley.example",
                "role": Role.TEACHER,
                "school": cast.lincoln.pk,
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/join/\S+/", str(mail.outbox[0].body))
    assert link is not None
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    visitor = Client()
    assert "Set my password and sign in" in visitor.get(path).content.decode()
    weak = visitor.post(path, {"password1": "123", "password2": "123"})
    assert weak.status_code == 200
    assert not User.objects.filter(email="ivy.chen@maplevalley.example").exists()
    done = visitor.post(
        path, {"password1": "a-long-good-password", "password2": "a-long-good-password"}
    )
    assert done["Location"] == reverse("home")
    assert "My coaching team" in visitor.get(reverse("home")).content.decode()
    assert visitor.get(path).status_code == 404  # used once


def test_invitation_with_a_role_needing_a_school_but_none_is_refused(
    cast: Cast, client_for
) -> None:
    response = client_for(cast.priya).post(
        reverse("staff_invitations"),
        {"display_name": "Ivy", "email": "ivy@maplevalley.example", "role": Role.TEACHER},
    )
    assert response.status_code == 200
    assert "Choose the school this person works at." in response.content.decode()
    assert len(mail.outbox) == 0
