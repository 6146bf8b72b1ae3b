"""Programs and adoption decisions: the same doors and services as the pages.

Programs: everyone in the district reads them (`Program.objects.visible_to`); leaders
and program specialists manage them (403 for anyone else). Decisions: through
`AdoptionDecision.objects.visible_to` — those she manages or is in scope of; 404 for
anyone else. A teacher's input is a PUT: a second one replaces the first (the answer
says so). Inputs are given to the decision's leaders only once at least 5 exist, and
an anonymous one never names its teacher (`tandem/programs/anonymity.py`).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import AwareDatetime, BeforeValidator, Strict, StringConstraints

from tandem.library.models import Strategy
from tandem.privacy.models import Via
from tandem.privacy.services import record_access
from tandem.programs import services
from tandem.programs.forms import input_label
from tandem.programs.models import (
    MIN_GROUP,
    AdoptionDecision,
    AdoptionInput,
    LogEntry,
    Modification,
    Preference,
    Program,
    ProgramStatus,
    SupportEngagement,
)
from tandem.schools.roles import request_roles

from ..errors import responses
from ..schemas import (
    Day,
    PersonOut,
    SchoolRefOut,
    StrictInput,
    Uuid,
    acting_user,
    person,
    school,
)
from .cycle_progress import Whole

router = Router(tags=["programs"])

_NO_NUL = r"^[^\x00]*$"


def _json_text(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("Input should be a string")
    return value


def _text(max_length: int, min_length: int = 0) -> object:
    # No stripping here: a name of spaces is valid JSON text, and the service refuses
    # it with its own sentence (400), as the document promises.
    return StringConstraints(min_length=min_length, max_length=max_length, pattern=_NO_NUL)


Name = Annotated[str, _text(200, 1)]
Description = Annotated[str, _text(5000)]
Words = Annotated[str, _text(3000)]
Question = Annotated[str, _text(300, 1)]
Reason = Annotated[str, _text(5000, 1)]
# Spelled-out whitespace: Python's \S and JSON Schema's (ECMA) disagree on some
# control characters; the service checks the address itself (400 with a sentence).
Url = Annotated[str, StringConstraints(max_length=500, pattern=r"^https?://[^ \t\n\r\f\v]+$")]
Deadline = Annotated[AwareDatetime, Strict(False), BeforeValidator(_json_text)]


# Programs ---------------------------------------------------------------------------------


class MaterialIO(Schema):
    title: Annotated[str, _text(200)] = ""
    url: Url


class ComponentOut(Schema):
    position: int
    name: str
    notes: str
    strategy: UUID
    strategy_name: str
    checklist: list[str]


class ProgramOut(Schema):
    uuid: UUID
    name: str
    description: str
    school: SchoolRefOut | None
    status: ProgramStatus
    materials: list[MaterialIO]


class ProgramDetailOut(ProgramOut):
    components: list[ComponentOut]


def _program_out(program: Program, *, components: bool = False) -> dict:
    out: dict = {
        "uuid": program.uuid,
        "name": program.name,
        "description": program.description,
        "school": program.school,
        "status": program.status,
        "materials": program.materials,
    }
    if components:
        out["components"] = [
            {
                "position": c.position,
                "name": c.name,
                "notes": c.notes,
                "strategy": c.strategy.uuid,
                "strategy_name": str(c.strategy),
                "checklist": [str(m) for m in c.strategy.checklist],
            }
            for c in program.components.select_related("strategy")
        ]
    return out


def _in_a_district(request: HttpRequest) -> None:
    if request_roles(request).district_id is None:  # a site operator: nothing here
        raise Http404


def _programs(request: HttpRequest) -> QuerySet[Program]:
    _in_a_district(request)
    return Program.objects.visible_to(acting_user(request)).select_related("school")


@router.get(
    "/programs", response=responses({200: list[ProgramOut]}, 404), operation_id="list_programs"
)
def list_programs(request: HttpRequest) -> list[dict]:
    """Every program of the district, by name."""
    return [_program_out(p) for p in _programs(request)]


@router.get(
    "/programs/{uuid}",
    response=responses({200: ProgramDetailOut}, 404, 422),
    operation_id="get_program",
)
def get_program(request: HttpRequest, uuid: UUID) -> dict:
    """One program, with its components (each a strategy of the library and its checklist)."""
    program = get_object_or_404(_programs(request), uuid=uuid)
    return _program_out(program, components=True)


class ComponentIn(StrictInput):
    strategy: Uuid
    name: Name
    notes: Annotated[str, _text(2000)] = ""


class ProgramIn(StrictInput):
    name: Name
    description: Description = ""
    school: Uuid | None = None
    status: Literal["candidate", "adopted", "retired"] = "candidate"
    materials: Annotated[list[MaterialIO], Field(max_length=30)] = []
    components: Annotated[list[ComponentIn], Field(max_length=20)] = []


@router.post(
    "/programs",
    response=responses({201: ProgramDetailOut}, 400, 404, 422),
    operation_id="create_program",
)
def create_program(request: HttpRequest, data: ProgramIn) -> Status[dict]:
    """A new program (leaders and program specialists; 403 for anyone else)."""
    user = acting_user(request)
    strategies = Strategy.objects.available_to(user)
    program = services.save_program(
        acting_user=user,
        name=data.name,
        description=data.description,
        school=school(request, data.school) if data.school else None,
        materials=[m.dict() for m in data.materials],
        status=data.status,
        components=[
            services.ComponentSpec(get_object_or_404(strategies, uuid=c.strategy), c.name, c.notes)
            for c in data.components
        ],
    )
    return Status(201, _program_out(program, components=True))


# Decisions --------------------------------------------------------------------------------


class ProgramRefOut(Schema):
    uuid: UUID
    name: str


class ParticipationOut(Schema):
    """Counts only, never who."""

    given: int
    in_scope: int


class YourInputOut(Schema):
    given_on: datetime.date
    anonymous: bool


class InputOut(Schema):
    uuid: UUID
    teacher: PersonOut | None  # None: anonymous
    given_on: datetime.date
    helps: str
    concerns: str
    support: str
    ranking: list[UUID]
    preference: str
    comment: str


class RecordedOut(Schema):
    chosen: ProgramRefOut | None
    rationale: str
    how_input_shaped: str
    cited: list[str]
    decided_on: datetime.date


class DecisionOut(Schema):
    uuid: UUID
    question: str
    school: SchoolRefOut | None
    deadline: datetime.datetime
    status: Literal["open", "closed", "decided"]
    candidates: list[ProgramRefOut]
    participation: ParticipationOut
    in_scope: bool
    your_input: YourInputOut | None
    # Only for the decision's leaders, and only once at least 5 inputs exist.
    inputs: list[InputOut] | None
    decision: RecordedOut | None


def _decisions(request: HttpRequest) -> QuerySet[AdoptionDecision]:
    _in_a_district(request)
    return (
        AdoptionDecision.objects.visible_to(acting_user(request))
        .select_related("school", "chosen")
        .prefetch_related(Prefetch("candidates", queryset=Program.objects.order_by("name")))
    )


def _decision_out(request: HttpRequest, decision: AdoptionDecision) -> dict:
    user = acting_user(request)
    given, in_scope = services.participation(decision)
    manages = services.manages_decision(user, decision)
    is_in_scope = services.is_in_scope(decision, user)
    mine = services.input_of(decision, user) if is_in_scope else None
    inputs = None
    if manages and given >= MIN_GROUP:
        inputs = [
            {
                "uuid": i.uuid,
                "teacher": i.attributed_to,
                "given_on": i.given_on,
                "helps": i.helps,
                "concerns": i.concerns,
                "support": i.support,
                "ranking": i.ranking,
                "preference": i.preference,
                "comment": i.comment,
            }
            for i in decision.inputs.select_related("attributed_to")
        ]
    recorded = None
    if decision.is_decided and decision.decided_at is not None:
        cited = decision.cited_inputs.select_related("attributed_to")
        recorded = {
            "chosen": decision.chosen,
            "rationale": decision.rationale,
            "how_input_shaped": decision.how_input_shaped,
            # Leaders see whose signed input it was; teachers read the words only.
            "cited": [input_label(i) if manages else _words(i) for i in cited],
            "decided_on": decision.decided_at.date(),
        }
    status = "decided" if decision.is_decided else "open" if decision.accepts_input() else "closed"
    return {
        "uuid": decision.uuid,
        "question": decision.question,
        "school": decision.school,
        "deadline": decision.deadline,
        "status": status,
        "candidates": list(decision.candidates.all()),
        "participation": {"given": given, "in_scope": in_scope},
        "in_scope": is_in_scope,
        "your_input": {"given_on": mine.given_on, "anonymous": mine.anonymous} if mine else None,
        "inputs": inputs,
        "decision": recorded,
    }


def _words(one: AdoptionInput) -> str:
    return one.helps or one.concerns or one.support or one.comment or "—"


@router.get(
    "/adoption-decisions",
    response=responses({200: list[DecisionOut]}, 404),
    operation_id="list_decisions",
)
def list_decisions(request: HttpRequest) -> list[dict]:
    """The decisions she manages or is in scope of, newest first."""
    return [_decision_out(request, d) for d in _decisions(request)[:100]]


@router.get(
    "/adoption-decisions/{uuid}",
    response=responses({200: DecisionOut}, 404, 422),
    operation_id="get_decision",
)
def get_decision(request: HttpRequest, uuid: UUID) -> dict:
    """One decision: candidates, participation (counts), her own input's day, the inputs
    (its leaders, from 5), and the recorded decision."""
    return _decision_out(request, get_object_or_404(_decisions(request), uuid=uuid))


class DecisionIn(StrictInput):
    school: Uuid | None = None  # None: the whole district (its administrator only)
    question: Question
    deadline: Deadline
    candidates: Annotated[list[Uuid], Field(min_length=1, max_length=10)]


@router.post(
    "/adoption-decisions",
    response=responses({201: DecisionOut}, 400, 404, 422),
    operation_id="create_decision",
)
def create_decision(request: HttpRequest, data: DecisionIn) -> Status[dict]:
    """A leader opens a decision; every teacher in scope is notified in the app."""
    programs = _programs(request)
    decision = services.open_decision(
        acting_user=acting_user(request),
        school=school(request, data.school) if data.school else None,
        question=data.question,
        deadline=data.deadline,
        candidates=[get_object_or_404(programs, uuid=u) for u in data.candidates],
    )
    return Status(201, _decision_out(request, decision))


class InputIn(StrictInput):
    anonymous: bool
    helps: Words = ""
    concerns: Words = ""
    support: Words = ""
    comment: Words = ""
    ranking: Annotated[list[Uuid], Field(max_length=10)] = []
    preference: Literal["for", "unsure", "against"] | None = None
    # Fewer than 5 teachers in scope: anonymous input needs this, as the page asks.
    understood_identifiable: bool = False


assert {"for", "unsure", "against"} == set(Preference.values), "update the Literal"


class InputSavedOut(Schema):
    replaced: bool
    given_on: datetime.date
    anonymous: bool


@router.put(
    "/adoption-decisions/{uuid}/my-input",
    response=responses({200: InputSavedOut}, 400, 404, 422),
    operation_id="give_decision_input",
)
def give_decision_input(request: HttpRequest, uuid: UUID, data: InputIn) -> dict:
    """Her input (a teacher in scope; 403 for anyone else who sees the decision). A second
    one replaces the first: `replaced` says so. After the deadline: 400, nothing stored."""
    decision = get_object_or_404(_decisions(request), uuid=uuid)
    row, replaced = services.give_input(
        decision=decision,
        teacher=acting_user(request),
        anonymous=data.anonymous,
        helps=data.helps,
        concerns=data.concerns,
        support=data.support,
        comment=data.comment,
        ranking=data.ranking,
        preference=data.preference or "",
        understood_identifiable=data.understood_identifiable,
    )
    return {"replaced": replaced, "given_on": row.given_on, "anonymous": row.anonymous}


class RecordIn(StrictInput):
    chosen: Uuid | None = None  # None: none of the candidates
    rationale: Reason
    how_input_shaped: Reason
    cited: Annotated[list[Uuid], Field(max_length=50)] = []


@router.post(
    "/adoption-decisions/{uuid}/decision",
    response=responses({200: DecisionOut}, 400, 404, 422),
    operation_id="record_decision",
)
def record_decision(request: HttpRequest, uuid: UUID, data: RecordIn) -> dict:
    """Its leaders record the decision, its rationale and how input shaped it (403 for
    anyone else who sees it); then every teacher in scope reads it."""
    decision = get_object_or_404(_decisions(request), uuid=uuid)
    chosen = get_object_or_404(decision.candidates.all(), uuid=data.chosen) if data.chosen else None
    cited = list(AdoptionInput.objects.filter(decision=decision, uuid__in=data.cited))
    if len(cited) != len(set(data.cited)):
        raise ValidationError(_("Cite inputs given on this decision."))
    services.record_decision(
        decision=decision,
        acting_user=acting_user(request),
        chosen=chosen,
        rationale=data.rationale,
        how_input_shaped=data.how_input_shaped,
        cited=cited,
    )
    return _decision_out(request, get_object_or_404(_decisions(request), uuid=uuid))


# Technical support -----------------------------------------------------------------------
#
# A support engagement, its log and its adaptations are the teacher's coaching content:
# read through `visible_to` (she and her support coach), 404 for anyone else, each read
# recorded. Feedback and adaptations reach leaders only as aggregates over ≥ 5 teachers.
# Nothing here scores a teacher or ranks teachers.

SupportKind = Literal["modeling", "co_teaching", "peer_visit", "video_study", "conversation"]
assert set(SupportKind.__args__) == set(services.SUPPORT_KINDS), "update the Literal"  # type: ignore[attr-defined]
Short = Annotated[str, _text(300)]
# A component by its place in the program; JSON's 2.0 is 2 (`Whole`), true is not. A place
# the program does not have is the service's to refuse, with its sentence (400).
Position = Whole
LongWords = Annotated[str, _text(5000)]


class SupportChoiceOut(Schema):
    kind: str
    chosen_at: datetime.datetime


class LogEntryOut(Schema):
    uuid: UUID
    day: datetime.date
    author: PersonOut
    components: list[str]
    student_measure: str
    student_work: str
    decision: str
    decision_evidence: str


class ModificationOut(Schema):
    uuid: UUID
    component: str
    what: str
    for_whom: str
    reason: str
    student_evidence: str


class SupportOut(Schema):
    uuid: UUID
    program: ProgramRefOut
    teacher: PersonOut
    coach: PersonOut
    kind: SupportKind | None  # None: the teacher has not chosen yet
    open: bool
    cycle: UUID | None  # the Impact Cycle it became


class SupportDetailOut(SupportOut):
    choices: list[SupportChoiceOut]
    log: list[LogEntryOut]
    modifications: list[ModificationOut]


def _supports(request: HttpRequest) -> QuerySet[SupportEngagement]:
    _in_a_district(request)
    return SupportEngagement.objects.visible_to(acting_user(request)).select_related(
        "program", "teacher", "engagement__coach", "cycle"
    )


def _support_out(support: SupportEngagement) -> dict:
    assert support.engagement is not None
    return {
        "uuid": support.uuid,
        "program": support.program,
        "teacher": support.teacher,
        "coach": support.engagement.coach,
        "kind": support.support_kind or None,
        "open": support.is_open,
        "cycle": support.cycle.uuid if support.cycle else None,
    }


def _support_detail(request: HttpRequest, support: SupportEngagement) -> dict:
    user = acting_user(request)
    log = list(
        LogEntry.objects.visible_to(user)
        .filter(support=support)
        .select_related("author")
        .prefetch_related("components")
    )
    changes = list(
        Modification.objects.visible_to(user).filter(support=support).select_related("component")
    )
    record_access(viewer=user, items=[support, *log, *changes], via=Via.API, path=request.path)
    return _support_out(support) | {
        "choices": [{"kind": c.kind, "chosen_at": c.chosen_at} for c in support.choices.all()],
        "log": [
            {
                "uuid": e.uuid,
                "day": e.day,
                "author": e.author,
                "components": [c.name for c in e.components.all()],
                "student_measure": e.student_measure,
                "student_work": e.student_work,
                "decision": e.decision,
                "decision_evidence": e.decision_evidence,
            }
            for e in log
        ],
        "modifications": [
            {
                "uuid": m.uuid,
                "component": m.component.name,
                "what": m.what,
                "for_whom": m.for_whom,
                "reason": m.reason,
                "student_evidence": m.student_evidence,
            }
            for m in changes
        ],
    }


@router.get(
    "/program-support",
    response=responses({200: list[SupportOut]}, 404),
    operation_id="list_program_support",
)
def list_program_support(request: HttpRequest) -> list[dict]:
    """Her support (a teacher), or the support she gives (a coach)."""
    supports = list(_supports(request)[:200])
    record_access(viewer=acting_user(request), items=supports, via=Via.API, path=request.path)
    return [_support_out(s) for s in supports]


@router.get(
    "/program-support/{uuid}",
    response=responses({200: SupportDetailOut}, 404, 422),
    operation_id="get_program_support",
)
def get_program_support(request: HttpRequest, uuid: UUID) -> dict:
    """One support: the teacher's choices, the implementation log, her adaptations."""
    return _support_detail(request, get_object_or_404(_supports(request), uuid=uuid))


