"""Learn and Improve of an Impact Cycle: the same services and the same door as the pages.

The cycle is looked up through `Cycle.objects.visible_to` (404 for anyone else);
its checklist, measurements and adaptations are read through it; observation
sessions and coaching sessions through their own `visible_to`. Who may change
what is the services' answer (403). Every read by someone other than the
cycle's teacher is logged for her.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal
from uuid import UUID

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import BeforeValidator, Strict, StringConstraints

from tandem.coaching.models import LEARNING_KINDS
from tandem.cycles import charts, services
from tandem.cycles.models import AdaptationKind, ChecklistItem, Cycle, Goal, Stage
from tandem.observations.models import ObservationSession
from tandem.privacy.models import Via
from tandem.privacy.services import record_access

from ..errors import responses
from ..schemas import Amount, AmountOut, Day, PersonOut, StrictInput, acting_user

router = Router(tags=["cycles"])

_NO_NUL = r"^[^\x00]*$"


def _text(max_length: int) -> StringConstraints:
    # No minimum length: a blank text is the service's to refuse, with its sentence (400).
    return StringConstraints(strip_whitespace=True, max_length=max_length, pattern=_NO_NUL)


def _whole(value: object) -> object:
    # JSON has one kind of number: 3.0 is the integer 3 (a schema-valid body); true is not.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Input should be a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("Input should be a whole number")
        return int(value)
    return value


Whole = Annotated[int, Strict(False), BeforeValidator(_whole)]
# Out-of-range numbers are the service's to refuse: a stale version (400), no such move (404).
Version = Whole


Move = Annotated[str, _text(300)]
MoveEdit = Annotated[str, _text(300)]
Reason = Annotated[str, _text(2000)]
MoveReason = Annotated[str, _text(500)]
Note = Annotated[str, _text(300)]
Notes = Annotated[str, _text(20_000)]
Place = Annotated[str, _text(200)]
Step = Annotated[str, _text(2000)]
When = Annotated[datetime.datetime, Field(strict=False)]
AdaptationKindIn = Literal["strategy", "use", "goal"]
assert set(AdaptationKind.values) == set(AdaptationKindIn.__args__), "update AdaptationKindIn"  # type: ignore[attr-defined]
LearningKind = Literal["modeling", "co_teaching", "peer_visit", "video_study"]
assert {str(k) for k in LEARNING_KINDS} == set(LearningKind.__args__), "update LearningKind"  # type: ignore[attr-defined]


def _cycle(request: HttpRequest, uuid: UUID) -> Cycle:
    found: Cycle = get_object_or_404(
        Cycle.objects.visible_to(acting_user(request)).select_related("teacher", "engagement"),
        uuid=uuid,
    )
    return found


def _goal(request: HttpRequest, cycle: Cycle) -> Goal:
    """The cycle's goal, if she may see it; otherwise it does not exist for her."""
    found: Goal = get_object_or_404(
        Goal.objects.visible_to(acting_user(request)).select_related("cycle"), cycle_id=cycle.pk
    )
    return found


def _logged(request: HttpRequest, *items: object) -> None:
    record_access(
        viewer=acting_user(request),
        items=[i for i in items if i is not None],  # type: ignore[misc]
        via=Via.API,
        path=request.path,
    )


class CycleStateOut(Schema):
    uuid: UUID
    stage: Stage
    learning_mode: str
    version: int
    ended_on: datetime.date | None
    closed_reason: str
    met_summary: str


class ChecklistItemOut(Schema):
    position: int
    text: str
    original: str
    reason: str
    removed: bool
    changed_at: datetime.datetime | None


class ChartPointOut(Schema):
    taken_on: datetime.date
    value: AmountOut
    source: Literal["typed", "observation"]
    label: str
    unit: str
    observation: UUID | None = Field(None, description="The observation session, if from one.")


class ChartOut(Schema):
    baseline: AmountOut | None
    target: AmountOut | None
    rises: bool | None
    proposes_met: bool = Field(description="The latest measurement reached the target.")
    points: list[ChartPointOut]


class AdaptationOut(Schema):
    kind: AdaptationKind
    change: str
    reason: str
    made_on: datetime.date
    author: PersonOut


class StepOut(Schema):
    uuid: UUID
    text: str


class ConversationOut(Schema):
    uuid: UUID
    starts_at: datetime.datetime
    duration_minutes: int
    notes: str
    next_steps: list[StepOut]


def _point(p: charts.Point) -> dict[str, object]:
    return {
        "taken_on": p.taken_on,
        "value": p.value,
        "source": p.source,
        "label": p.label,
        "unit": p.unit,
        "observation": p.session_uuid,
    }


