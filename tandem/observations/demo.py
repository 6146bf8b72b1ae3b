"""The demo's observation sessions: a few per demo teacher, told as DESIGN.md's story.

Lena observes Maya's exit tickets three times in their Impact Cycle, each
session linked to Maya's goal (80% explain their reasoning), so the goal
chart has a rising line to draw: 36%, 52%, 68%. She also times the talk in a
math talk, Omar counts opportunities to respond, and Maya counts her own
praise from a video of her lesson. Every other demo teacher has three
sessions by her coach (or, with no coach, her own), with tools and taps drawn
from a fixed seed. Everything goes through `services.sync_session`, as a phone
would send it.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import Any

from django.utils import timezone

from tandem.accounts.models import User
from tandem.cycles.models import Goal
from tandem.schools.models import CoachingAssignment, District, Engagement, Role

from .services import RecordedEvent, Recording, link_goal, sync_session
from .tools import SPECS, Tool

LESSONS = [
    "Period 1, warm-up and new unit",
    "Period 2, group work",
    "Period 3, fractions",
    "Period 4, lab stations",
    "Period 5, review game",
    "Period 6, exit tickets",
]
EVERYDAY_TOOLS = [
    Tool.TALK_TIME,
    Tool.RESPONSES,
    Tool.PRAISE,
    Tool.QUESTIONS,
    Tool.TIME_ON_TASK,
    Tool.SEGMENTS,
]


def build(maple: District, hillview: District, *, term_start: datetime.date) -> None:
    """Write the demo's sessions. Called by `schools.demo.build` after the privacy story."""
    rng = random.Random(2026)
    zone = timezone.get_default_timezone()

    def at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
        day = term_start + datetime.timedelta(days=days)
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)

    maya = User.objects.get(email="maya.torres@maplevalley.example")
    lena = User.objects.get(email="lena.brooks@maplevalley.example")
    omar = User.objects.get(email="omar.haddad@maplevalley.example")
    cycle = Engagement.objects.filter(teacher=maya, coach=lena, closed_on__isnull=True).first()
    goal = Goal.objects.filter(teacher=maya, engagement=cycle).first() if cycle else None

    # Maya's exit tickets, one item ("a complete written explanation"), 25 students.
    for n, (days, complete) in enumerate([(14, 9), (35, 13), (56, 17)]):
        answers = ["correct"] * complete + ["incorrect"] * (25 - complete)
        rng.shuffle(answers)
        session = _sync(
            observer=lena,
            teacher=maya,
            tool=Tool.ACHIEVEMENT,
            settings={"items": 1},
            start=at(days, 10, 5),
            taps=[(20 + 15 * i, {"kind": kind, "value": 1}) for i, kind in enumerate(answers)],
            duration_s=20 + 15 * len(answers),
            lesson=f"Exit tickets, week {2 + 3 * n}",
            engagement=cycle,
        )
        if goal is not None:
            link_goal(session=session, goal_uuid=goal.uuid, acting_user=lena)
    _sync(
        observer=lena,
        teacher=maya,
        tool=Tool.TALK_TIME,
        start=at(21, 9, 40),
        taps=[
            (0, {"kind": "teacher"}),
            (540, {"kind": "students"}),
            (780, {"kind": "silence"}),
            (840, {"kind": "students"}),
            (1020, {"kind": "teacher"}),
        ],
        duration_s=1200,
        lesson="Period 3, math talk on fractions",
        engagement=cycle,
    )
    _sync(observer=omar, teacher=maya, **_everyday(Tool.RESPONSES, rng, at(28, 13, 10)))
    _sync(observer=maya, teacher=maya, **_everyday(Tool.PRAISE, rng, at(30, 15, 30)))

    # Everyone else who teaches: three sessions each, by a coach of hers (or herself).
    teachers = (
        User.objects.filter(
            district__in=[maple, hillview],
            memberships__role=Role.TEACHER,
        )
        .exclude(pk=maya.pk)
        .distinct()
        .order_by("district_id", "display_name", "pk")
    )
    coaches: dict[int, list[User]] = {}
    for assignment in CoachingAssignment.objects.active().select_related("coach").order_by("pk"):
        coaches.setdefault(assignment.teacher_id, []).append(assignment.coach)
    for teacher in teachers:
        observers = coaches.get(teacher.pk) or [teacher]
        for n in range(3):
            tool = rng.choice(EVERYDAY_TOOLS)
            start = at(7 + 14 * n + rng.randint(0, 10), rng.choice([8, 9, 10, 11, 13, 14]), 5)
            _sync(
                observer=observers[n % len(observers)],
                teacher=teacher,
                **_everyday(tool, rng, start),
            )


def _everyday(tool: str, rng: random.Random, start: datetime.datetime) -> dict[str, Any]:
    """A plausible 15 to 25 minutes of one tool, drawn from `rng`."""
    duration = rng.randint(15, 25) * 60
    kinds = list(SPECS[tool].kinds)
    settings: dict[str, Any] = {}
    taps: list[tuple[int, dict[str, Any]]] = []
    if tool == Tool.TIME_ON_TASK:
        settings = {"interval_seconds": 60}
        present = rng.randint(18, 30)
        for second in range(60, duration, 60):
            taps.append(
                (
                    second,
                    {
                        "kind": "sample",
                        "value": rng.randint(present // 2, present),
                        "total": present,
                    },
                )
            )
    elif SPECS[tool].switches:
        second = 0
        while second < duration:
            taps.append((second, {"kind": rng.choice(kinds)}))
            second += rng.randint(30, 240)
    else:
        details = list(SPECS[tool].details)
        weights = [4, 2, 1, 1][: len(kinds)]
        for _ in range(rng.randint(12, 40)):
            event: dict[str, Any] = {"kind": rng.choices(kinds, weights=weights)[0]}
            if details:
                event["detail"] = rng.choices(details, weights=[3, 2, 1])[0]
            taps.append((rng.randint(0, duration), event))
    return {
        "tool": tool,
        "settings": settings,
        "start": start,
        "taps": sorted(taps, key=lambda tap: tap[0]),
        "duration_s": duration,
        "lesson": rng.choice(LESSONS),
    }


def _sync(
    *,
    observer: User,
    teacher: User,
    tool: str,
    start: datetime.datetime,
    taps: list[tuple[int, dict[str, Any]]],
    duration_s: int,
    settings: dict[str, Any] | None = None,
    lesson: str = "",
    engagement: Engagement | None = None,
) -> Any:
    """One session as a phone sends it, a minute after the lesson ended."""
    finish = start + datetime.timedelta(seconds=duration_s)
    events = [
        RecordedEvent(
            id=uuid.uuid4(),
            seq=n,
            at=start + datetime.timedelta(seconds=second),
            kind=fields["kind"],
            detail=fields.get("detail", ""),
            value=fields.get("value"),
            total=fields.get("total"),
        )
        for n, (second, fields) in enumerate(taps, start=1)
    ]
    sent = finish + datetime.timedelta(minutes=1)
    recording = Recording(
        uuid=uuid.uuid4(),
        tool=tool,
        teacher=teacher.uuid,
        observer=observer.uuid,
        engagement=engagement.uuid if engagement else None,
        started_at=start,
        finished_at=finish,
        client_now=sent,
        events=events,
        settings=settings or {},
        lesson=lesson,
    )
    return sync_session(recording=recording, acting_user=observer, now=sent).session
