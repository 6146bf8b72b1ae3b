"""The agenda Tandem prepares for a check-in, from what this person may see.

Counts describe the school (only its teachers' rows), suppressed under K for a
leader as on every leader's page; anything that names a
teacher or shows a goal comes from `visible_to(viewer)`, so a coach sees the goals
and cycles she may see anyway and nobody else's. Trends are counts of distinct
teachers, suppressed below K (privacy.aggregates.suppress), so no cell can single
a teacher out. Flags, success stories and resources come de-identified from the
teamwork and threads apps.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from tandem.accounts.models import User
from tandem.cycles.models import Cycle, Goal, GoalStatus, MeasureKind
from tandem.privacy.aggregates import K, suppress
from tandem.schools.models import CoachingAssignment, Membership, Role, School
from tandem.teamwork import agenda as flags

from .models import ActionItem, CheckIn

try:  # the team thread's app lands in parallel; an agenda without it still works
    from tandem.threads import agenda as threads
except ImportError:  # pragma: no cover
    threads = None  # type: ignore[assignment]

MANY_COACHES = 3  # a teacher with this many active coaches counts as "many"
DEFAULT_LOOKBACK = datetime.timedelta(days=14)


@dataclass(frozen=True)
class Trend:
    label: str
    teachers: int | None  # None: fewer than K, not shown


@dataclass
class Agenda:
    since: datetime.datetime
    goals_met: int | None  # None: fewer than K, to someone who is not a coach there
    my_goals_met: list[Goal]
    stalled: int | None
    my_stalled: list[Cycle]
    flags: list[Any]
    open_flags: int
    measure_trends: list[Trend]
    strategy_trends: list[Trend]
    many_coaches: int | None
    stories: list[Any] = field(default_factory=list)
    resources: list[Any] = field(default_factory=list)
    carried_over: list[ActionItem] = field(default_factory=list)

    @property
    def shown(self) -> list[Any]:
        """The coaching content on the page, for the access record."""
        return [*self.my_goals_met, *self.my_stalled]


def previous(checkin: CheckIn) -> CheckIn | None:
    return (
        checkin.series.checkins.filter(starts_at__lt=checkin.starts_at, skipped=False)
        .order_by("-starts_at")
        .first()
    )


def carried_over(checkin: CheckIn) -> list[ActionItem]:
    """Items from earlier check-ins of the series that are not done yet."""
    return list(
        ActionItem.objects.filter(
            checkin__series_id=checkin.series_id,
            checkin__starts_at__lt=checkin.starts_at,
            done_at__isnull=True,
        )
        .select_related("owner", "checkin")
        .order_by("checkin__starts_at", "created_at", "id")
    )


def _trends(counts: dict[str, int], labels: dict[str, str]) -> list[Trend]:
    keys = sorted(counts, key=lambda key: (-counts[key], key))
    shown = suppress([counts[key] for key in keys], k=K)
    return [
        Trend(label=labels.get(key, key), teachers=value)
        for key, value in zip(keys, shown.cells, strict=True)
    ]


def build(checkin: CheckIn, viewer: User) -> Agenda:
    """The agenda for this check-in, as this person may see it."""
    school: School = checkin.series.school
    before = previous(checkin)
    since = before.starts_at if before else checkin.starts_at - DEFAULT_LOOKBACK
    until = checkin.starts_at
    teachers = Membership.objects.filter(
        school=school, role=Role.TEACHER, district_id=school.district_id
    ).values("user_id")
    # What a teacher holds back is not counted either: a count is about her work too.
    met = Goal.objects.filter(
        district_id=school.district_id,
        teacher_id__in=teachers,
        held_back=False,
        status=GoalStatus.MET,
        updated_at__gte=since,
        updated_at__lt=until,
    )
    stalled = Cycle.objects.stalled().filter(
        district_id=school.district_id, teacher_id__in=teachers, held_back=False
    )
    active_goals = Goal.objects.filter(
        district_id=school.district_id,
        teacher_id__in=teachers,
        status=GoalStatus.ACTIVE,
        held_back=False,
    )
    measures = dict(
        active_goals.order_by()
        .values("measure_kind")
        .annotate(n=Count("teacher", distinct=True))
        .values_list("measure_kind", "n")
    )
    strategies = dict(
        Cycle.objects.open()
        .filter(district_id=school.district_id, teacher_id__in=teachers, held_back=False)
        .exclude(strategy_name="")
        .order_by()
        .values("strategy_name")
        .annotate(n=Count("teacher", distinct=True))
        .values_list("strategy_name", "n")
    )
    many = (
        CoachingAssignment.objects.active()
        .filter(school=school, district_id=school.district_id)
        .order_by()
        .values("teacher_id")
        .annotate(n=Count("coach", distinct=True))
        .filter(n__gte=MANY_COACHES)
        .count()
    )
    # A coach of the school sees the school's counts whole; a leader (when invited) sees
    # them as every leader's page does, suppressed under K.
    coach = Membership.objects.filter(
        user_id=viewer.pk, school=school, role=Role.COACH, district_id=school.district_id
    ).exists()

    def count(n: int) -> int | None:
        return n if coach else suppress([n], k=K).total

    return Agenda(
        since=since,
        goals_met=count(met.count()),
        my_goals_met=list(met.visible_to(viewer).select_related("teacher", "cycle")),
        stalled=count(stalled.count()),
        my_stalled=list(stalled.visible_to(viewer).select_related("teacher", "engagement")),
        flags=flags.flags_for_agenda(school=school, since=since),
        open_flags=flags.open_flag_count(school=school),
        measure_trends=_trends(measures, {str(k): str(v) for k, v in MeasureKind.choices}),
        strategy_trends=_trends(strategies, {}),
        many_coaches=suppress([many], k=K).total if many else 0,
        stories=threads.success_stories(school=school, since=since) if threads else [],
        resources=threads.resources_shared(school=school, since=since) if threads else [],
        carried_over=carried_over(checkin),
    )
