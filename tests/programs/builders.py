"""Programs and decisions for tests, told with the cast (tests/cast.py).

Jefferson has two teachers in the cast (Maya, and Luis who also teaches); `colleagues`
adds more, so a decision can reach the 5 inputs leaders need before they read any.
"""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from tandem.accounts.models import User
from tandem.library.models import Strategy
from tandem.programs import services
from tandem.programs.models import AdoptionDecision, Program, SupportEngagement
from tandem.schools.models import School, Specialty

from .. import factories as f
from ..cast import Cast

_n = itertools.count(1)


def strategy(cast: Cast, name: str = "Number talks") -> Strategy:
    return Strategy.objects.create(
        district=None,
        slug=f"strategy-{next(_n)}",
        name=name,
        summary="A short daily routine of mental math and discussion.",
        description="Students share strategies; the teacher records them.",
        checklist=["Pose a problem", "Wait for thumbs", "Record strategies"],
    )


def program(
    cast: Cast, name: str = "Bridges Math", *, by: User | None = None, school: School | None = None
) -> Program:
    if Program.objects.filter(district=cast.maple, name=name).exists():
        name = f"{name} {next(_n)}"
    return services.save_program(
        acting_user=by or cast.priya,
        name=name,
        description="A problem-based math program for grades 6 to 8.",
        school=school,
        materials=[{"title": "Sample lesson", "url": "https://example.org/bridges/lesson-1"}],
        components=[services.ComponentSpec(strategy(cast), "Daily number talk", "Ten minutes")],
    )


def decision(
    cast: Cast,
    *programs: Program,
    school: School | None = None,
    days: int = 7,
    by: User | None = None,
) -> AdoptionDecision:
    """A decision Dana opens for Jefferson (by default), with input open for `days` more days."""
    chosen = list(programs) or [program(cast), program(cast, "Open Up Math")]
    return services.open_decision(
        acting_user=by or cast.dana,
        school=cast.jefferson if school is None else school,
        question="Which math program should grade 7 use next year?",
        deadline=timezone.now() + datetime.timedelta(days=days),
        candidates=chosen,
    )


def colleagues(cast: Cast, n: int) -> list[User]:
    """More Jefferson teachers, so that the decision has enough people in scope."""
    return [f.teacher(cast.jefferson) for _ in range(n)]


def give(
    decision: AdoptionDecision, teacher: User, *, anonymous: bool = False, helps: str = "Visuals"
) -> None:
    candidates = list(decision.candidates.order_by("name"))
    services.give_input(
        decision=decision,
        teacher=teacher,
        anonymous=anonymous,
        helps=helps,
        ranking=[p.uuid for p in candidates] if len(candidates) > 1 else [],
        preference="" if len(candidates) > 1 else "for",
        understood_identifiable=True,
    )


def support(
    cast: Cast, prog: Program | None = None, *, kind: str = "peer_visit"
) -> SupportEngagement:
    """Maya's technical support with Sam (her math coach) on a program, her choice made."""
    return services.start_support(
        acting_user=cast.maya,
        teacher=cast.maya,
        coach=cast.sam,
        program=prog or program(cast),
        kind=kind,
    )


def supported_teachers(
    cast: Cast, prog: Program, n: int, coach: User | None = None
) -> list[SupportEngagement]:
    """n more Jefferson teachers, each with support from `coach` (a program specialist)."""
    coach = coach or f.coach(cast.jefferson, Specialty.PROGRAM, "Pat Program")
    found = []
    for teacher in colleagues(cast, n):
        f.assign(coach, teacher, cast.jefferson, Specialty.PROGRAM)
        found.append(
            services.start_support(acting_user=coach, teacher=teacher, coach=coach, program=prog)
        )
    return found
