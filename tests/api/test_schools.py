"""GET /schools: the district's schools for everyone; head-counts only for those who manage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import User

from .. import factories as f
from ..cast import Cast
from .conftest import API

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _schools(client: Client) -> dict[str, Any]:
    response = client.get(f"{API}/schools")
    assert response.status_code == 200
    return {school["name"]: school for school in response.json()}


def test_teacher_sees_her_districts_schools_without_counts(cast: Cast, api_for: Clients) -> None:
    schools = _schools(api_for(cast.maya))
    assert set(schools) == {"Jefferson Middle School", "Lincoln Elementary School"}
    assert schools["Jefferson Middle School"]["uuid"] == str(cast.jefferson.uuid)
    assert all(school["counts"] is None for school in schools.values())


def test_principal_sees_counts_for_her_school_only(cast: Cast, api_for: Clients) -> None:
    schools = _schools(api_for(cast.dana))
    assert schools["Jefferson Middle School"]["counts"] == {
        "teachers": 2,  # Maya and Luis
        "coaches": 6,  # Lena, Omar, Sam, Grace, Luis, Nia
        "active_assignments": 5,
        "teachers_coached": 1,
    }
    assert schools["Lincoln Elementary School"]["counts"] is None


def test_district_admin_sees_counts_for_every_school_of_her_district(
    cast: Cast, api_for: Clients
) -> None:
    schools = _schools(api_for(cast.priya))
    assert set(schools) == {"Jefferson Middle School", "Lincoln Elementary School"}
    assert schools["Lincoln Elementary School"]["counts"]["coaches"] == 1


def test_counts_carry_no_names(cast: Cast, api_for: Clients) -> None:
    body = api_for(cast.dana).get(f"{API}/schools").content.decode()
    for person in cast.everyone().values():
        assert person.display_name not in body
        assert str(person.uuid) not in body


def test_another_districts_admin_sees_only_her_own_schools(cast: Cast, api_for: Clients) -> None:
    assert set(_schools(api_for(cast.otto))) == {"Ridgeway High School"}


def test_a_site_operator_without_a_district_gets_404(db: None, api_for: Clients) -> None:
    operator = f.make_user(district=None, email="operator@example.org", is_staff=True)
    assert api_for(operator).get(f"{API}/schools").status_code == 404


def test_schools_take_the_same_number_of_queries_for_a_bigger_district(
    cast: Cast, api_for: Clients, django_assert_max_num_queries: Any
) -> None:
    client = api_for(cast.priya)
    client.get(f"{API}/schools")
    with django_assert_max_num_queries(10) as small:
        client.get(f"{API}/schools")
    for n in range(5):
        school = f.make_school(district=cast.maple, name=f"School {n}")
        f.assign(f.coach(school), f.teacher(school), school)
    with django_assert_max_num_queries(len(small.captured_queries)):
        _schools(client)
