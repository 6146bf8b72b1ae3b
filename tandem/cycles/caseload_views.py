"""The teacher's "My cycle" and the coach's caseload: read-only pages over visible_to().

Both run a constant number of queries whatever the number of cycles: one per
kind of content shown (cycles, their goals with the latest measurement,
sessions, suggestions), each through `visible_to()`, and the page's access
events in one insert. Child rows (measurements) are read through their goal.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.coaching.models import CoachingSession, SessionStatus, Suggestion, SuggestionStatus
from tandem.privacy.content import CoachingContent
from tandem.privacy.models import Via
from tandem.privacy.pages import district_time
from tandem.privacy.services import record_access
from tandem.schools.roles import request_roles

from . import charts
from .models import OPEN_STAGES, Cycle, Evidence, Goal, Measurement, Stage

# How far ahead the caseload looks for sessions, and how long a met cycle stays on it.
UPCOMING_DAYS = 14
RECENTLY_MET_DAYS = 30
# The teacher's page shows her next few sessions and latest next steps, not all of them.
MY_SESSIONS = 5
MY_SUGGESTIONS = 5
# The stages a cycle walks through, as the stage indicator lists them.
STEPS = [Stage.IDENTIFY, Stage.LEARN, Stage.IMPROVE, Stage.MET]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _url(name: str, *args: Any) -> str | None:
    """A page of the cycle's, or None while that page does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@dataclass
class Step:
    stage: str
    label: str
    state: str  # "done", "now" or "next"


@dataclass
class NextStep:
    sentence: str
    action: str
    url: str | None


@dataclass
class CycleRow:
    """A cycle as these pages show it: its goal (if she may see it), stage and what is next."""

    cycle: Cycle
    goal: Goal | None
    latest: Decimal | None = None
    stalled_days: int | None = None
    steps: list[Step] = field(default_factory=list)
    next: NextStep | None = None

    @property
    def url(self) -> str | None:
        return _url("cycle_detail", self.cycle.uuid)

    @property
    def reached(self) -> bool:
        return (
            self.goal is not None and self.latest is not None and self.goal.reached_by(self.latest)
        )


def steps(cycle: Cycle) -> list[Step]:
    """The cycle page's stage indicator: each step done, now or next (a closed cycle: none)."""
    labels = dict(Stage.choices)
    at = STEPS.index(Stage(cycle.stage)) if cycle.stage in STEPS else -1
    result = []
    for n, stage in enumerate(STEPS):
        state = "done" if n < at or cycle.stage == Stage.MET else "now" if n == at else "next"
        result.append(Step(stage, str(labels[stage]), state))
    return result


def next_step(row: CycleRow, *, for_teacher: bool) -> NextStep | None:
    """One sentence and one button: what this cycle needs now (as the cycle page says it)."""
    cycle, goal = row.cycle, row.goal
    page = row.url or ""
    if not cycle.is_open:
        return None
    if cycle.stage == Stage.IDENTIFY:
        talked = cycle.lesson_rating is not None or bool(cycle.students_differently)
        if not getattr(cycle, "has_evidence", False):
            return NextStep(
                _(
                    "Start with a clear picture: add a lesson video, student work or your reflection."  # noqa: E501
                )
                if for_teacher
                else _("Start with a clear picture: add observation data, student work or notes."),
                _("Add evidence"),
                page + "#add-evidence",
            )
        if not talked:
            return NextStep(
                _("Look at the evidence together, and talk about how the lesson went."),
                _("Talk it through"),
                _url("cycle_conversation", cycle.uuid),
            )
        if goal is None or goal.baseline is None or goal.target is None:
            return NextStep(
                _("Turn what you want students to do differently into a goal with a measure."),
                _("Build the goal") if goal is None else _("Finish the goal"),
                _url("cycle_goal", cycle.uuid),
            )
        return NextStep(
            _("Choose a teaching strategy together to hit the goal."),
            _("Choose a strategy"),
            _url("cycle_strategy", cycle.uuid),
        )
    if cycle.stage == Stage.LEARN:
        return NextStep(
            _("Choose how you would like to learn the strategy, and plan when.")
            if for_teacher
            else _("Plan with the teacher how they would like to learn the strategy."),
            _("Go to Learn"),
            page + "#learn",
        )
    if row.reached:
        return NextStep(
            _("The latest measurement reaches the target: confirm that the goal is met.")
            if for_teacher
            else _("The latest measurement reaches the target: the teacher can confirm it."),
            _("Go to Improve"),
            page + "#improve",
        )
    return NextStep(
        _("Try the strategy in class, and add the students' results as they come."),
        _("Add a measurement"),
        _url("measurement_add", cycle.uuid) or page + "#improve",
    )


