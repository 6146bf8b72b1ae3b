"""Coaching approaches of the cast, in one line each (through the service, as a coach saves)."""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.cycles.models import Cycle
from tandem.cycles.services import start_cycle
from tandem.teamwork import services
from tandem.teamwork.models import CoachingApproach
from tandem.teamwork.services import TermIn

CFU = "Check for understanding"


def approach(coach: User, *, terms: list[TermIn] | None = None, **fields: Any) -> CoachingApproach:
    defaults: dict[str, Any] = {"model": "impact_cycle", "meetings": 1, "per": "week"}
    return services.save_approach(acting_user=coach, glossary=terms or [], **{**defaults, **fields})


def planted(cast: Any) -> None:
    """Maya's five coaches, once a week each (5 > 3), with one term meaning two things."""
    approach(
        cast.lena,
        measure="% of students on task",
        terms=[TermIn(CFU, "An exit ticket at the end of the lesson")],
    )
    approach(
        cast.omar,
        model="technology",
        measure="Minutes of student device use",
        terms=[TermIn("check for understanding", "A thumbs-up poll during the lesson")],
    )
    approach(cast.sam, model="content", measure="% of students on task")
    approach(cast.grace, model="mentoring", meetings=2, per="month")
    approach(cast.luis, model="other", model_other="Department head", meetings=1)


def cycle(cast: Any, coach: User, teacher: User | None = None) -> Cycle:
    """An open Impact Cycle of Maya's (or another teacher's) with this coach."""
    return start_cycle(
        coach=coach,
        teacher=teacher or cast.maya,
        acting_user=coach,
        title="Reasoning in math talks",
    )
