"""The demo's coaching log: Maya's sessions and suggestions from several of her coaches."""

from __future__ import annotations

import pytest
from django.core import mail

from tandem.accounts.models import User
from tandem.coaching.models import CoachingSession, SessionStatus, Suggestion
from tandem.schools import demo

pytestmark = pytest.mark.django_db


def test_the_demo_gives_maya_held_and_upcoming_sessions_and_advice_from_four_coaches() -> None:
    demo.build("small")
    maya = User.objects.get(email="maya.torres@maplevalley.example")
    hers = CoachingSession.objects.filter(teacher=maya)
    assert hers.filter(status=SessionStatus.HELD).exclude(notes="").count() >= 3
    assert hers.filter(status=SessionStatus.SCHEDULED).count() >= 2
    coaches = set(
        Suggestion.objects.filter(teacher=maya).values_list("author__display_name", flat=True)
    )
    assert {"Lena Brooks", "Omar Haddad", "Sam Okafor", "Grace Kim"} <= coaches
    visible = CoachingSession.objects.visible_to(maya)
    assert visible.count() == hers.count()
    assert CoachingSession.objects.filter(district__slug="hillview").exists()
    assert mail.outbox == []  # the demo sends no invitations