def _series(request: HttpRequest, cycle: Cycle) -> tuple[Goal, list[charts.Point]]:
    goal = _goal(request, cycle)
    points = charts.series(goal, acting_user(request))
    observed = [p.session_uuid for p in points if p.session_uuid is not None]
    sessions = list(ObservationSession.objects.filter(uuid__in=observed)) if observed else []
    _logged(request, cycle, goal, *sessions)
    return goal, points


# The checklist and how she learns it --------------------------------------------------------


class ChecklistEditIn(StrictInput):
    position: Whole = Field(description="Which move: its place in the checklist.")
    text: MoveEdit = ""
    reason: MoveReason
    removed: bool = False
    version: Version | None = Field(None, description="The cycle's version the edit began at.")


class ChecklistAddIn(StrictInput):
    text: Move
    reason: MoveReason


@router.patch(
    "/cycles/{uuid}/checklist",
    response=responses({200: ChecklistItemOut}, 400, 404, 422),
    operation_id="adapt_checklist_item",
)
def adapt_checklist_item(request: HttpRequest, uuid: UUID, data: ChecklistEditIn) -> ChecklistItem:
    """The teacher rewords or removes one move of her checklist; the reason is kept with the
    original wording. 403 for anyone else; 400 when the cycle has ended or the edit is stale."""
    cycle = _cycle(request, uuid)
    if not 1 <= data.position <= 32_767:  # no such move (and no number the database refuses)
        raise Http404
    item = get_object_or_404(ChecklistItem.objects.filter(cycle=cycle), position=data.position)
    item.cycle = cycle
    return services.adapt_checklist_item(
        item=item,
        acting_user=acting_user(request),
        text=data.text,
        reason=data.reason,
        removed=data.removed,
        version=data.version,
    )


@router.post(
    "/cycles/{uuid}/checklist",
    response=responses({201: ChecklistItemOut}, 400, 404, 422),
    operation_id="add_checklist_item",
)
def add_checklist_item(
    request: HttpRequest, uuid: UUID, data: ChecklistAddIn
) -> Status[ChecklistItem]:
    """A move of the teacher's own, with why (the teacher only)."""
    item = services.add_checklist_item(
        cycle=_cycle(request, uuid), acting_user=acting_user(request), **data.dict()
    )
    return Status(201, item)


class LearningModeIn(StrictInput):
    mode: LearningKind
    version: Version | None = None


@router.put(
    "/cycles/{uuid}/learning-mode",
    response=responses({200: CycleStateOut}, 400, 404, 422),
    operation_id="choose_learning_mode",
)
def choose_learning_mode(request: HttpRequest, uuid: UUID, data: LearningModeIn) -> Cycle:
    """How the teacher wants to learn the strategy: her choice (403 for anyone else)."""
    return services.choose_learning_mode(
        cycle=_cycle(request, uuid),
        acting_user=acting_user(request),
        mode=data.mode,
        version=data.version,
    )


class VersionIn(StrictInput):
    version: Version | None = None


@router.post(
    "/cycles/{uuid}/ready",
    response=responses({200: CycleStateOut}, 400, 404, 422),
    operation_id="start_improving",
)
def start_improving(request: HttpRequest, uuid: UUID, data: VersionIn) -> Cycle:
    """ "We're ready to try it": the cycle moves from Learn to Improve (teacher or coach)."""
    return services.start_improving(
        cycle=_cycle(request, uuid), acting_user=acting_user(request), version=data.version
    )


# Measurements and the chart ------------------------------------------------------------------


@router.get(
    "/cycles/{uuid}/measurements",
    response=responses({200: list[ChartPointOut]}, 404, 422),
    operation_id="list_cycle_measurements",
)
def list_cycle_measurements(request: HttpRequest, uuid: UUID) -> list[dict[str, object]]:
    """Every measurement of the cycle's goal she may see, oldest first: typed in, and the
    observation sessions linked to the goal (read-only here; change them on the session)."""
    _goal, points = _series(request, _cycle(request, uuid))
    return [_point(p) for p in points]


class MeasurementIn(StrictInput):
    taken_on: Day
    value: Amount
    note: Note = ""


@router.post(
    "/cycles/{uuid}/measurements",
    response=responses({201: ChartPointOut}, 400, 404, 422),
    operation_id="add_cycle_measurement",
)
def add_cycle_measurement(
    request: HttpRequest, uuid: UUID, data: MeasurementIn
) -> Status[dict[str, object]]:
    """A value of the goal's measure on a day: within the measure's range, not in the
    future, while the cycle is open (400 otherwise); the teacher or her coach (403)."""
    cycle = _cycle(request, uuid)
    goal = _goal(request, cycle)
    goal.cycle = cycle
    made = services.add_measurement(
        goal=goal,
        acting_user=acting_user(request),
        taken_on=data.taken_on,
        value=data.value,
        note=data.note,
    )
    point = charts.Point(made.taken_on, made.value, charts.TYPED, made.note)
    return Status(201, _point(point))