class SupportStartIn(StrictInput):
    teacher: Uuid
    coach: Uuid
    program: Uuid
    kind: SupportKind | None = None  # the teacher's choice: only she may give it


@router.post(
    "/program-support",
    response=responses({201: SupportDetailOut}, 400, 404, 422),
    operation_id="start_program_support",
)
def start_program_support(request: HttpRequest, data: SupportStartIn) -> Status[dict]:
    """The teacher or her coach starts support on a program (an active assignment needed)."""
    support = services.start_support(
        acting_user=acting_user(request),
        teacher=person(request, data.teacher),
        coach=person(request, data.coach),
        program=get_object_or_404(_programs(request), uuid=data.program),
        kind=data.kind or "",
    )
    return Status(201, _support_detail(request, support))


class SupportKindIn(StrictInput):
    kind: SupportKind


@router.put(
    "/program-support/{uuid}/kind",
    response=responses({200: SupportDetailOut}, 400, 404, 422),
    operation_id="choose_program_support_kind",
)
def choose_program_support_kind(request: HttpRequest, uuid: UUID, data: SupportKindIn) -> dict:
    """The teacher chooses, or changes, the kind of support (403 for her coach)."""
    support = get_object_or_404(_supports(request), uuid=uuid)
    services.choose_support(support=support, acting_user=acting_user(request), kind=data.kind)
    return _support_detail(request, support)


