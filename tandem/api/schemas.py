"""Shapes shared by the routers: strict input, and the small objects every answer names."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Annotated, Literal, get_args
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema
from pydantic import (
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

from tandem.accounts.models import User
from tandem.privacy.categories import SHAREABLE
from tandem.schools.models import AssignmentStatus, School, Specialty
from tandem.schools.roles import request_roles


class StrictInput(Schema):
    """A request body: no coercion (`false` is not 0, `"1"` is not 1), no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


def _json_string(value: object) -> object:
    # Strict mode would refuse a UUID or a date sent as text, which is the only way JSON
    # can send one; so accept text, parsed the usual way, and nothing else (no dates
    # from numbers).
    if not isinstance(value, str):
        raise ValueError("Input should be a string")
    return value


# A goal's baseline and target, as the goal form bounds them (8 digits, 2 after the point),
# written as text: "35", "80.5". A JSON number would be a binary float (0.1 + 0.2 is not
# 0.3), which neither side of the wire can round-trip exactly.
_AMOUNT = r"^-?[0-9]{1,6}(\.[0-9]{1,2})?$"


def _amount(value: object) -> object:
    if not isinstance(value, str) or not re.fullmatch(_AMOUNT, value):
        raise ValueError('Input should be a decimal number as text, such as "80.5"')
    return Decimal(value)


Uuid = Annotated[UUID, Strict(False), BeforeValidator(_json_string)]
Day = Annotated[datetime.date, Strict(False), BeforeValidator(_json_string)]
SpecialtyIn = Annotated[Specialty, Strict(False), BeforeValidator(_json_string)]

# Text as the pages take it: trimmed, bounded, and without NUL (which PostgreSQL refuses).
_NO_NUL = r"^[^\x00]*$"
Focus = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=_NO_NUL)]
Subject = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100, pattern=_NO_NUL)]
Message = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=_NO_NUL)]
TokenName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=_NO_NUL)
]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_NO_NUL)
]
# How a goal is measured, as the goal form bounds it.
Measure = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300, pattern=_NO_NUL)]
_AMOUNT_SCHEMA = {"type": "string", "pattern": _AMOUNT, "examples": ["80.5"]}
Amount = Annotated[Decimal, Strict(False), BeforeValidator(_amount), WithJsonSchema(_AMOUNT_SCHEMA)]
# Given back as the database keeps it, always with two places: "80.50".
AmountOut = Annotated[
    Decimal, PlainSerializer(lambda d: f"{d:.2f}", return_type=str), WithJsonSchema(_AMOUNT_SCHEMA)
]


def _text(max_length: int) -> object:
    return StringConstraints(
        strip_whitespace=True, min_length=1, max_length=max_length, pattern=_NO_NUL
    )


Statement = Annotated[str, _text(1000)]
NoteBody = Annotated[str, _text(20_000)]

# What a teacher can share, and what a school's agreement may hold: every category but
# coach-private notes. A path parameter, so a category outside the list is a 422.
ShareableCategory = Literal["goals", "evidence", "video", "notes", "suggestions", "feedback"]
assert set(get_args(ShareableCategory)) == {c.value for c in SHAREABLE}, "update the Literal"


class PageIn(Schema):
    """`?page=` and `?page_size=`. At most 50 to a page: a page of coaching content
    writes its access events in one INSERT, and SQLite binds at most 999 values to one."""

    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(50, ge=1, le=50)


class PersonOut(Schema):
    uuid: UUID
    display_name: str


class SchoolRefOut(Schema):
    uuid: UUID
    name: str


class AssignmentOut(Schema):
    """Who coaches whom, in what, from when to when. No coaching content."""

    uuid: UUID
    school: SchoolRefOut
    coach: PersonOut
    teacher: PersonOut
    specialty: Specialty
    subject: str
    focus: str
    status: AssignmentStatus
    starts_on: datetime.date
    ends_on: datetime.date | None


class EngagementRefOut(Schema):
    """The coaching work (an Impact Cycle, technical support) an item belongs to."""

    uuid: UUID
    title: str


class SeerOut(PersonOut):
    """Someone who can see an item, their role on the teacher's team, and why they can."""

    role: str
    reasons: list[str]


def acting_user(request: HttpRequest) -> User:
    """The person the request authenticated as (token or session)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def person(request: HttpRequest, uuid: UUID) -> User:
    """Someone in the acting person's district; anyone else does not exist (404)."""
    district = request_roles(request).district
    return get_object_or_404(User.objects.filter(district_id=district, is_active=True), uuid=uuid)


def school(request: HttpRequest, uuid: UUID) -> School:
    """A school of the acting person's district; any other does not exist (404)."""
    district = request_roles(request).district
    return get_object_or_404(School.objects.filter(district_id=district), uuid=uuid)
