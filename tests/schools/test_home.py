from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.schools.models import AssignmentStatus

from .. import factories as f
from ..cast import Cast

pytestmark = pytest.mark.django_db


def test_teacher_sees_each_coach_with_role_on_her_coaching_team(cast: Cast, client_for) -> None:
    page = client_for(cast.maya).get(reverse("home")).content.decode()
    assert "My coaching team" in page
    for name, role in [
        ("Lena Brooks", "Instructional coach"),
        ("Omar Haddad", "Technology coach"),
        ("Sam Okafor", "Content specialist (Mathematics)"),
        ("Grace Kim", "Mentor"),
        ("Luis Ortega", "Department head (Mathematics)"),
    ]:
        assert name in page
        assert role in page
    assert "Nia Patel" not in page


def test_teacher_does_not_see_an_ended_coach_on_her_team(cast: Cast, client_for) -> None:
    cast.lena_maya.status = AssignmentStatus.ENDED
    cast.lena_maya.save()
    page = client_for(cast.maya).get(reverse("home")).content.decode()
    assert "Lena Brooks" not in page


def test_coach_sees_her_teachers(cast: Cast, client_for) -> None:
    page = client_for(cast.lena).get(reverse("home")).content.decode()
    assert "My teachers" in page
    assert "Maya Torres" in page
    assert "Hilda Stone" not in page


def test_principal_sees_counts_but_no_names_of_teachers(cast: Cast, client_for) -> None:
    page = client_for(cast.dana).get(reverse("home")).content.decode()
    assert "My school" in page
    assert "Jefferson Middle School" in page
    assert "Maya Torres" not in page


def test_home_runs_the_same_number_of_queries_for_a_bigger_team(
    cast: Cast, client_for, django_assert_num_queries
) -> None:
    client = client_for(cast.maya)
    client.get(reverse("home"))
    with django_assert_num_queries(6) as small:
        client.get(reverse("home"))
    for _ in range(5):
        f.assign(f.coach(cast.jefferson), cast.maya, cast.jefferson)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("home"))
