"""Factories for building test data; every test's world has at least two districts."""

from __future__ import annotations

import datetime
from typing import Any, cast

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from tandem.accounts.models import User
from tandem.schools.models import (
    AssignmentStatus,
    CoachingAssignment,
    CoachSpecialty,
    District,
    Membership,
    Role,
    School,
    Specialty,
)

PASSWORD = "a-long-test-password"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A person who can sign in: verified e-mail address, known password."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    display_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(
        lambda u: f"{u.display_name.lower().replace(' ', '.')}@{u.district.slug}.example"
    )
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def make_district(**fields: Any) -> District:
    return cast(District, DistrictFactory.create(**fields))


def make_school(**fields: Any) -> School:
    return cast(School, SchoolFactory.create(**fields))


def make_user(**fields: Any) -> User:
    return cast(User, UserFactory.create(**fields))


def teacher(school: School, name: str | None = None) -> User:
    user = make_user(district=school.district, **({"display_name": name} if name else {}))
    Membership.objects.create(user=user, district=school.district, school=school, role=Role.TEACHER)
    return user


def coach(
    school: School,
    specialty: str = Specialty.INSTRUCTIONAL,
    name: str | None = None,
    subject: str = "",
    user: User | None = None,
) -> User:
    if user is None:
        user = make_user(district=school.district, **({"display_name": name} if name else {}))
    membership, _ = Membership.objects.get_or_create(
        user=user, district=school.district, school=school, role=Role.COACH
    )
    CoachSpecialty.objects.create(membership=membership, specialty=specialty, subject=subject)
    return user


def leader(school: School, name: str | None = None) -> User:
    user = make_user(district=school.district, **({"display_name": name} if name else {}))
    Membership.objects.create(
        user=user, district=school.district, school=school, role=Role.SCHOOL_LEADER
    )
    return user


def district_admin(district: District, name: str | None = None) -> User:
    user = make_user(district=district, **({"display_name": name} if name else {}))
    Membership.objects.create(user=user, district=district, role=Role.DISTRICT_ADMIN)
    return user


def assign(
    coach: User,
    teacher: User,
    school: School,
    specialty: str = Specialty.INSTRUCTIONAL,
    *,
    status: str = AssignmentStatus.ACTIVE,
    starts_on: datetime.date | None = None,
    subject: str = "",
    proposed_by: User | None = None,
) -> CoachingAssignment:
    return CoachingAssignment.objects.create(
        district=school.district,
        school=school,
        coach=coach,
        teacher=teacher,
        specialty=specialty,
        subject=subject,
        status=status,
        starts_on=starts_on or timezone.localdate() - datetime.timedelta(days=30),
        proposed_by=proposed_by or coach,
    )
