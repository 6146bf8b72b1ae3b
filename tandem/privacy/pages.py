"""Helpers the pages of every kind of coaching content share."""

from __future__ import annotations

import functools
import uuid
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.schools.models import District

from .authoring import district_of
from .content import CoachingContent


def district_time(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Show dates and times in the person's district's time zone (one query)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        name = (
            District.objects.filter(pk=user.district_id).values_list("time_zone", flat=True).first()
            if getattr(user, "district_id", None)
            else None
        )
        try:
            zone = zoneinfo.ZoneInfo(name) if name else timezone.get_default_timezone()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = timezone.get_default_timezone()
        with timezone.override(zone):
            return view(request, *args, **kwargs)

    return wrapped


def mine_first(user: User) -> Case:
    """An ordering that puts the person's own coaching before that of the teachers she coaches."""
    return Case(
        When(teacher_id=user.pk, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


@dataclass
class TeacherGroup:
    teacher: User
    mine: bool
    items: list[CoachingContent]


def by_teacher(items: Iterable[CoachingContent], viewer: User) -> list[TeacherGroup]:
    """Consecutive items of one teacher, in one group (the list comes ordered by teacher)."""
    groups: list[TeacherGroup] = []
    for item in items:
        if not groups or groups[-1].teacher.pk != item.teacher_id:
            groups.append(TeacherGroup(item.teacher, item.teacher_id == viewer.pk, []))
        groups[-1].items.append(item)
    return groups


def initial_teacher(request: HttpRequest, user: User) -> dict[str, Any]:
    """`?teacher=<uuid>` preselects a teacher (the "set a goal for Maya" links)."""
    try:
        wanted = uuid.UUID(request.GET.get("teacher", ""))
    except ValueError:  # absent, or not a UUID: nothing preselected
        return {}
    # Only a choice the form offers is shown as chosen; the id of anyone else is never used.
    found = User.objects.filter(uuid=wanted, district_id=district_of(user))
    return {"teacher": found.values_list("pk", flat=True).first()}


def error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return _("You can write only for yourself or for a teacher you coach right now.")
    return " ".join(error.messages)
