"""The Identify services: evidence, the conversation, the cycle's goal and its strategy.

Maya's cycle with Lena (tests/content.py `impact_cycle`). Lena leads it; Omar coaches
Maya too but not in this cycle; Nia coaches at Jefferson, not Maya; Henry is in Hillview.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from tandem.cycles import services
from tandem.cycles.models import ChecklistItem, Cycle, Evidence, EvidenceKind, Stage
from tandem.cycles.peers import about_teacher
from tandem.media.files import storage
from tandem.privacy import services as privacy

from .. import content
from ..cast import Cast
from . import identify

pytestmark = pytest.mark.django_db


def _stored_evidence_files() -> list[str]:
    root = Path(storage().path("evidence"))
    return [str(p) for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _visible(user, cycle: Cycle) -> set[str]:
    return set(
        Evidence.objects.visible_to(user)
        .in_turn_for(user)
        .filter(cycle=cycle)
        .values_list("title", flat=True)
    )


def test_evidence_the_teacher_adds_is_held_back_until_she_releases_it(cast: Cast) -> None:
    cycle = content.impact_cycle(cast)
    mine = identify.text_evidence(cycle, cast.maya, title="Exit tickets")
    assert mine.held_back
    assert _visible(cast.lena, cycle) == set()
    privacy.hold_back(item=mine, acting_user=cast.maya, held=False)
    assert _visible(cast.lena, cycle) == {"Exit tickets"}
    assert _visible(cast.nia, cycle) == _visible(cast.henry, cycle) == set()


def test_evidence_the_coach_adds_is_seen_by_the_teacher_at_once(cast: Cast) -> None:
    cycle = content.impact_cycle(cast)
    notes = identify.text_evidence(cycle, cast.lena, title="Interview notes")
    assert not notes.held_back
    assert _visible(cast.maya, cycle) == {"Interview notes"}
    assert _visible(cast.omar, cycle) == set()


def test_the_coachs_reflection_waits_for_the_teachers_own(cast: Cast) -> None:
    cycle = content.impact_cycle(cast)
    identify.text_evidence(cycle, cast.lena, kind=EvidenceKind.COACH_REFLECTION, title="Lena's")
    assert _visible(cast.maya, cycle) == set()
    assert _visible(cast.lena, cycle) == {"Lena's"}
    identify.text_evidence(cycle, cast.maya, kind=EvidenceKind.TEACHER_REFLECTION, title="Mine")
    assert _visible(cast.maya, cycle) == {"Lena's", "Mine"}


def test_only_the_teacher_writes_her_reflection_and_only_the_cycle_coach_hers(
    cast: Cast,
) -> None:
    cycle = content.impact_cycle(cast)
    with pytest.raises(ValidationError):
        identify.text_evidence(cycle, cast.lena, kind=EvidenceKind.TEACHER_REFLECTION)
    with pytest.raises(ValidationError):
        identify.text_evidence(cycle, cast.maya, kind=EvidenceKind.COACH_REFLECTION)
    with pytest.raises(PermissionDenied):
        identify.text_evidence(cycle, cast.nia)
    with pytest.raises(PermissionDenied):
        identify.text_evidence(cycle, cast.henry)
    assert not Evidence.objects.exists()


def test_a_pdf_and_a_word_document_are_stored_under_names_the_server_chose(cast: Cast) -> None:
    cycle = content.impact_cycle(cast)
    pdf = identify.text_evidence(
        cycle, cast.maya, kind="student_work", upload=identify.upload("../../x.pdf", identify.PDF)
    )
    word = identify.text_evidence(
        cycle, cast.lena, kind="student_work", upload=identify.upload("work.docx", identify.docx())
    )
    assert pdf.file.name.startswith("evidence/")
    assert pdf.file.name.endswith("/evidence.pdf")
    assert word.file.name.endswith("/evidence.docx")
    assert pdf.file_name == "x.pdf"  # a label only, never a path


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("program.pdf", b"MZ\x90\x00\x03 an executable"),  # disguised
        ("photo.png", identify.PDF),  # a PDF named as a picture
        ("work.docx", b"PK\x03\x04 not really a zip"),  # corrupt
        ("notes.txt", b"\x00\x01\x02 binary"),
        ("empty.pdf", b""),
        ("page.html", b"<script>alert(1)</script>"),
    ],
)
def test_a_corrupt_or_disguised_file_is_refused_and_nothing_is_stored(
    cast: Cast, name: str, data: bytes
) -> None:
    cycle = content.impact_cycle(cast)
    before = _stored_evidence_files()
    with pytest.raises(ValidationError, match="Nothing was saved"):
        identify.text_evidence(
            cycle, cast.maya, kind="student_work", upload=identify.upload(name, data)
        )
    assert not Evidence.objects.exists()
    assert _stored_evidence_files() == before


@override_settings(TANDEM_EVIDENCE_MAX_BYTES=1024)
def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(cast: Cast) -> None:
    cycle = content.impact_cycle(cast)
    before = _stored_evidence_files()
    big = identify.PDF + b" " * 2048
    with pytest.raises(ValidationError, match="too large"):
        identify.text_evidence(
            cycle, cast.maya, kind="student_work", upload=identify.upload("big.pdf", big)
        )
    assert not Evidence.objects.exists()
    assert _stored_evidence_files() == before


def test_removing_evidence_removes_its_file_and_only_its_author_may(cast: Cast) -> None:
    cycle = content.impact_cycle(cast)
    row = identify.text_evidence(
        cycle, cast.lena, kind="student_work", upload=identify.upload("a.pdf", identify.PDF)
    )
    name = row.file.name
    with pytest.raises(PermissionDenied):
        services.remove_evidence(evidence_item=row, acting_user=cast.maya)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.remove_evidence(evidence_item=row, acting_user=cast.lena)
    assert not Evidence.objects.exists()
    assert not storage().exists(name)


def test_a_link_is_to_an_item_of_the_cycles_teacher_the_person_may_see(cast: Cast) -> None:
    from ..observations.sessions import record

    cycle = content.impact_cycle(cast)
    lenas = record(observer=cast.lena, teacher=cast.maya)
    omars = record(observer=cast.omar, teacher=cast.maya)  # Lena may not see it
    linked = identify.text_evidence(
        cycle, cast.lena, kind=EvidenceKind.OBSERVATION, title="Talk time", item=lenas
    )
    assert linked.item == lenas
    with pytest.raises(ValidationError):
        identify.text_evidence(
            cycle, cast.lena, kind=EvidenceKind.OBSERVATION, title="Talk", item=omars
        )
    with pytest.raises(ValidationError):  # a session is not a video
        identify.text_evidence(cycle, cast.maya, kind=EvidenceKind.VIDEO, title="V", item=lenas)


def test_nothing_changes_in_a_closed_cycle(cast: Cast) -> None:
    cycle = content.impact_cycle(cast)
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.CLOSED)
    cycle.refresh_from_db()
    with pytest.raises(ValidationError, match="ended"):
        identify.text_evidence(cycle, cast.maya)
    with pytest.raises(ValidationError, match="ended"):
        services.save_conversation(
            cycle=cycle,
            acting_user=cast.maya,
            lesson_rating=6,
            closer_to_ideal="",
            students_differently="",
            expected_version=cycle.version,
        )
    with pytest.raises(ValidationError, match="ended"):
        identify.measured_goal(cycle)
    assert not Evidence.objects.exists()


def test_a_second_tab_is_told_the_conversation_changed_and_overwrites_nothing(cast: Cast) -> None:
    cycle = content.impact_cycle(cast)
    opened_at = cycle.version
    services.save_conversation(
        cycle=cycle,
        acting_user=cast.maya,
        lesson_rating=6,
        closer_to_ideal="More voices",
        students_differently="Students explain their thinking",
        expected_version=opened_at,
    )
    with pytest.raises(services.StaleEdit):
        services.save_conversation(
            cycle=cycle,
            acting_user=cast.lena,
            lesson_rating=2,
            closer_to_ideal="",
            students_differently="Other words",
            expected_version=opened_at,
        )
    cycle.refresh_from_db()
    assert (cycle.lesson_rating, cycle.students_differently) == (
        6,
        "Students explain their thinking",
    )


def test_a_second_tab_saving_the_goal_is_told_it_changed(cast: Cast) -> None:
    cycle = content.impact_cycle(cast)
    goal = identify.measured_goal(cycle)
    opened_at = goal.version
    fields: dict[str, Any] = {
        "measure": "",
        "baseline": Decimal(35),
        "target": Decimal(80),
        "status": "active",
    }
    services.update_goal(
        goal=goal,
        acting_user=cast.maya,
        statement="First tab",
        expected_version=opened_at,
        **fields,
    )
    with pytest.raises(services.StaleEdit):
        services.update_goal(
            goal=goal,
            acting_user=cast.lena,
            statement="Second tab",
            expected_version=opened_at,
            **fields,
        )
    goal.refresh_from_db()
    assert goal.statement == "First tab"


@pytest.mark.parametrize(
    ("kind", "scale_max", "baseline", "target"),
    [
        ("percentage", None, "35", "135"),
        ("percentage", None, "-1", "50"),
        ("score", "4", "1", "5"),
        ("count", None, "-2", "3"),
        ("percentage", None, "40", "40"),
    ],
)
def test_a_goal_outside_its_measures_range_is_refused(
    cast: Cast, kind: str, scale_max: str | None, baseline: str, target: str
) -> None:
    cycle = content.impact_cycle(cast)
    with pytest.raises(ValidationError):
        services.create_goal(
            author=cast.maya,
            teacher=cast.maya,
            cycle=cycle,
            statement="Students explain",
            measure_kind=kind,
            scale_max=Decimal(scale_max) if scale_max else None,
            baseline=Decimal(baseline),
            target=Decimal(target),
        )
    from tandem.cycles.models import Goal

    assert not Goal.objects.exists()


def test_the_cycle_goal_belongs_to_the_cycles_engagement_with_its_peers_ticks(cast: Cast) -> None:
    cycle = content.impact_cycle(cast)
    goal = services.create_goal(
        author=cast.lena,
        teacher=cast.maya,
        cycle=cycle,
        statement="Students explain",
        measure_kind="score",
        scale_max=Decimal(4),
        baseline=Decimal("1.5"),
        target=Decimal("3"),
        peers=["powerful", "student_focused"],
    )
    assert goal.engagement_id == cycle.engagement_id
    assert goal.cycle_id == cycle.pk
    assert goal.powerful
    assert goal.student_focused
    assert not goal.easy
    with pytest.raises(services.StaleEdit):  # one goal a cycle
        identify.measured_goal(cycle)


def test_choosing_a_strategy_needs_a_measured_goal_then_moves_the_cycle_to_learn(
    cast: Cast,
) -> None:
    cycle = content.impact_cycle(cast)
    chosen = identify.strategy()
    with pytest.raises(ValidationError, match="baseline and target first"):
        services.choose_strategy(
            cycle=cycle, acting_user=cast.lena, strategy=chosen, expected_version=cycle.version
        )
    identify.measured_goal(cycle)
    cycle.refresh_from_db()
    services.choose_strategy(
        cycle=cycle, acting_user=cast.lena, strategy=chosen, expected_version=cycle.version
    )
    cycle.refresh_from_db()
    assert cycle.stage == Stage.LEARN
    assert cycle.strategy_name == "Think-pair-share"
    moves = list(
        ChecklistItem.objects.filter(cycle=cycle).values_list("position", "text", "original")
    )
    assert moves[0] == (1, "Pose the question", "Pose the question")
    assert len(moves) == 4
    # Choosing again replaces the moves nobody adapted, and keeps the adapted one.
    ChecklistItem.objects.filter(cycle=cycle, position=2).update(text="Ten seconds of think time")
    other = identify.strategy(name="Wait time", checklist=["Pause", "Call"])
    services.choose_strategy(
        cycle=cycle, acting_user=cast.maya, strategy=other, expected_version=cycle.version
    )
    texts = list(ChecklistItem.objects.filter(cycle=cycle).values_list("text", flat=True))
    assert texts == ["Ten seconds of think time", "Pause", "Call"]


def test_someone_who_only_reads_the_cycle_may_not_choose_its_strategy(cast: Cast) -> None:
    cycle = content.impact_cycle(cast)
    identify.measured_goal(cycle)
    privacy.share_item(item=cycle, coach=cast.omar, acting_user=cast.maya)
    cycle.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.choose_strategy(
            cycle=cycle,
            acting_user=cast.omar,
            strategy=identify.strategy(),
            expected_version=cycle.version,
        )


@pytest.mark.parametrize(
    ("statement", "about_her"),
    [
        ("I will use more wait time", True),
        ("I\u2019ll ask more open questions", True),
        ("The teacher will model think-alouds", True),
        ("Voy a usar más tiempo de espera", True),
        ("El docente hará más preguntas abiertas", True),
        ("80% of students explain their reasoning", False),
        ("I will help students explain their reasoning", False),
        ("Los alumnos explicarán su razonamiento", False),
        ("Voy a lograr que el 80 % de los estudiantes participe", False),
    ],
)
def test_a_goal_about_the_teachers_behaviour_is_noticed_in_english_and_spanish(
    statement: str, about_her: bool
) -> None:
    assert about_teacher(statement) is about_her