@router.get(
    "/cycles/{uuid}/chart",
    response=responses({200: ChartOut}, 404, 422),
    operation_id="get_cycle_chart",
)
def get_cycle_chart(request: HttpRequest, uuid: UUID) -> dict[str, object]:
    """The chart's data: baseline, target, direction, whether Tandem proposes that the goal
    is met, and the merged series."""
    goal, points = _series(request, _cycle(request, uuid))
    return {
        "baseline": goal.baseline,
        "target": goal.target,
        "rises": goal.rises,
        "proposes_met": charts.proposes_met(goal, points),
        "points": [_point(p) for p in points],
    }


# The adaptations log and conversations ------------------------------------------------------


@router.get(
    "/cycles/{uuid}/adaptations",
    response=responses({200: list[AdaptationOut]}, 404, 422),
    operation_id="list_cycle_adaptations",
)
def list_cycle_adaptations(request: HttpRequest, uuid: UUID) -> list[object]:
    """What changed — the strategy, how it is used, or the goal — why and when, newest first."""
    cycle = _cycle(request, uuid)
    _logged(request, cycle)
    return list(cycle.adaptations.select_related("author"))


class AdaptationIn(StrictInput):
    kind: AdaptationKindIn
    change: Reason
    reason: Reason
    made_on: Day | None = None


@router.post(
    "/cycles/{uuid}/adaptations",
    response=responses({201: AdaptationOut}, 400, 404, 422),
    operation_id="add_cycle_adaptation",
)
def add_cycle_adaptation(request: HttpRequest, uuid: UUID, data: AdaptationIn) -> Status[object]:
    """Record an adaptation with its reason (the teacher or her coach)."""
    made = services.log_adaptation(
        cycle=_cycle(request, uuid),
        acting_user=acting_user(request),
        kind=data.kind,
        change=data.change,
        reason=data.reason,
        made_on=data.made_on,
    )
    return Status(201, made)


class ConversationNotesIn(StrictInput):
    held_at: When
    duration_minutes: Whole = 30
    notes: Notes = ""
    next_steps: list[Step] = Field(default_factory=list, max_length=services.MAX_NEXT_STEPS)


@router.post(
    "/cycles/{uuid}/conversations",
    response=responses({201: ConversationOut}, 400, 404, 422),
    operation_id="record_cycle_conversation",
)
def record_cycle_conversation(
    request: HttpRequest, uuid: UUID, data: ConversationNotesIn
) -> Status[dict[str, object]]:
    """A coaching conversation that took place, with its notes; each next step becomes a
    suggestion of the cycle's coach."""
    session = services.record_conversation(
        cycle=_cycle(request, uuid),
        acting_user=acting_user(request),
        held_at=data.held_at,
        duration_minutes=data.duration_minutes,
        notes=data.notes,
        next_steps=data.next_steps,
    )
    steps = session.next_steps.order_by("created_at", "id")
    return Status(
        201,
        {
            "uuid": session.uuid,
            "starts_at": session.starts_at,
            "duration_minutes": session.duration_minutes,
            "notes": session.notes,
            "next_steps": [{"uuid": s.uuid, "text": s.text} for s in steps],
        },
    )


# The end of a cycle --------------------------------------------------------------------------


@router.post(
    "/cycles/{uuid}/met",
    response=responses({200: CycleStateOut}, 400, 404, 422),
    operation_id="confirm_cycle_goal_met",
)
def confirm_cycle_goal_met(request: HttpRequest, uuid: UUID, data: VersionIn) -> Cycle:
    """The teacher confirms her goal is met (400 until the latest measurement reaches the
    target); the cycle ends with its summary."""
    return services.confirm_goal_met(
        cycle=_cycle(request, uuid), acting_user=acting_user(request), version=data.version
    )


class CloseIn(StrictInput):
    reason: Reason
    version: Version | None = None


@router.post(
    "/cycles/{uuid}/close",
    response=responses({200: CycleStateOut}, 400, 404, 422),
    operation_id="close_cycle",
)
def close_cycle(request: HttpRequest, uuid: UUID, data: CloseIn) -> Cycle:
    """The teacher or her coach closes the cycle, with the reason."""
    return services.close_cycle(
        cycle=_cycle(request, uuid),
        acting_user=acting_user(request),
        reason=data.reason,
        version=data.version,
    )


@router.post(
    "/cycles/{uuid}/next",
    response=responses({201: CycleStateOut}, 400, 404, 422),
    operation_id="start_next_cycle",
)
def start_next_cycle(request: HttpRequest, uuid: UUID) -> Status[Cycle]:
    """After a cycle ends, the teacher starts the next one with the same coach, carrying
    the evidence forward (400 while it is open)."""
    new = services.start_next_cycle(cycle=_cycle(request, uuid), acting_user=acting_user(request))
    return Status(201, new)
