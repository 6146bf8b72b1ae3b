"""Cycles in Learn and Improve for tests: Maya's cycle with Lena, with a goal and a checklist."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from tandem.cycles.models import ChecklistItem, Cycle, Goal, MeasureKind, Measurement, Stage
from tandem.privacy.categories import Category

from ..cast import Cast
from ..content import impact_cycle

MOVES = [
    "Ask the question to the whole class",
    "Wait at least three seconds",
    "Call on a student at random",
]


def cycle_in(
    cast: Cast,
    stage: str = Stage.LEARN,
    *,
    baseline: str = "36",
    target: str = "80",
    kind: str = MeasureKind.PERCENTAGE,
) -> Cycle:
    """Maya's cycle with Lena, at this stage, with a goal and the strategy's checklist."""
    cycle = impact_cycle(cast)
    Goal.objects.create(
        district=cast.maple,
        teacher=cast.maya,
        author=cast.maya,
        category=Category.GOALS,
        engagement=cycle.engagement,
        cycle=cycle,
        statement="80% of students explain their reasoning in writing",
        measure="exit tickets with a written explanation",
        measure_kind=kind,
        baseline=Decimal(baseline),
        target=Decimal(target),
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(cycle=cycle, position=n, text=move, original=move)
        for n, move in enumerate(MOVES, start=1)
    )
    Cycle.objects.filter(pk=cycle.pk).update(stage=stage, strategy_name="Wait time")
    cycle.refresh_from_db()
    return cycle


def measure(cycle: Cycle, *values: str, start: datetime.date | None = None) -> None:
    """Typed-in measurements, one a week up to today, by Lena."""
    goal = Goal.objects.get(cycle=cycle)
    start = start or timezone.localdate() - datetime.timedelta(weeks=len(values))
    Measurement.objects.bulk_create(
        Measurement(
            goal=goal,
            taken_on=start + datetime.timedelta(weeks=n),
            value=Decimal(value),
            author=cycle.engagement.coach,  # type: ignore[union-attr]
        )
        for n, value in enumerate(values)
    )
