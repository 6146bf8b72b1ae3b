"""Home pages run a constant number of queries whatever the demo size.

Each role's home page is counted on the small demo, then Maple Valley grows in
the large demo's shape (new schools with leaders, teachers and coaches, and
the cast's schools topped up with teachers their coaches take on), scaled
down so the test stays quick: the count must not move, and it is pinned, so a
new N+1 query shows up here as a changed number. `make bench` measures the
real large demo on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.schools import demo
from tandem.schools.models import (
    CoachingAssignment,
    CoachSpecialty,
    District,
    Membership,
    Role,
    School,
)

pytestmark = pytest.mark.django_db

MAPLE = "maplevalley.example"

# The large demo's shape, scaled down: 8 schools instead of 60, 200 teachers
# instead of 3,000, 19 coaches instead of 150 (the small demo has 2, 21 and 7).
TEST_SHAPE = demo.Shape(schools=8, teachers=200, coaches=19)

# Queries per home page. Every request pays 4 (the session, the person, her
# roles, the header's count of unread notifications), a district admin one
# more (her MFA authenticator); then one query per list on the page: a
# teacher's team and her invitations waiting for an answer, a coach's
# teachers, a leader's or an admin's schools with their counts; a leader one
# more: her schools' coaching aggregates (teachers working on a goal, by kind
# of coaching, privacy/aggregates.py). Change a number only with a reason.
PINNED = {
    "teacher": ("maya.torres", 6),
    "coach": ("lena.brooks", 5),
    "department head who teaches": ("luis.ortega", 7),
    "school leader": ("dana.reyes", 6),
    "district admin": ("priya.nair", 6),
}


def _sign_in(local: str) -> Client:
    user = User.objects.get(email=f"{local}@{MAPLE}")
    if local == "priya.nair":
        # The demo leaves Priya to set up MFA; without it every page redirects her.
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
        )
    client = Client()
    client.force_login(user)
    return client


def _sections(context: Any) -> dict[str, int]:
    """How many rows each section of the home page shows."""
    sizes = {name: len(context.get(name) or []) for name in ("team", "awaiting", "my_teachers")}
    for name in ("my_schools", "district_schools"):
        schools = context.get(name) or []
        sizes[name] = len(schools)
        sizes[f"{name} teachers"] = sum(s.teachers for s in schools)
    return sizes


@pytest.mark.parametrize("role", list(PINNED))
def test_home_page_runs_the_same_pinned_number_of_queries_on_the_small_and_the_grown_demo(
    role: str, django_assert_num_queries: Any
) -> None:
    local, pinned = PINNED[role]
    demo.build("small")
    client = _sign_in(local)
    client.get(reverse("home"))  # the first request may warm caches; count the next ones

    with django_assert_num_queries(pinned):
        small = client.get(reverse("home"))
    assert small.status_code == 200

    demo.grow(District.objects.get(slug="maple-valley"), TEST_SHAPE)
    with django_assert_num_queries(pinned):
        large = client.get(reverse("home"))
    assert large.status_code == 200

    before, after = _sections(small.context), _sections(large.context)
    grown = {name for name in before if after[name] > before[name]}
    # The district's growth reaches the pages that show it, so the equal
    # counts above are not equal merely because nothing changed.
    expected = {
        "teacher": set(),  # Maya's own team is the same in a bigger district
        "coach": {"my_teachers"},
        "department head who teaches": {"my_teachers"},
        "school leader": {"my_schools teachers"},
        "district admin": {"district_schools", "district_schools teachers"},
    }
    assert grown == expected[role]


def _fingerprint() -> list[tuple[object, ...]]:
    """Everything a person would recognise of the demo, without database ids."""
    today = timezone.localdate()
    people = [
        ("person", *row)
        for row in User.objects.values_list("email", "display_name", "district__slug")
    ]
    schools = [("school", *row) for row in School.objects.values_list("district__slug", "name")]
    memberships = [
        ("membership", *row)
        for row in Membership.objects.values_list("user__email", "school__name", "role")
    ]
    specialties = [
        ("specialty", *row)
        for row in CoachSpecialty.objects.values_list(
            "membership__user__email", "membership__school__name", "specialty", "subject"
        )
    ]
    pairings = [
        (
            "pairing",
            coach,
            teacher,
            school,
            specialty,
            status,
            proposer,
            (starts_on - today).days,
        )
        for coach, teacher, school, specialty, status, proposer, starts_on in (
            CoachingAssignment.objects.values_list(
                "coach__email",
                "teacher__email",
                "school__name",
                "specialty",
                "status",
                "proposed_by__email",
                "starts_on",
            )
        )
    ]
    rows: list[tuple[object, ...]] = [*people, *schools, *memberships, *specialties, *pairings]
    return sorted(rows, key=repr)


class _Undo(Exception):
    """Raised to roll a build back, leaving the database as fresh as before it."""


def _fresh_build_fingerprint() -> list[tuple[object, ...]]:
    assert not District.objects.exists()
    try:
        with transaction.atomic():
            demo.build("small")
            demo.grow(District.objects.get(slug="maple-valley"), TEST_SHAPE)
            fingerprint = _fingerprint()
            raise _Undo
    except _Undo:
        pass
    return fingerprint


def test_the_demo_builds_the_same_people_and_pairings_every_time() -> None:
    first = _fresh_build_fingerprint()
    second = _fresh_build_fingerprint()
    assert len(first) > 500
    assert first == second


def test_the_demo_command_refuses_a_database_that_already_has_districts() -> None:
    demo.build("small")
    before = _fingerprint()
    with pytest.raises(CommandError, match="already holds districts") as refused:
        call_command("demo", "--size", "small")
    assert "empty" in str(refused.value)
    assert _fingerprint() == before


def test_the_small_demo_has_two_districts_of_two_schools_and_a_teacher_with_four_coaches() -> None:
    demo.build("small")
    maple = District.objects.get(slug="maple-valley")
    hillview = District.objects.get(slug="hillview")
    assert School.objects.filter(district=maple).count() == 2
    assert School.objects.filter(district=hillview).count() == 2

    def people(district: District, role: str) -> int:
        return (
            Membership.objects.filter(district=district, role=role)
            .order_by()
            .values("user_id")
            .distinct()
            .count()
        )

    assert 18 <= people(maple, Role.TEACHER) <= 25
    assert people(maple, Role.COACH) >= 6
    assert people(maple, Role.SCHOOL_LEADER) == 2
    assert people(maple, Role.DISTRICT_ADMIN) == 1
    assert people(hillview, Role.TEACHER) >= 5
    assert people(hillview, Role.COACH) >= 1

    maya = User.objects.get(email=f"maya.torres@{MAPLE}")
    coaches = CoachingAssignment.objects.active().filter(teacher=maya)
    assert coaches.values("coach_id").distinct().count() >= 4
    # Coaches with many teachers, and teachers with no coach at all.
    lena = User.objects.get(email=f"lena.brooks@{MAPLE}")
    assert CoachingAssignment.objects.active().filter(coach=lena).count() >= 5
    coached = CoachingAssignment.objects.active().values("teacher_id")
    uncoached = Membership.objects.filter(district=maple, role=Role.TEACHER).exclude(
        user_id__in=coached
    )
    assert uncoached.exists()
    # Everyone in the README's table can sign in with the demo password.
    for email, _name, _who in demo.LOGINS:
        assert User.objects.get(email=email).check_password(demo.DEMO_PASSWORD)


def test_growing_the_demo_reaches_the_shape_it_is_given() -> None:
    demo.build("small")
    maple = District.objects.get(slug="maple-valley")
    demo.grow(maple, TEST_SHAPE)
    assert School.objects.filter(district=maple).count() == TEST_SHAPE.schools
    for role, total in [(Role.TEACHER, TEST_SHAPE.teachers), (Role.COACH, TEST_SHAPE.coaches)]:
        members = Membership.objects.filter(district=maple, role=role).order_by()
        assert members.values("user_id").distinct().count() == total
    # Every school has a leader, and no leader coaches in her own school.
    assert (
        Membership.objects.filter(district=maple, role=Role.SCHOOL_LEADER)
        .values("school_id")
        .distinct()
        .count()
        == TEST_SHAPE.schools
    )
    leads_there = Membership.objects.filter(
        role=Role.SCHOOL_LEADER, school_id=OuterRef("school_id"), user_id=OuterRef("coach_id")
    )
    assert not CoachingAssignment.objects.filter(Exists(leads_there)).exists()
    # Hillview, the other district, is untouched.
    assert School.objects.filter(district__slug="hillview").count() == 2


def test_growing_a_district_to_a_shape_it_already_has_is_refused() -> None:
    demo.build("small")
    with pytest.raises(ValueError, match="every new school needs"):
        demo.grow(
            District.objects.get(slug="maple-valley"),
            demo.Shape(schools=2, teachers=30, coaches=8),
        )
