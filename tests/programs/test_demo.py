"""The demo tells the programs story: one program adopted with teacher input, one decision open."""

from __future__ import annotations

import pytest

from tandem.accounts.models import User
from tandem.programs import services
from tandem.programs.models import AdoptionDecision, Program, ProgramStatus, SupportEngagement
from tandem.schools import demo

pytestmark = pytest.mark.django_db


def test_demo_has_a_program_adopted_with_teacher_input_and_a_decision_open() -> None:
    demo.build()
    decided = AdoptionDecision.objects.decided().get()
    assert decided.chosen is not None
    assert decided.chosen.status == ProgramStatus.ADOPTED
    inputs = decided.inputs.all()
    assert inputs.count() >= 5
    assert inputs.filter(attributed_to__isnull=True).exists()
    assert inputs.filter(attributed_to__isnull=False).exists()
    assert decided.cited_inputs.filter(attributed_to__isnull=True).exists()
    still_open = AdoptionDecision.objects.open().get()
    assert still_open.accepts_input()
    maya = User.objects.get(email="maya.torres@maplevalley.example")
    assert services.input_of(still_open, maya) is None
    assert Program.objects.filter(district=maya.district).count() == 3


def test_demo_has_mayas_support_with_an_adaptation_feedback_and_you_said_we_did() -> None:
    demo.build()
    maya = User.objects.get(email="maya.torres@maplevalley.example")
    dana = User.objects.get(email="dana.reyes@maplevalley.example")
    support = SupportEngagement.objects.get(teacher=maya)
    assert support.support_kind == "peer_visit"
    assert support.choices.count() == 2
    assert support.log.count() == 2
    assert support.modifications.exclude(reason="").count() == 1
    summary = services.feedback_summary(program=support.program, viewer=dana)
    assert summary is not None
    assert summary[0].teachers is not None
    assert summary[0].teachers >= 5
    assert support.program.responses.count() == 1