class LogEntryIn(StrictInput):
    day: Day
    components: Annotated[list[Position], Field(min_length=1, max_length=20)]
    student_measure: Short = ""
    student_work: LongWords = ""
    decision: Words = ""
    decision_evidence: Words = ""


@router.post(
    "/program-support/{uuid}/log",
    response=responses({201: SupportDetailOut}, 400, 404, 422),
    operation_id="add_implementation_log_entry",
)
def add_implementation_log_entry(
    request: HttpRequest, uuid: UUID, data: LogEntryIn
) -> Status[dict]:
    """A log entry: the components used (by position), what students did, and a decision
    with the student evidence it rests on."""
    support = get_object_or_404(_supports(request), uuid=uuid)
    by_position = {c.position: c for c in support.program.components.all()}
    if any(p not in by_position for p in data.components):
        raise ValidationError(_("Choose components of this program."))
    services.add_log_entry(
        support=support,
        acting_user=acting_user(request),
        day=data.day,
        components=[by_position[p] for p in data.components],
        student_measure=data.student_measure,
        student_work=data.student_work,
        decision=data.decision,
        decision_evidence=data.decision_evidence,
    )
    return Status(201, _support_detail(request, support))


class ModificationIn(StrictInput):
    component: Position  # its place in the program
    what: Annotated[str, _text(2000)]
    for_whom: Short
    reason: Annotated[str, _text(2000)]  # required: an empty one is a 400 with its sentence
    student_evidence: Annotated[str, _text(2000)] = ""


