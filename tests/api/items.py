"""Coaching content for the API tests: Maya's goals and notes, written straight to the tables.

Who sees what is the privacy rules' business: a goal Maya sets herself is hers
alone until she shares it; a note Omar writes about their meeting is Maya's and
Omar's (he wrote it, and coaches her); a coach-private note is its author's alone.
"""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.cycles.models import Goal
from tandem.notes.models import Note
from tandem.privacy.categories import Category
from tandem.privacy.content import CoachingContent

from ..cast import Cast

# The path of each kind of content under /api/v1, and its model.
KINDS: dict[str, type[CoachingContent]] = {"goals": Goal, "notes": Note}
RANDOM_UUID = "7a1c4b52-95a2-4d6c-9d1e-3f0c2b7e8a41"


def goal(
    cast: Cast, *, author: User | None = None, teacher: User | None = None, **fields: Any
) -> Goal:
    teacher = teacher or cast.maya
    assert teacher.district is not None
    return Goal.objects.create(
        district=teacher.district,
        teacher=teacher,
        author=author or teacher,
        category=Category.GOALS,
        statement=fields.pop("statement", "80% of students explain their reasoning in writing"),
        **fields,
    )


def note(
    cast: Cast, *, author: User | None = None, teacher: User | None = None, **fields: Any
) -> Note:
    teacher = teacher or cast.maya
    assert teacher.district is not None
    return Note.objects.create(
        district=teacher.district,
        teacher=teacher,
        author=author or teacher,
        category=fields.pop("category", Category.NOTES),
        title=fields.pop("title", "Talk moves in period 3"),
        body=fields.pop("body", "Students paired up before sharing; more hands went up."),
        **fields,
    )


def item(kind: str, cast: Cast, **fields: Any) -> CoachingContent:
    """A goal or a note of Maya's, by the API's name for its kind."""
    return goal(cast, **fields) if kind == "goals" else note(cast, **fields)
