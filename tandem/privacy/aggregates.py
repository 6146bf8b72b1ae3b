"""Aggregates for school leaders and district admins: counts over at least K distinct teachers.

Leaders never see coaching content, only counts, and no count singles out a
group of fewer than K teachers: `suppress` hides every such cell, then hides
more cells (and the total, when needed) so that the shown numbers and the
shown total never let a hidden cell be worked out. Hidden cells all look
alike on the page, so which were hidden to protect another is not told.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tandem.cycles.models import Goal, GoalStatus
from tandem.schools.models import CoachingAssignment, School, Specialty

K = 5  # the smallest group of distinct teachers a count may describe


@dataclass(frozen=True)
class Suppressed:
    """Cells and total as they may be shown: None where a number is not shown."""

    cells: list[int | None]
    total: int | None

    @property
    def any_hidden(self) -> bool:
        return self.total is None or None in self.cells


def suppress(cells: Sequence[int], *, total: int | None = None, k: int = K) -> Suppressed:
    """Hide every cell under `k`, and enough others that none can be recovered.

    `total` defaults to the sum of the cells. A cell under `k` is hidden
    (primary suppression). While the total is shown, the hidden cells' sum is
    known: one hidden cell alone could be recovered by subtraction, and so
    could small cells adding up to nothing or to all they can be. Then the
    smallest shown cell is hidden too (complementary suppression), and the
    total itself when no cell is left to hide. A total under `k` is always
    hidden (then so is every cell, each being at most it).
    """
    values = list(cells)
    if any(v < 0 for v in values):
        raise ValueError("Counts are never negative.")
    whole = sum(values) if total is None else total
    hidden = [v < k for v in values]
    total_hidden = whole < k
    while not total_hidden and any(hidden):
        hidden_values = [v for v, h in zip(values, hidden, strict=True) if h]
        if _protected(hidden_values, k):
            break
        shown = [v for v, h in zip(values, hidden, strict=True) if not h]
        if not shown:
            total_hidden = True
            break
        # The smallest shown cell, and any cell of the same size: which of equals
        # was chosen would tell something.
        smallest = min(shown)
        hidden = [h or v == smallest for v, h in zip(values, hidden, strict=True)]
    return Suppressed(
        cells=[None if h else v for v, h in zip(values, hidden, strict=True)],
        total=None if total_hidden else whole,
    )


def _protected(hidden: list[int], k: int) -> bool:
    """Whether hidden cells, whose sum the shown total gives away, keep their values unknown.

    One hidden cell is its sum. Several, each known to be under `k` (else it would
    be shown), are all known when their sum is 0 or the largest it can be.
    """
    if len(hidden) < 2 or sum(hidden) == 0:
        return False
    return any(v >= k for v in hidden) or sum(hidden) < len(hidden) * (k - 1)


@dataclass(frozen=True)
class Line:
    label: str
    count: int | None  # None: not shown


@dataclass(frozen=True)
class SchoolGoals:
    """Teachers working on a goal with a coach at one school, by kind of coaching."""

    school: School
    lines: list[Line]
    total: int | None
    any_hidden: bool


def _distinct_teachers(queryset: QuerySet[CoachingAssignment]) -> Coalesce:
    counted = (
        queryset.order_by()
        .values("school_id")
        .annotate(n=Count("teacher_id", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def goals_by_specialty(school_ids: Sequence[int]) -> list[SchoolGoals]:
    """Per school: distinct teachers with an active goal in coaching work led by a coach of each
    specialty, and in all. One query, whatever the school's size.

    A teacher counts under a specialty when a coach she actively works with in
    that specialty leads an open engagement holding an active goal of hers
    that she has not held back; a teacher with two kinds of coach counts in
    each, and once in the total.
    """
    working = CoachingAssignment.objects.active().filter(
        Exists(
            Goal.objects.filter(
                teacher_id=OuterRef("teacher_id"),
                engagement__coach_id=OuterRef("coach_id"),
                engagement__closed_on__isnull=True,
                status=GoalStatus.ACTIVE,
                held_back=False,
            )
        ),
        school_id=OuterRef("pk"),
    )
    per_specialty = {
        f"n_{value}": _distinct_teachers(working.filter(specialty=value))
        for value in Specialty.values
    }
    schools = (
        School.objects.filter(pk__in=list(school_ids))
        .annotate(n_total=_distinct_teachers(working), **per_specialty)
        .order_by("name")
    )
    results = []
    for school in schools:
        counts = [getattr(school, f"n_{value}") for value in Specialty.values]
        shown = suppress(counts, total=getattr(school, "n_total"))  # noqa: B009 — an annotation
        results.append(
            SchoolGoals(
                school=school,
                lines=[
                    Line(str(label), count)
                    for label, count in zip(Specialty.labels, shown.cells, strict=True)
                ],
                total=shown.total,
                any_hidden=shown.any_hidden,
            )
        )
    return results