@router.post(
    "/program-support/{uuid}/modifications",
    response=responses({201: SupportDetailOut}, 400, 404, 422),
    operation_id="adapt_program_component",
)
def adapt_program_component(request: HttpRequest, uuid: UUID, data: ModificationIn) -> Status[dict]:
    """The teacher adapts a component: what, for which students, why (403 for her coach)."""
    support = get_object_or_404(_supports(request), uuid=uuid)
    component = support.program.components.filter(position=data.component).first()
    if component is None:
        raise ValidationError(_("Choose components of this program."))
    services.modify_component(
        support=support,
        acting_user=acting_user(request),
        component=component,
        what=data.what,
        for_whom=data.for_whom,
        reason=data.reason,
        student_evidence=data.student_evidence,
    )
    return Status(201, _support_detail(request, support))


class SupportCycleOut(Schema):
    cycle: UUID


@router.post(
    "/program-support/{uuid}/impact-cycle",
    response=responses({201: SupportCycleOut}, 400, 404, 422),
    operation_id="support_to_impact_cycle",
)
def support_to_impact_cycle(request: HttpRequest, uuid: UUID) -> Status[dict]:
    """The support becomes an Impact Cycle with the same coach, carrying its log as evidence."""
    support = get_object_or_404(_supports(request), uuid=uuid)
    cycle = services.support_to_cycle(support=support, acting_user=acting_user(request))
    return Status(201, {"cycle": cycle.uuid})