def _goals(user: User, cycle_ids: Iterable[int]) -> dict[int, Goal]:
    """The goals of these cycles she may see, each with its latest typed measurement."""
    latest = Measurement.objects.filter(goal=OuterRef("pk")).order_by(
        "-taken_on", "-created_at", "-id"
    )
    goals = (
        Goal.objects.visible_to(user)
        .filter(cycle_id__in=list(cycle_ids))
        .annotate(latest_value=Subquery(latest.values("value")[:1]))
    )
    return {g.cycle_id: g for g in goals if g.cycle_id is not None}


def _cycles(user: User) -> QuerySet[Cycle]:
    evidence = Evidence.objects.visible_to(user).filter(cycle=OuterRef("pk"))
    return (
        Cycle.objects.visible_to(user)
        .select_related("engagement__coach", "teacher", "strategy")
        .annotate(has_evidence=Exists(evidence))
    )


def _rows(user: User, cycles: list[Cycle], *, for_teacher: bool) -> list[CycleRow]:
    goals = _goals(user, [c.pk for c in cycles])
    now = timezone.now()
    rows = []
    for cycle in cycles:
        goal = goals.get(cycle.pk)
        row = CycleRow(cycle, goal, getattr(goal, "latest_value", None))
        idle = now - cycle.last_activity_at
        if cycle.is_open and idle > datetime.timedelta(days=settings.TANDEM_STALLED_DAYS):
            row.stalled_days = idle.days
        row.steps = steps(cycle)
        row.next = next_step(row, for_teacher=for_teacher)
        rows.append(row)
    return rows


def _with_pages(sessions: list[CoachingSession]) -> list[CoachingSession]:
    """Each session with its page's address, while the sessions' pages may not exist yet."""
    for session in sessions:
        session.page_url = _url("session_detail", session.uuid)  # type: ignore[attr-defined]
    return sessions


def _record(user: User, request: HttpRequest, *groups: Iterable[Any]) -> None:
    """One access event per item shown to someone other than its teacher, in one insert."""
    items: list[CoachingContent] = []
    for group in groups:
        items.extend(group)
    record_access(viewer=user, items=items, via=Via.PAGE, path=request.path)


@login_required
@district_time
def my_cycle(request: HttpRequest) -> HttpResponse:
    """The teacher's Impact Cycles: where she is, what is next, the goal; past cycles below."""
    if not request_roles(request).is_teacher:
        raise Http404
    user = _user(request)
    cycles = list(_cycles(user).filter(teacher=user).order_by("-created_at", "-id"))
    rows = _rows(user, cycles, for_teacher=True)
    current = [r for r in rows if r.cycle.is_open]
    past = [r for r in rows if not r.cycle.is_open]
    sessions = _with_pages(
        list(
            CoachingSession.objects.visible_to(user)
            .filter(teacher=user, status=SessionStatus.SCHEDULED, starts_at__gte=timezone.now())
            .select_related("coach")
            .order_by("starts_at", "id")[:MY_SESSIONS]
        )
    )
    suggestions = list(
        Suggestion.objects.visible_to(user)
        .filter(teacher=user, status__in=[SuggestionStatus.OPEN, SuggestionStatus.TRYING])
        .select_related("author")
        .order_by("-given_on", "-created_at", "-id")[:MY_SUGGESTIONS]
    )
    # The chart of the cycle she is in now (the most recent open one): its measurements,
    # typed in and observed, through the Improve stage's own reading (a few queries, once).
    chart: dict[str, Any] = {}
    if current and current[0].goal is not None:
        goal = current[0].goal
        points = charts.series(goal, user)
        if points:
            current[0].latest = points[-1].value
            current[0].next = next_step(current[0], for_teacher=True)
        chart = {"chart": charts.chart(goal, points), "points": points, "goal": goal}
    ctx = {
        "chart": chart,
        "current": current,
        "past": past,
        "sessions": sessions,
        "suggestions": suggestions,
        "start_url": _url("cycle_create"),
    }
    return render(request, "cycles/my_cycle.html", ctx)


