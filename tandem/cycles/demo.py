"""The demo's Impact Cycles: one in every stage, told as DESIGN.md's story.

Maya Torres and Lena Brooks are in Improve: a PEERS goal (35 % → 80 % of exit
tickets with a written explanation), wait time from the library with one move
adapted, modeling chosen (the session Lena held is the coaching log's,
coaching/demo.py), three typed measurements beside Lena's three observations,
one adaptation; the latest is 72 %, below the target, so the demo
can reach it. Lena's other teachers: one in Identify (a reflection and student
work), one in Learn, one stalled (nothing for 20 days), one whose earlier cycle
met its goal, one whose earlier cycle closed with a reason. Every other Impact
Cycle engagement of the privacy story gets its cycle, in Identify.

Everything goes through the cycle and coaching services, then is dated back into
the term with the ORM (no service writes the past). The privacy story's goals
become their cycles' goals (`Goal.cycle` is set directly: no service moves a goal
into a cycle), so the leaders' aggregates count the same teachers as before.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from tandem.accounts.models import User
from tandem.coaching import services as coaching
from tandem.coaching.models import CoachingSession, SessionKind
from tandem.library.models import Strategy
from tandem.privacy.categories import Category
from tandem.schools.models import District, Engagement, EngagementKind

from . import services
from .models import AdaptationKind, Cycle, EvidenceKind, Goal, MeasureKind, Stage

PEERS = ["powerful", "easy", "emotionally_compelling", "reachable", "student_focused"]
STALLED_FOR_DAYS = 20


def build(maple: District, hillview: District, *, term_start: datetime.date) -> None:
    """Write the demo's cycles. Called by `schools.demo.build` after the observations."""
    zone = timezone.get_default_timezone()

    def at(days: int, hour: int = 15, minute: int = 30) -> datetime.datetime:
        day = term_start + datetime.timedelta(days=days)
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)

    def on(days: int) -> datetime.date:
        return term_start + datetime.timedelta(days=days)

    lena = User.objects.get(email="lena.brooks@maplevalley.example")
    maya = User.objects.get(email="maya.torres@maplevalley.example")
    strategies = {s.slug: s for s in Strategy.objects.filter(district__isnull=True)}
    works = list(
        Engagement.objects.filter(
            district__in=[maple, hillview], kind=EngagementKind.IMPACT_CYCLE, closed_on__isnull=True
        )
        .select_related("teacher", "coach")
        .order_by("started_on", "pk")
    )
    cycles = {work.pk: _cycle_for(work) for work in works}

    mayas = next(w for w in works if w.teacher_id == maya.pk and w.coach_id == lena.pk)
    _improving(cycles[mayas.pk], maya, lena, strategies["wait-time"], at, on)

    others = [w for w in works if w.coach_id == lena.pk and w.teacher_id != maya.pk]
    identify, learn, stalled, met_before, closed_before = (others + [None] * 5)[:5]
    if identify is not None:
        _identifying(cycles[identify.pk], identify.teacher, lena)
    if learn is not None:
        _learning(cycles[learn.pk], learn.teacher, lena, strategies["think-pair-share"], at)
    if stalled is not None:
        _stalled(cycles[stalled.pk], stalled.teacher, lena, strategies["talk-moves"], at, on)
    if met_before is not None:
        _met(met_before.teacher, lena, strategies["exit-tickets"], at, on)
    if closed_before is not None:
        _closed(closed_before.teacher, lena, strategies["cold-call-no-opt-out"], at, on)


def _cycle_for(work: Engagement) -> Cycle:
    """The cycle of an Impact Cycle engagement the privacy story began, with its goal if any.

    `start_cycle` opens a new engagement; these engagements exist already.
    """
    cycle = Cycle.objects.create(
        district_id=work.district_id,
        teacher=work.teacher,
        author=work.coach,
        category=Category.GOALS,
        engagement=work,
        stage=Stage.IDENTIFY,
    )
    moment = datetime.datetime.combine(
        work.started_on, datetime.time(9), tzinfo=timezone.get_default_timezone()
    )
    # Worked on recently (only the stalled one of the story is left idle).
    recent = timezone.now() - datetime.timedelta(days=2)
    Cycle.objects.filter(pk=cycle.pk).update(
        created_at=moment, updated_at=recent, last_activity_at=recent
    )
    Goal.objects.filter(engagement=work, cycle__isnull=True, teacher=work.teacher).update(
        cycle=cycle
    )
    cycle.refresh_from_db()
    return cycle