# Feedback, what teachers teach us, "You said, we did" --------------------------------------

# 1 to 5; anything else is the service's to refuse, with its sentence (400).
Scale = Whole


class ProgramFeedbackIn(StrictInput):
    about: Literal["program", "support"]
    useful: Scale
    clear: Scale
    heard: Scale
    comment: Words = ""


class FeedbackSavedOut(Schema):
    given_on: datetime.date


@router.post(
    "/programs/{uuid}/feedback",
    response=responses({201: FeedbackSavedOut}, 400, 404, 422),
    operation_id="give_program_feedback",
)
def give_program_feedback(
    request: HttpRequest, uuid: UUID, data: ProgramFeedbackIn
) -> Status[dict]:
    """A teacher of the program gives feedback, any time (403 for anyone else)."""
    program = get_object_or_404(_programs(request), uuid=uuid)
    row = services.give_feedback(
        program=program,
        teacher=acting_user(request),
        about=data.about,
        useful=data.useful,
        clear=data.clear,
        heard=data.heard,
        comment=data.comment,
    )
    return Status(201, {"given_on": row.given_on})


class ComponentChangesOut(Schema):
    component: str
    teachers: int | None  # None: fewer than 5 teachers, not shown
    reasons: list[str]


class FeedbackLineOut(Schema):
    about: str
    teachers: int | None  # None: fewer than 5 teachers, not shown
    means: dict[str, float]
    comments: list[str]