@dataclass
class StageGroup:
    stage: str
    label: str
    rows: list[CycleRow]


@login_required
@district_time
def caseload(request: HttpRequest) -> HttpResponse:
    """The coach's cycles by stage, stalled ones flagged, her sessions of the next 14 days."""
    if not request_roles(request).is_coach:
        raise Http404
    user = _user(request)
    today = timezone.localdate()
    met_since = today - datetime.timedelta(days=RECENTLY_MET_DAYS)
    cycles = list(
        _cycles(user)
        .filter(engagement__coach=user)
        .filter(stage__in=[*OPEN_STAGES, Stage.MET])
        .exclude(stage=Stage.MET, ended_on__lt=met_since)
        .order_by("teacher__display_name", "teacher_id", "-created_at", "-id")
    )
    teachers = list({c.teacher_id: c.teacher for c in cycles}.values())
    chosen = _chosen_teacher(request, teachers)
    if chosen is not None:
        cycles = [c for c in cycles if c.teacher_id == chosen.pk]
    rows = _rows(user, cycles, for_teacher=False)
    labels = dict(Stage.choices)
    groups = [
        StageGroup(
            stage,
            str(_("Recently met") if stage == Stage.MET else labels[stage]),
            [r for r in rows if r.cycle.stage == stage],
        )
        for stage in STEPS
    ]
    now = timezone.now()
    sessions = CoachingSession.objects.visible_to(user).filter(
        coach=user,
        status=SessionStatus.SCHEDULED,
        starts_at__gte=now,
        starts_at__lt=now + datetime.timedelta(days=UPCOMING_DAYS),
    )
    if chosen is not None:
        sessions = sessions.filter(teacher=chosen)
    upcoming = _with_pages(list(sessions.select_related("teacher").order_by("starts_at", "id")))
    cycle_urls = {r.cycle.engagement_id: r.url for r in rows}
    shown_goals = [r.goal for r in rows if r.goal is not None]
    _record(user, request, cycles, shown_goals, upcoming)
    ctx = {
        "groups": groups,
        "stalled": sorted(
            (r for r in rows if r.stalled_days is not None), key=lambda r: -(r.stalled_days or 0)
        ),
        "upcoming": [(s, cycle_urls.get(s.engagement_id)) for s in upcoming],
        "teachers": sorted(teachers, key=lambda t: (t.display_name, t.pk)),
        "chosen": chosen,
        "open_count": sum(1 for r in rows if r.cycle.is_open),
        "stalled_days": settings.TANDEM_STALLED_DAYS,
        "upcoming_days": UPCOMING_DAYS,
        "start_url": _url("cycle_create"),
    }
    return render(request, "cycles/caseload.html", ctx)


def _chosen_teacher(request: HttpRequest, teachers: list[User]) -> User | None:
    """`?teacher=<uuid>` narrows the caseload to one of her teachers; anything else: everyone."""
    try:
        wanted = uuid.UUID(request.GET.get("teacher", ""))
    except ValueError:
        return None
    return next((t for t in teachers if t.uuid == wanted), None)
