"""Technical support: the teacher chooses, the log is about students, a modification has a
reason, leaders see aggregates only (k ≥ 5), and support can become an Impact Cycle.

Maya's support is with Sam (her math coach). Nia coaches at Jefferson but not Maya; Henry
is in Hillview. Dana leads Jefferson, Priya is Maple Valley's admin.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tandem.coaching.models import CoachingSession
from tandem.cycles.models import Evidence, EvidenceKind
from tandem.programs import services
from tandem.programs.models import (
    Feedback,
    LogEntry,
    Modification,
    Response,
    SupportChoice,
    SupportEngagement,
)
from tandem.schools.models import EngagementKind, Specialty

from .. import factories as f
from ..cast import Cast
from . import builders as b

pytestmark = pytest.mark.django_db


def _log(support: SupportEngagement, by: object, **fields: object) -> LogEntry:
    values: dict[str, object] = {
        "day": timezone.localdate(),
        "components": list(support.program.components.all()),
        "student_work": "Most students explained two strategies.",
    }
    values.update(fields)
    return services.add_log_entry(support=support, acting_user=by, **values)  # type: ignore[arg-type]


def _modify(
    support: SupportEngagement, reason: str = "They need more time to talk"
) -> Modification:
    return services.modify_component(
        support=support,
        acting_user=support.teacher,
        component=support.program.components.first(),  # type: ignore[arg-type]
        what="Pairs talk before sharing",
        for_whom="English learners",
        reason=reason,
        student_evidence="Four more students shared a strategy.",
    )


def test_teacher_starts_support_with_her_coach_and_chooses_its_kind(cast: Cast) -> None:
    support = b.support(cast, kind="peer_visit")
    assert support.engagement is not None
    assert support.engagement.kind == EngagementKind.TECHNICAL_SUPPORT
    assert support.engagement.coach_id == cast.sam.pk
    assert support.support_kind == "peer_visit"
    assert list(support.choices.values_list("kind", flat=True)) == ["peer_visit"]


def test_coach_sees_the_support_by_its_engagement_and_nia_does_not(cast: Cast) -> None:
    support = b.support(cast)
    assert SupportEngagement.objects.visible_to(cast.sam).filter(pk=support.pk).exists()
    for outsider in (cast.nia, cast.dana, cast.priya, cast.henry):
        assert not SupportEngagement.objects.visible_to(outsider).filter(pk=support.pk).exists()


def test_a_coach_who_does_not_coach_the_teacher_cannot_start_support(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.start_support(
            acting_user=cast.nia, teacher=cast.maya, coach=cast.nia, program=b.program(cast)
        )
    assert not SupportEngagement.objects.exists()


def test_coach_starts_support_but_only_the_teacher_chooses_its_kind(cast: Cast) -> None:
    program = b.program(cast)
    with pytest.raises(ValidationError):
        services.start_support(
            acting_user=cast.sam,
            teacher=cast.maya,
            coach=cast.sam,
            program=program,
            kind="modeling",
        )
    support = services.start_support(
        acting_user=cast.sam, teacher=cast.maya, coach=cast.sam, program=program
    )
    assert support.support_kind == ""
    with pytest.raises(PermissionDenied):
        services.choose_support(support=support, acting_user=cast.sam, kind="modeling")


def test_teacher_changes_her_choice_and_each_choice_is_kept(cast: Cast) -> None:
    support = b.support(cast, kind="peer_visit")
    services.choose_support(support=support, acting_user=cast.maya, kind="co_teaching")
    support.refresh_from_db()
    assert support.support_kind == "co_teaching"
    assert SupportChoice.objects.filter(support=support).count() == 2


def test_a_kind_of_support_outside_the_list_is_refused(cast: Cast) -> None:
    support = b.support(cast)
    with pytest.raises(ValidationError):
        services.choose_support(support=support, acting_user=cast.maya, kind="meeting")
    support.refresh_from_db()
    assert support.support_kind == "peer_visit"


def test_another_districts_program_cannot_be_supported(cast: Cast) -> None:
    other = f.district_admin(cast.hillview)
    program = b.program(cast, by=other)
    with pytest.raises(ValidationError):
        services.start_support(
            acting_user=cast.maya, teacher=cast.maya, coach=cast.sam, program=program
        )


def test_a_support_session_is_a_coaching_session_of_the_chosen_kind(cast: Cast) -> None:
    support = b.support(cast, kind="peer_visit")
    session = services.schedule_support_session(
        support=support,
        acting_user=cast.maya,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        invite=False,
    )
    assert session.kind == "peer_visit"
    assert session.engagement_id == support.engagement_id
    assert CoachingSession.objects.visible_to(cast.sam).filter(pk=session.pk).exists()


def test_log_entry_records_components_and_what_students_did(cast: Cast) -> None:
    support = b.support(cast)
    entry = _log(
        support,
        cast.sam,
        student_measure="18 of 24 explained a strategy",
        decision="Keep the talk to 10 minutes",
        decision_evidence="Exit tickets: 20 of 24 correct",
    )
    assert entry.components.count() == 1
    assert LogEntry.objects.visible_to(cast.maya).filter(pk=entry.pk).exists()
    assert not LogEntry.objects.visible_to(cast.nia).filter(pk=entry.pk).exists()


def test_a_decision_without_the_student_evidence_it_rests_on_is_refused(cast: Cast) -> None:
    support = b.support(cast)
    with pytest.raises(ValidationError, match="student evidence"):
        _log(support, cast.maya, decision="Skip the warm-up")
    assert not LogEntry.objects.exists()


def test_a_log_entry_says_what_students_did(cast: Cast) -> None:
    support = b.support(cast)
    with pytest.raises(ValidationError, match="students did"):
        _log(support, cast.maya, student_work="")
    assert not LogEntry.objects.exists()


def test_a_coach_who_does_not_coach_her_cannot_write_in_her_log(cast: Cast) -> None:
    support = b.support(cast)
    with pytest.raises((PermissionDenied, ValidationError)):
        _log(support, cast.nia)
    assert not LogEntry.objects.exists()


def test_modification_without_a_reason_is_refused_and_nothing_is_saved(cast: Cast) -> None:
    support = b.support(cast)
    with pytest.raises(ValidationError, match="Say why"):
        _modify(support, reason="   ")
    assert not Modification.objects.exists()


def test_only_the_teacher_modifies_a_component(cast: Cast) -> None:
    support = b.support(cast)
    with pytest.raises(PermissionDenied):
        services.modify_component(
            support=support,
            acting_user=cast.sam,
            component=support.program.components.get(),
            what="x",
            for_whom="y",
            reason="z",
        )


def test_modifications_are_hidden_from_leaders_below_five_teachers(cast: Cast) -> None:
    program = b.program(cast)
    _modify(b.support(cast, program))
    for support in b.supported_teachers(cast, program, 3):
        _modify(support)
    assert services.modification_summary(program=program, viewer=cast.dana) is None


def test_modifications_are_shown_in_aggregate_without_names_from_five_teachers(
    cast: Cast,
) -> None:
    program = b.program(cast)
    _modify(b.support(cast, program), reason="Maya's own words")
    for support in b.supported_teachers(cast, program, 4):
        _modify(support)
    summary = services.modification_summary(program=program, viewer=cast.priya)
    assert summary is not None
    assert summary[0].teachers == 5
    assert "Maya's own words" in summary[0].reasons
    assert all("Maya Torres" not in reason for reason in summary[0].reasons)


def test_a_teacher_cannot_read_the_modification_aggregates(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.modification_summary(program=b.program(cast), viewer=cast.maya)


def test_support_becomes_an_impact_cycle_carrying_its_log_as_student_work(cast: Cast) -> None:
    support = b.support(cast)
    _log(support, cast.sam, student_measure="18 of 24")
    _modify(support)
    cycle = services.support_to_cycle(support=support, acting_user=cast.maya)
    support.refresh_from_db()
    assert support.cycle_id == cycle.pk
    assert support.engagement is not None
    assert support.engagement.closed_on is not None
    carried = Evidence.objects.filter(cycle=cycle)
    assert carried.count() == 2
    assert set(carried.values_list("kind", flat=True)) == {EvidenceKind.STUDENT_WORK}
    assert Evidence.objects.visible_to(cast.sam).filter(cycle=cycle).count() == 2
    with pytest.raises(ValidationError):
        services.support_to_cycle(support=support, acting_user=cast.maya)


def _feedback(program: object, teacher: object, comment: str = "More sample lessons") -> Feedback:
    return services.give_feedback(
        program=program,  # type: ignore[arg-type]
        teacher=teacher,  # type: ignore[arg-type]
        about="program",
        useful=4,
        clear=3,
        heard=5,
        comment=comment,
    )


def test_feedback_aggregates_are_hidden_below_five_teachers(cast: Cast) -> None:
    program = b.program(cast)
    for teacher in [cast.maya, *b.colleagues(cast, 3)]:
        _feedback(program, teacher)
    _feedback(program, cast.maya)  # a second answer is not a fifth teacher
    assert services.feedback_summary(program=program, viewer=cast.dana) is None


def test_feedback_aggregates_show_means_and_comments_from_five_teachers(cast: Cast) -> None:
    program = b.program(cast)
    for teacher in [cast.maya, *b.colleagues(cast, 4)]:
        _feedback(program, teacher)
    summary = services.feedback_summary(program=program, viewer=cast.dana)
    assert summary is not None
    on_program = summary[0]
    assert on_program.teachers == 5
    assert on_program.means == {"useful": 4.0, "clear": 3.0, "heard": 5.0}
    assert on_program.comments.count("More sample lessons") == 5


def test_feedback_out_of_the_scale_is_refused(cast: Cast) -> None:
    program = b.program(cast)
    with pytest.raises(ValidationError):
        services.give_feedback(
            program=program, teacher=cast.maya, about="program", useful=6, clear=3, heard=3
        )
    with pytest.raises(ValidationError):
        services.give_feedback(
            program=program, teacher=cast.maya, about="program", useful=True, clear=3, heard=3
        )
    assert not Feedback.objects.exists()


def test_a_teacher_of_another_district_cannot_give_feedback(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        _feedback(b.program(cast), cast.hilda)


def test_leaders_respond_in_you_said_we_did_and_teachers_cannot(cast: Cast) -> None:
    program = b.program(cast)
    services.respond(program=program, acting_user=cast.dana, heard="More time", did="Two PD days")
    with pytest.raises(PermissionDenied):
        services.respond(program=program, acting_user=cast.maya, heard="x", did="y")
    with pytest.raises(ValidationError):
        services.respond(program=program, acting_user=cast.priya, heard="x", did=" ")
    assert Response.objects.count() == 1


def test_a_program_specialist_sees_modification_aggregates(cast: Cast) -> None:
    specialist = f.coach(cast.jefferson, Specialty.PROGRAM, "Pat Program")
    program = b.program(cast, school=cast.jefferson, by=cast.dana)
    for support in b.supported_teachers(cast, program, 5, coach=specialist):
        _modify(support)
    summary = services.modification_summary(program=program, viewer=specialist)
    assert summary is not None
    assert summary[0].teachers == 5


def test_a_held_back_modification_is_not_counted_in_the_aggregates(cast: Cast) -> None:
    program = b.program(cast)
    mine = _modify(b.support(cast, program))
    for support in b.supported_teachers(cast, program, 4):
        _modify(support)
    assert services.modification_summary(program=program, viewer=cast.dana) is not None
    Modification.objects.filter(pk=mine.pk).update(held_back=True)
    assert services.modification_summary(program=program, viewer=cast.dana) is None


def test_a_teachers_latest_feedback_counts_once_in_the_means(cast: Cast) -> None:
    program = b.program(cast)
    for teacher in b.colleagues(cast, 4):
        _feedback(program, teacher)
    services.give_feedback(
        program=program, teacher=cast.maya, about="program", useful=1, clear=1, heard=1
    )
    _feedback(program, cast.maya)  # she changed her mind: 4, 3, 5 like the others
    summary = services.feedback_summary(program=program, viewer=cast.dana)
    assert summary is not None
    assert summary[0].means == {"useful": 4.0, "clear": 3.0, "heard": 5.0}