class ProgramLearningOut(Schema):
    """Aggregates only, without names; None where fewer than 5 teachers stand behind them."""

    modifications: list[ComponentChangesOut] | None
    feedback: list[FeedbackLineOut] | None


@router.get(
    "/programs/{uuid}/learning",
    response=responses({200: ProgramLearningOut}, 404, 422),
    operation_id="get_program_learning",
)
def get_program_learning(request: HttpRequest, uuid: UUID) -> dict:
    """What adaptations and feedback teach us (its leaders and program specialists; 403
    for anyone else)."""
    program = get_object_or_404(_programs(request), uuid=uuid)
    user = acting_user(request)
    sees, responds = (
        services.sees_program_learning(user, program),
        services.may_respond(user, program),
    )
    if not (sees or responds):
        raise PermissionDenied
    changes = services.modification_summary(program=program, viewer=user) if sees else None
    feedback = services.feedback_summary(program=program, viewer=user) if responds else None
    return {
        "modifications": None
        if changes is None
        else [
            {"component": c.component.name, "teachers": c.teachers, "reasons": c.reasons}
            for c in changes
        ],
        "feedback": None
        if feedback is None
        else [
            {"about": f.about, "teachers": f.teachers, "means": f.means, "comments": f.comments}
            for f in feedback
        ],
    }


class ProgramResponseOut(Schema):
    heard: str
    did: str
    on: datetime.date


class ProgramResponseIn(StrictInput):
    heard: Annotated[str, _text(2000)]
    did: Annotated[str, _text(2000)]


@router.get(
    "/programs/{uuid}/you-said-we-did",
    response=responses({200: list[ProgramResponseOut]}, 404, 422),
    operation_id="list_program_responses",
)
def list_program_responses(request: HttpRequest, uuid: UUID) -> list[dict]:
    """The program's public "You said, we did" log, newest first."""
    program = get_object_or_404(_programs(request), uuid=uuid)
    return [{"heard": r.heard, "did": r.did, "on": r.at.date()} for r in program.responses.all()]


@router.post(
    "/programs/{uuid}/you-said-we-did",
    response=responses({201: ProgramResponseOut}, 400, 404, 422),
    operation_id="add_program_response",
)
def add_program_response(request: HttpRequest, uuid: UUID, data: ProgramResponseIn) -> Status[dict]:
    """Its leaders answer teachers' feedback in public (403 for anyone else)."""
    program = get_object_or_404(_programs(request), uuid=uuid)
    row = services.respond(
        program=program, acting_user=acting_user(request), heard=data.heard, did=data.did
    )
    return Status(201, {"heard": row.heard, "did": row.did, "on": row.at.date()})
