"""Shapes shared by the routers: strict input, and the small objects every answer names."""

from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

from django.http import HttpRequest
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Strict, StringConstraints

from tandem.accounts.models import User
from tandem.schools.models import AssignmentStatus, Specialty


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


def acting_user(request: HttpRequest) -> User:
    """The person the request authenticated as (token or session)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
