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

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import AwareDatetime, BeforeValidator, Strict, StringConstraints

from tandem.library.models import Strategy
from tandem.programs import services
from tandem.programs.forms import input_label
from tandem.programs.models import (
    MIN_GROUP,
    AdoptionDecision,
    AdoptionInput,
    Preference,
    Program,
    ProgramStatus,
)
from tandem.schools.roles import request_roles

from ..errors import responses
from ..schemas import PersonOut, SchoolRefOut, StrictInput, Uuid, acting_user, school

router = Router(tags=["programs"])

_NO_NUL = r"^[^\x00]*$"


def _json_text(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("Input should be a string")
    return value


def _text(max_length: int, min_length: int = 0) -> object:
    return StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=_NO_NUL
    )


Name = Annotated[str, _text(200, 1)]
Description = Annotated[str, _text(5000)]
Words = Annotated[str, _text(3000)]
Question = Annotated[str, _text(300, 1)]
Reason = Annotated[str, _text(5000, 1)]
Url = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500, pattern=r"^https?://\S+$")
]
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