def _goal_ready(cycle: Cycle, *, measure: str, baseline: int, target: int) -> Goal:
    """The cycle's goal (from the privacy story) with its measure, baseline, target and PEERS."""
    goal = Goal.objects.get(cycle=cycle)
    Goal.objects.filter(pk=goal.pk).update(
        measure=measure,
        measure_kind=MeasureKind.PERCENTAGE,
        baseline=Decimal(baseline),
        target=Decimal(target),
        **dict.fromkeys(PEERS, True),
    )
    goal.refresh_from_db()
    return goal


def _picture(cycle: Cycle, teacher: User, coach: User) -> None:
    services.add_evidence(
        cycle=cycle,
        acting_user=teacher,
        kind=EvidenceKind.TEACHER_REFLECTION,
        title="How the lesson felt",
        text="The same hands go up every time. I want the quiet students to explain too.",
    )
    services.add_evidence(
        cycle=cycle,
        acting_user=coach,
        kind=EvidenceKind.STUDENT_WORK,
        title="Exit tickets, week 2",
        text="Of 25 exit tickets, 9 explain the reasoning in a full sentence; "
        "most give the answer alone.",
    )


def _talked(cycle: Cycle, teacher: User) -> Cycle:
    return services.save_conversation(
        cycle=cycle,
        acting_user=teacher,
        lesson_rating=6,
        closer_to_ideal="More students talking about their thinking, not just me.",
        students_differently="Explaining why, in writing and out loud, without my prompting.",
        expected_version=None,
    )


def _held(
    cycle: Cycle, coach: User, kind: str, when: datetime.datetime, notes: str
) -> CoachingSession:
    """A session in the past, held: planned (no invitation) and recorded with its notes."""
    session = coaching.schedule_session(
        acting_user=coach,
        teacher=cycle.teacher,
        coach=coach,
        kind=kind,
        starts_at=when,
        place="Room 114",
        engagement=cycle.engagement,
        invite=False,
    )
    return coaching.record_held(session=session, acting_user=coach, notes=notes)


def _improving(
    cycle: Cycle,
    maya: User,
    lena: User,
    strategy: Strategy,
    at: Callable[..., datetime.datetime],
    on: Callable[[int], datetime.date],
) -> None:
    """Maya's cycle with Lena, in Improve: the latest measurement still below the target."""
    goal = _goal_ready(
        cycle,
        measure="% of exit tickets with a complete written explanation",
        baseline=35,
        target=80,
    )
    _picture(cycle, maya, lena)
    cycle = _talked(cycle, maya)
    cycle = services.choose_strategy(
        cycle=cycle, acting_user=maya, strategy=strategy, expected_version=None
    )
    first = cycle.checklist.order_by("position").first()
    if first is not None:
        services.adapt_checklist_item(
            item=first,
            acting_user=maya,
            text=first.text + " — with sentence starters on the board",
            reason="My English learners need the words before they can explain.",
        )
    cycle = services.choose_learning_mode(cycle=cycle, acting_user=maya, mode=SessionKind.MODELING)
    # Lena's modeling session in Maya's class (held) and their next conversation are the
    # coaching log's story (coaching/demo.py), in this cycle's engagement.
    cycle = services.start_improving(cycle=cycle, acting_user=lena)
    for days, value in [(28, 45), (49, 60), (63, 72)]:
        services.add_measurement(
            goal=goal, acting_user=lena, taken_on=on(days), value=Decimal(value)
        )
    services.log_adaptation(
        cycle=cycle,
        acting_user=maya,
        kind=AdaptationKind.USE,
        change="Partners rehearse out loud before writing the explanation.",
        reason="Students wrote more once they had said it to someone first.",
        made_on=on(45),
    )
    coaching.give_suggestion(
        coach=lena,
        teacher=maya,
        text="Ask the quiet table to explain first, before the usual voices.",
        engagement=cycle.engagement,
        cycle_id=cycle.pk,
        goal_id=goal.pk,
        given_on=on(64),
    )


def _identifying(cycle: Cycle, teacher: User, coach: User) -> None:
    """In Identify: a reflection and student work, the conversation still to have."""
    _picture(cycle, teacher, coach)


def _learning(
    cycle: Cycle,
    teacher: User,
    coach: User,
    strategy: Strategy,
    at: Callable[..., datetime.datetime],
) -> None:
    """In Learn: the goal and strategy chosen, co-teaching planned for next week."""
    _goal_ready(cycle, measure="% of students who ask a question in groups", baseline=20, target=70)
    _picture(cycle, teacher, coach)
    cycle = _talked(cycle, teacher)
    cycle = services.choose_strategy(
        cycle=cycle, acting_user=coach, strategy=strategy, expected_version=None
    )
    cycle = services.choose_learning_mode(
        cycle=cycle, acting_user=teacher, mode=SessionKind.CO_TEACHING
    )
    services.schedule_learning_session(
        cycle=cycle,
        acting_user=coach,
        kind=SessionKind.CO_TEACHING,
        starts_at=_soon(days=5, hour=10),
        place="Room 208",
    )


