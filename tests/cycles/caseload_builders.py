"""Cycles in a given stage, with a goal, measurements and sessions: for the caseload tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from tandem.accounts.models import User
from tandem.coaching.models import CoachingSession, SessionKind
from tandem.coaching.services import give_suggestion
from tandem.cycles.models import Cycle, Goal, Measurement, Stage
from tandem.privacy.categories import Category

from .. import factories as f
from ..cast import Cast
from ..content import impact_cycle


def cycle_in(
    cast: Cast,
    stage: str = Stage.IMPROVE,
    *,
    teacher: User | None = None,
    coach: User | None = None,
    idle_days: int = 0,
    measurements: tuple[int, ...] = (40, 55),
    session_in_days: int | None = 3,
) -> Cycle:
    """A cycle of this teacher's (Maya's) with this coach (Lena), in `stage`.

    With a goal (baseline 30, target 80) and typed measurements from Improve on, a
    session planned `session_in_days` ahead, and last activity `idle_days` ago.
    """
    teacher = teacher or cast.maya
    coach = coach or cast.lena
    cycle = impact_cycle(cast, coach=coach, teacher=teacher)
    if stage != Stage.IDENTIFY:
        goal = Goal.objects.create(
            district_id=cycle.district_id,
            teacher=teacher,
            author=teacher,
            category=Category.GOALS,
            engagement=cycle.engagement,
            cycle=cycle,
            statement=f"Students of {teacher.display_name} explain their reasoning",
            measure="% of exit tickets with a written explanation",
            baseline=Decimal(30),
            target=Decimal(80),
        )
        if stage in (Stage.IMPROVE, Stage.MET):
            today = timezone.localdate()
            Measurement.objects.bulk_create(
                Measurement(
                    goal=goal,
                    taken_on=today - datetime.timedelta(days=7 * (len(measurements) - n)),
                    value=Decimal(value),
                    author=coach,
                )
                for n, value in enumerate(measurements)
            )
    if session_in_days is not None:
        session(cycle, timezone.now() + datetime.timedelta(days=session_in_days))
    ended = timezone.localdate() if stage in (Stage.MET, Stage.CLOSED) else None
    Cycle.objects.filter(pk=cycle.pk).update(
        stage=stage,
        ended_on=ended,
        met_summary="Most students now explain in writing." if stage == Stage.MET else "",
        closed_reason="Maya moved to another grade." if stage == Stage.CLOSED else "",
        last_activity_at=timezone.now() - datetime.timedelta(days=idle_days),
    )
    cycle.refresh_from_db()
    return cycle


def session(cycle: Cycle, starts_at: datetime.datetime) -> CoachingSession:
    """A modeling session of the cycle, planned (rows only: the tests read, not schedule)."""
    assert cycle.engagement is not None  # a cycle always has one
    return CoachingSession.objects.create(
        district_id=cycle.district_id,
        teacher=cycle.teacher,
        author=cycle.engagement.coach,
        category=Category.NOTES,
        engagement=cycle.engagement,
        coach=cycle.engagement.coach,
        kind=SessionKind.MODELING,
        starts_at=starts_at,
        place="Room 12",
    )


def suggestion(cast: Cast, cycle: Cycle, text: str = "Post sentence starters on the board") -> None:
    assert cycle.engagement is not None  # a cycle always has one
    give_suggestion(
        coach=cycle.engagement.coach,
        teacher=cycle.teacher,
        text=text,
        engagement=cycle.engagement,
        cycle_id=cycle.pk,
    )


def other_teacher(cast: Cast, name: str) -> User:
    """Another Jefferson teacher whom Lena coaches."""
    teacher = f.teacher(cast.jefferson, name)
    f.assign(cast.lena, teacher, cast.jefferson)
    return teacher
