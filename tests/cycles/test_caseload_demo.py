"""The demo's Impact Cycles: every stage, Maya's Improve story, and Lena's caseload over it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from tandem.accounts.models import User
from tandem.coaching.models import CoachingSession, SessionStatus, Suggestion
from tandem.cycles.models import Cycle, Stage
from tandem.schools import demo
from tandem.schools.models import EngagementKind

pytestmark = pytest.mark.django_db

MAPLE = "maplevalley.example"


def _person(local: str) -> User:
    return User.objects.get(email=f"{local}@{MAPLE}")


def _client(local: str) -> Client:
    client = Client()
    client.force_login(_person(local))
    return client


def test_the_demo_has_cycles_in_every_stage_and_mayas_in_improve() -> None:
    demo.build("small")
    stages = set(Cycle.objects.values_list("stage", flat=True))
    assert stages == {Stage.IDENTIFY, Stage.LEARN, Stage.IMPROVE, Stage.MET, Stage.CLOSED}
    assert Cycle.objects.stalled().count() == 1
    maya, lena = _person("maya.torres"), _person("lena.brooks")
    cycle = Cycle.objects.get(teacher=maya, engagement__coach=lena)
    assert cycle.stage == Stage.IMPROVE
    goal = cycle.goal
    assert (goal.baseline, goal.target) == (35, 80)
    assert all(
        [
            goal.powerful,
            goal.easy,
            goal.emotionally_compelling,
            goal.reachable,
            goal.student_focused,
        ]
    )
    assert cycle.strategy is not None
    assert cycle.checklist.filter(reason__gt="").count() == 1
    assert cycle.adaptations.count() == 1
    values = [m.value for m in goal.measurements.all()]
    assert len(values) == 3
    assert goal.target is not None
    assert values[-1] < goal.target
    held = CoachingSession.objects.filter(
        engagement=cycle.engagement, kind="modeling", status=SessionStatus.HELD
    )
    assert held.count() == 1
    # Every Impact Cycle engagement of the demo has its cycle.
    from tandem.schools.models import Engagement

    impact = Engagement.objects.filter(kind=EngagementKind.IMPACT_CYCLE)
    assert impact.filter(cycles_cycle_items__isnull=True).count() == 0
    met = Cycle.objects.get(stage=Stage.MET)
    assert "70% of students show their steps" in met.met_summary
    assert Cycle.objects.get(stage=Stage.CLOSED).closed_reason


def test_lenas_caseload_and_mayas_cycle_on_the_demo() -> None:
    demo.build("small")
    caseload = _client("lena.brooks").get(reverse("caseload"))
    assert caseload.status_code == 200
    groups = {g.stage: len(g.rows) for g in caseload.context["groups"]}
    # The teachers whose earlier cycle met or closed are back in Identify with a new one.
    assert groups == {"identify": 3, "learn": 1, "improve": 2, "met": 1}
    (stalled,) = caseload.context["stalled"]
    assert stalled.stalled_days == 20
    assert caseload.context["upcoming"]
    mine = _client("maya.torres").get(reverse("my_cycle"))
    html = mine.content.decode()
    assert mine.status_code == 200
    assert "80% of my students explain their reasoning" in html
    assert "Add a measurement" in html  # 72 % is below the target of 80 %
    assert "Progress towards the target" in html
    # Her next steps from every coach, newest first (other demos add theirs too).
    newest = (
        Suggestion.objects.filter(teacher__email__startswith="maya.torres@", status="open")
        .order_by("-given_on", "-created_at", "-id")
        .first()
    )
    assert newest is not None
    assert escape(newest.text) in html