def _stalled(
    cycle: Cycle,
    teacher: User,
    coach: User,
    strategy: Strategy,
    at: Callable[..., datetime.datetime],
    on: Callable[[int], datetime.date],
) -> None:
    """In Improve, but nothing for STALLED_FOR_DAYS days: the caseload flags it."""
    goal = _goal_ready(
        cycle, measure="% of students who revise using the checklist", baseline=30, target=75
    )
    _picture(cycle, teacher, coach)
    cycle = _talked(cycle, teacher)
    cycle = services.choose_strategy(
        cycle=cycle, acting_user=coach, strategy=strategy, expected_version=None
    )
    cycle = services.start_improving(cycle=cycle, acting_user=coach)
    today = timezone.localdate()
    services.add_measurement(
        goal=goal,
        acting_user=coach,
        taken_on=today - datetime.timedelta(days=STALLED_FOR_DAYS),
        value=Decimal(38),
    )
    Cycle.objects.filter(pk=cycle.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=STALLED_FOR_DAYS)
    )


def _earlier_cycle(teacher: User, coach: User, title: str, statement: str) -> tuple[Cycle, Goal]:
    cycle = services.start_cycle(coach=coach, teacher=teacher, acting_user=coach, title=title)
    goal = services.create_goal(
        author=coach,
        teacher=teacher,
        statement=statement,
        measure="% of students on the exit ticket",
        baseline=Decimal(40),
        target=Decimal(70),
        engagement=cycle.engagement,
        cycle=cycle,
        peers=PEERS,
    )
    return cycle, goal


def _met(
    teacher: User,
    coach: User,
    strategy: Strategy,
    at: Callable[..., datetime.datetime],
    on: Callable[[int], datetime.date],
) -> None:
    """An earlier cycle whose goal was met last week, with its summary."""
    cycle, goal = _earlier_cycle(
        teacher,
        coach,
        "Checking for understanding",
        "70% of students show their steps on exit tickets",
    )
    _picture(cycle, teacher, coach)
    cycle = _talked(cycle, teacher)
    cycle = services.choose_strategy(
        cycle=cycle, acting_user=coach, strategy=strategy, expected_version=None
    )
    cycle = services.choose_learning_mode(
        cycle=cycle, acting_user=teacher, mode=SessionKind.MODELING
    )
    _held(cycle, coach, SessionKind.MODELING, at(5, 9), "Modeled the exit ticket routine.")
    cycle = services.start_improving(cycle=cycle, acting_user=coach)
    for days, value in [(12, 48), (26, 61), (40, 74)]:
        services.add_measurement(
            goal=goal, acting_user=coach, taken_on=on(days), value=Decimal(value)
        )
    services.confirm_goal_met(cycle=cycle, acting_user=teacher)
    _dated(cycle, started=at(1, 9), ended=on(61))


def _closed(
    teacher: User,
    coach: User,
    strategy: Strategy,
    at: Callable[..., datetime.datetime],
    on: Callable[[int], datetime.date],
) -> None:
    """An earlier cycle closed before its goal was met, with the reason."""
    cycle, _goal = _earlier_cycle(
        teacher, coach, "Group roles in labs", "Every group finishes the lab with each role done"
    )
    _picture(cycle, teacher, coach)
    cycle = _talked(cycle, teacher)
    cycle = services.choose_strategy(
        cycle=cycle, acting_user=coach, strategy=strategy, expected_version=None
    )
    services.close_cycle(
        cycle=cycle,
        acting_user=teacher,
        reason="The lab schedule changed for the rest of the term; we will pick this up in spring.",
    )
    _dated(cycle, started=at(3, 9), ended=on(30))


def _dated(cycle: Cycle, *, started: datetime.datetime, ended: datetime.date) -> None:
    """Back into the term: when it started, ended, and was last worked on."""
    last = datetime.datetime.combine(ended, datetime.time(16), tzinfo=started.tzinfo)
    Cycle.objects.filter(pk=cycle.pk).update(
        created_at=started, updated_at=last, last_activity_at=last, ended_on=ended
    )
    Engagement.objects.filter(cycles_cycle_items=cycle).update(
        started_on=started.date(), closed_on=ended
    )


def _soon(*, days: int, hour: int) -> datetime.datetime:
    """A time `days` from today at `hour`, in the district's (default) time zone."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_default_timezone()
    )
