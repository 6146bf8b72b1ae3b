"""The demo's observation sessions: a few per teacher, Maya's story, the goal's measurements."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.db.models import Count

from tandem.accounts.models import User
from tandem.cycles.models import Goal
from tandem.observations import measurements
from tandem.observations.models import ObservationSession
from tandem.schools import demo
from tandem.schools.models import Role

pytestmark = pytest.mark.django_db


def test_every_demo_teacher_has_a_few_sessions_and_mayas_goal_has_rising_measurements() -> None:
    started = time.monotonic()
    demo.build("small")
    took = time.monotonic() - started
    teachers = User.objects.filter(memberships__role=Role.TEACHER).distinct()
    counts = dict(
        ObservationSession.objects.values_list("teacher").annotate(n=Count("pk")).order_by()
    )
    assert teachers.count() > 20
    assert all(3 <= counts.get(t.pk, 0) <= 6 for t in teachers), counts
    assert not ObservationSession.objects.filter(held_back=True).exists()
    maya = User.objects.get(email="maya.torres@maplevalley.example")
    lena = User.objects.get(email="lena.brooks@maplevalley.example")
    goal = Goal.objects.get(teacher=maya, engagement__coach=lena)
    found = measurements.for_goal(goal, lena)
    assert [m.value for m in found] == [Decimal("36.0"), Decimal("52.0"), Decimal("68.0")]
    assert [m.unit for m in found] == ["%"] * 3
    assert found[0].taken_on < found[1].taken_on < found[2].taken_on
    assert (
        measurements.for_goal(goal, User.objects.get(email="dana.reyes@maplevalley.example")) == []
    )
    print(f"demo with observations built in {took:.1f} s")
