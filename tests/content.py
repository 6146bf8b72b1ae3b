"""Coaching content for tests: goals, notes and coaching work of the cast, in one line each.

Also `same_404`: a page someone may not see must answer exactly as a page that does
not exist, so tests compare the two bodies. Two parts of a page differ between any
two requests and are set aside: the CSRF token (masked afresh on every request)
and the address itself (the language switcher sends you back to it).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.http import HttpResponse

from tandem.accounts.models import User
from tandem.cycles.models import Cycle, Goal
from tandem.notes.models import Note
from tandem.privacy.categories import Category
from tandem.schools.models import Engagement, EngagementKind

from .cast import Cast


def cycle(cast: Cast, coach: User, teacher: User | None = None) -> Engagement:
    """An Impact Cycle of Maya's (or another Jefferson teacher's) with this coach."""
    return Engagement.objects.create(
        district=cast.maple,
        school=cast.jefferson,
        teacher=teacher or cast.maya,
        coach=coach,
        kind=EngagementKind.IMPACT_CYCLE,
        title="Reasoning in math talks",
    )


def goal(
    cast: Cast,
    *,
    teacher: User | None = None,
    author: User | None = None,
    engagement: Engagement | None = None,
    held_back: bool = False,
    statement: str = "80% of students explain their reasoning",
) -> Goal:
    teacher = teacher or cast.maya
    return Goal.objects.create(
        district=cast.maple if teacher.district_id == cast.maple.pk else cast.hillview,
        teacher=teacher,
        author=author or teacher,
        category=Category.GOALS,
        engagement=engagement,
        held_back=held_back,
        statement=statement,
    )


def note(
    cast: Cast,
    *,
    teacher: User | None = None,
    author: User | None = None,
    private: bool = False,
    engagement: Engagement | None = None,
    title: str = "Planning meeting",
    body: str = "We looked at the exit tickets together.",
) -> Note:
    teacher = teacher or cast.maya
    return Note.objects.create(
        district=cast.maple if teacher.district_id == cast.maple.pk else cast.hillview,
        teacher=teacher,
        author=author or teacher,
        category=Category.COACH_PRIVATE if private else Category.NOTES,
        engagement=engagement,
        title=title,
        body=body,
    )


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def normalized(response: HttpResponse, *addresses: Any) -> bytes:
    body = _CSRF.sub(b'name="csrfmiddlewaretoken" value=""', response.content)
    for address in addresses:
        body = body.replace(str(address).encode(), b"<address>")
    return body


def same_404(hidden: HttpResponse, missing: HttpResponse, *addresses: Any) -> bool:
    """Both are 404s, and their bodies are the same but for the CSRF token and the address."""
    return hidden.status_code == missing.status_code == 404 and normalized(
        hidden, *addresses
    ) == normalized(missing, *addresses)


def random_uuid() -> uuid.UUID:
    return uuid.uuid4()


def impact_cycle(cast: Cast, coach: User | None = None, teacher: User | None = None) -> Cycle:
    """A new Impact Cycle (stage Identify) of Maya's with Lena, or of these two."""
    from tandem.cycles.services import start_cycle

    teacher = teacher or cast.maya
    return start_cycle(
        coach=coach or cast.lena, teacher=teacher, acting_user=teacher, title="Reasoning in math"
    )
