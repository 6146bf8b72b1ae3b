"""Impact Cycles and their Identify stage: the same services and the same door as the pages.

Cycles are looked up through `Cycle.objects.visible_to` (404 for anyone else, with
the body of a UUID that never existed); the cycle's goal and evidence through their
own `visible_to` (evidence also `in_turn_for`: the coach's reflection waits for the
teacher's own), so someone who sees a cycle sees only the parts shared with her.
Only the cycle's teacher and its coach work on it (`can_change`, as the pages ask):
anyone else who sees it gets 403 on a change. Every read by someone other than the
cycle's teacher is logged for her.

A stale `version` (someone saved since the client read it) answers 409 and
changes nothing; the client reads the cycle again and decides.

Evidence here is text (student work notes, interview notes, reflections) or a
link to a lesson video or an observation session, by its UUID. Files are added
on the cycle page, not here: what a teacher uploads starts held back for her to
look over before anyone else sees it, and the page is where she does that; the
page streams the upload to private storage and checks its content
(`cycles/evidence.py`), which a JSON body cannot carry. The API lists a file's
name (`file_name`) so an integration knows one is there.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import StringConstraints

from tandem.accounts.models import User
from tandem.cycles import evidence as registry
from tandem.cycles import services
from tandem.cycles.models import Cycle, Evidence, EvidenceKind, Goal, GoalStatus, MeasureKind, Stage
from tandem.cycles.peers import about_teacher
from tandem.library.models import Strategy
from tandem.privacy.content import CoachingContent
from tandem.privacy.models import Via
from tandem.privacy.services import record_access
from tandem.schools.models import CoachingAssignment

from ..errors import responses
from ..schemas import (
    Amount,
    AmountOut,
    Measure,
    PersonOut,
    Statement,
    StrictInput,
    Uuid,
    acting_user,
    person,
)
from . import content
from .cycle_progress import Whole

router = Router(tags=["cycles"])

T = TypeVar("T")

_NO_NUL = r"^[^\x00]*$"


def _text(max_length: int) -> StringConstraints:
    # No minimum length: a blank title is the service's to refuse, with its sentence (400).
    return StringConstraints(strip_whitespace=True, max_length=max_length, pattern=_NO_NUL)


Answer = Annotated[str, _text(2000)]
ShortTitle = Annotated[str, _text(200)]
EvidenceText = Annotated[str, _text(20_000)]
MeasureKindIn = Literal["percentage", "count", "rate", "ratio", "score"]
assert set(MeasureKind.values) == set(MeasureKindIn.__args__), "update MeasureKindIn"  # type: ignore[attr-defined]
Criterion = Literal["powerful", "easy", "emotionally_compelling", "reachable", "student_focused"]
assert set(services.PEERS) == set(Criterion.__args__), "update Criterion"  # type: ignore[attr-defined]
EvidenceKindIn = Literal[
    "video",
    "observation",
    "student_work",
    "student_interview",
    "teacher_reflection",
    "coach_reflection",
]
assert set(EvidenceKind.values) == set(EvidenceKindIn.__args__), "update EvidenceKindIn"  # type: ignore[attr-defined]


def refocus_prompt() -> str:
    """The gentle prompt for a goal that reads as the teacher's behaviour (the page's words)."""
    return " ".join(
        [
            _(
                "This goal reads as something the teacher will do. Goals work best when they "
                "name what students will do, so you can see them change."
            ),
            _(
                "For example: “I will use more wait time” could become “80% of students "
                "answer with a full sentence after wait time.”"
            ),
            _("It is your goal: keep it as it is if it is right for you."),
        ]
    )


# Looking things up, and answering a stale edit ------------------------------------------


def _cycles(request: HttpRequest) -> QuerySet[Cycle]:
    found: QuerySet[Cycle] = Cycle.objects.visible_to(acting_user(request))
    return found.select_related("teacher", "author", "engagement__coach", "strategy")


def _cycle(request: HttpRequest, uuid: UUID) -> Cycle:
    found: Cycle = get_object_or_404(_cycles(request), uuid=uuid)
    return found


def _partner_cycle(request: HttpRequest, uuid: UUID) -> Cycle:
    """A cycle she works on: 404 if she may not see it, 403 if she only reads it."""
    cycle = _cycle(request, uuid)
    if not cycle.can_change(acting_user(request)):
        raise PermissionDenied(_("Only the teacher and her coach in this cycle can do this."))
    return cycle


def _visible_evidence(user: User) -> QuerySet[Evidence]:
    found: QuerySet[Evidence] = Evidence.objects.visible_to(user).in_turn_for(user)
    return found.select_related("author", "cycle__engagement")


def _goal_of(user: User, cycle: Cycle) -> Goal | None:
    found: Goal | None = Goal.objects.visible_to(user).filter(cycle=cycle).first()
    return found


def _fresh(call: Callable[[], T]) -> T:
    """The service's answer; a stale edit (someone saved since) is a 409, nothing changed."""
    try:
        return call()
    except services.StaleEdit as stale:
        raise HttpError(409, " ".join(stale.messages)) from None


def _logged(request: HttpRequest, items: list[Any]) -> None:
    record_access(viewer=acting_user(request), items=items, via=Via.API, path=request.path)


# What the answers look like --------------------------------------------------------------


class StrategyRefOut(Schema):
    uuid: UUID | None = Field(description="None if the strategy has left the library.")
    name: str


class GoalSummaryOut(Schema):
    uuid: UUID
    statement: str
    measure: str
    measure_kind: MeasureKind
    scale_max: AmountOut | None
    baseline: AmountOut | None
    target: AmountOut | None
    status: GoalStatus
    peers: list[str] = Field(description="The PEERS criteria teacher and coach ticked.")
    version: int
    refocus: str | None = Field(
        description="A gentle prompt when the goal reads as the teacher's behaviour rather "
        "than her students' (the goal is saved either way)."
    )


class EvidenceLinkOut(Schema):
    uuid: UUID
    title: str


class EvidenceOut(Schema):
    uuid: UUID
    kind: EvidenceKind
    title: str
    text: str
    author: PersonOut
    held_back: bool
    file_name: str = Field(description="The file's name, if it has one (added on the page).")
    linked: EvidenceLinkOut | None = Field(
        description="The lesson video or observation session, if she may see it."
    )
    created_at: datetime.datetime


class CycleOut(Schema):
    uuid: UUID
    title: str
    teacher: PersonOut
    coach: PersonOut
    stage: Stage
    version: int
    strategy: StrategyRefOut | None
    last_activity_at: datetime.datetime
    created_at: datetime.datetime


class CycleDetailOut(CycleOut):
    lesson_rating: int | None
    closer_to_ideal: str
    students_differently: str
    learning_mode: str
    ended_on: datetime.date | None
    works_on: bool = Field(description="She is the cycle's teacher or its coach.")
    goal: GoalSummaryOut | None = Field(description="The cycle's goal, if she may see it.")
    evidence: list[EvidenceOut] = Field(description="The evidence she may see, oldest first.")


class CyclePageOut(Schema):
    items: list[CycleOut]
    count: int


def _person(user: User) -> dict[str, Any]:
    return {"uuid": user.uuid, "display_name": user.display_name}


def _cycle_out(cycle: Cycle) -> dict[str, Any]:
    engagement = cycle.engagement
    assert engagement is not None  # a cycle always has one (a database constraint)
    strategy = None
    if cycle.strategy_id is not None or cycle.strategy_name:
        strategy = {
            "uuid": cycle.strategy.uuid if cycle.strategy is not None else None,
            "name": cycle.strategy_name,
        }
    return {
        "uuid": cycle.uuid,
        "title": engagement.title,
        "teacher": _person(cycle.teacher),
        "coach": _person(engagement.coach),
        "stage": cycle.stage,
        "version": cycle.version,
        "strategy": strategy,
        "last_activity_at": cycle.last_activity_at,
        "created_at": cycle.created_at,
    }


def _goal_out(goal: Goal) -> dict[str, Any]:
    return {
        "uuid": goal.uuid,
        "statement": goal.statement,
        "measure": goal.measure,
        "measure_kind": goal.measure_kind,
        "scale_max": goal.scale_max,
        "baseline": goal.baseline,
        "target": goal.target,
        "status": goal.status,
        "peers": [name for name in services.PEERS if getattr(goal, name)],
        "version": goal.version,
        "refocus": refocus_prompt() if about_teacher(goal.statement) else None,
    }


def _linked(user: User, rows: list[Evidence]) -> dict[tuple[int, int], CoachingContent]:
    """The linked items of these rows she may see: one query per linked kind."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row.item_id is not None:
            wanted.setdefault(row.kind, set()).add(row.item_id)
    found: dict[tuple[int, int], CoachingContent] = {}
    for kind, ids in wanted.items():
        kind_type = registry.REGISTRY[kind]
        if registry.LINK not in kind_type.adds:
            continue
        model = kind_type.item_model()
        type_id = ContentType.objects.get_for_model(model).pk
        for item in model.objects.visible_to(user).filter(pk__in=ids):
            found[(type_id, item.pk)] = item
    return found


def _evidence_out(rows: list[Evidence], user: User) -> list[dict[str, Any]]:
    items = _linked(user, rows)
    answer = []
    for row in rows:
        item = items.get((row.item_type_id or 0, row.item_id or 0))
        answer.append(
            {
                "uuid": row.uuid,
                "kind": row.kind,
                "title": row.title,
                "text": row.text,
                "author": _person(row.author),
                "held_back": row.held_back,
                "file_name": row.file_name if row.file else "",
                "linked": None
                if item is None
                else {"uuid": item.uuid, "title": registry.REGISTRY[row.kind].title(item)},
                "created_at": row.created_at,
            }
        )
    return answer


def _detail(request: HttpRequest, cycle: Cycle) -> dict[str, Any]:
    """The cycle with its conversation, goal and evidence as she may see them; logged."""
    user = acting_user(request)
    goal = _goal_of(user, cycle)
    rows = list(_visible_evidence(user).filter(cycle=cycle).order_by("created_at", "id"))
    _logged(request, [cycle, *([goal] if goal else []), *rows])
    return {
        **_cycle_out(cycle),
        "lesson_rating": cycle.lesson_rating,
        "closer_to_ideal": cycle.closer_to_ideal,
        "students_differently": cycle.students_differently,
        "learning_mode": cycle.learning_mode,
        "ended_on": cycle.ended_on,
        "works_on": cycle.can_change(user),
        "goal": _goal_out(goal) if goal is not None else None,
        "evidence": _evidence_out(rows, user),
    }


# Cycles ----------------------------------------------------------------------------------


@router.get("/cycles", response=responses({200: CyclePageOut}, 422), operation_id="list_cycles")
def list_cycles(request: HttpRequest, query: Query[content.ContentQuery]) -> dict[str, Any]:
    """The Impact Cycles the person may see, newest first: her own, and those of the
    teachers she coaches that the privacy rules give her (`?teacher=` keeps one teacher's).
    Each read by someone other than the cycle's teacher is logged for the teacher."""
    page = content.page_of(request, _cycles(request).order_by("-created_at", "-id"), query)
    return {"items": [_cycle_out(c) for c in page["items"]], "count": page["count"]}


class CycleIn(StrictInput):
    partner: Uuid = Field(description="A teacher she coaches now, or one of her coaches.")
    title: ShortTitle = ""


@router.post(
    "/cycles", response=responses({201: CycleDetailOut}, 400, 404, 422), operation_id="create_cycle"
)
def create_cycle(request: HttpRequest, data: CycleIn) -> Status[dict[str, Any]]:
    """A new Impact Cycle, in Identify: a coach starts it with a teacher she coaches now, or
    a teacher with one of her coaches (403 with anyone else)."""
    user = acting_user(request)
    partner = person(request, data.partner)
    coached_by_me = CoachingAssignment.objects.active().filter(coach=user, teacher=partner)
    teacher, coach = (partner, user) if coached_by_me.exists() else (user, partner)
    cycle = services.start_cycle(coach=coach, teacher=teacher, acting_user=user, title=data.title)
    return Status(201, _detail(request, _cycle(request, cycle.uuid)))


@router.get(
    "/cycles/{uuid}", response=responses({200: CycleDetailOut}, 404, 422), operation_id="get_cycle"
)
def get_cycle(request: HttpRequest, uuid: UUID) -> dict[str, Any]:
    """One cycle: its stage and version, the identifying conversation, the strategy, and the
    goal and evidence she may see. The read is logged for the teacher."""
    return _detail(request, _cycle(request, uuid))


class IdentifyingConversationIn(StrictInput):
    lesson_rating: Whole | None = Field(None, description="1 to 10: how close to her ideal.")
    closer_to_ideal: Answer = ""
    students_differently: Answer = ""
    version: Whole = Field(description="The cycle's version the answers began at.")


@router.put(
    "/cycles/{uuid}/conversation",
    response=responses({200: CycleDetailOut}, 400, 404, 409, 422),
    operation_id="save_cycle_conversation",
)
def save_cycle_conversation(
    request: HttpRequest, uuid: UUID, data: IdentifyingConversationIn
) -> dict[str, Any]:
    """The identifying conversation: the teacher's rating of the lesson and her words, which
    seed the goal (the teacher or her coach; 409 if the cycle changed since `version`)."""
    cycle = _partner_cycle(request, uuid)
    saved = _fresh(
        lambda: services.save_conversation(
            cycle=cycle,
            acting_user=acting_user(request),
            lesson_rating=data.lesson_rating,
            closer_to_ideal=data.closer_to_ideal,
            students_differently=data.students_differently,
            expected_version=data.version,
        )
    )
    return _detail(request, _cycle(request, saved.uuid))


class CycleGoalIn(StrictInput):
    statement: Statement
    measure: Measure = ""
    measure_kind: MeasureKindIn = "percentage"
    scale_max: Amount | None = Field(None, description="For a score: the top of the scale.")
    baseline: Amount | None = None
    target: Amount | None = None
    peers: list[Criterion] = Field(default_factory=list, max_length=5)
    version: Whole = Field(0, description="The goal's version; 0 when the cycle has none yet.")


@router.put(
    "/cycles/{uuid}/goal",
    response=responses({200: GoalSummaryOut, 201: GoalSummaryOut}, 400, 404, 409, 422),
    operation_id="set_cycle_goal",
)
def set_cycle_goal(request: HttpRequest, uuid: UUID, data: CycleGoalIn) -> Status[dict[str, Any]]:
    """The cycle's PEERS goal: created (201, `version` 0) or changed (200, the goal's
    `version`; 409 if someone saved it since). A target equal to the baseline, or outside
    the measure's range, is a 400. A goal about the teacher's behaviour is saved, with a
    gentle prompt to refocus on students in `refocus`."""
    user = acting_user(request)
    cycle = _partner_cycle(request, uuid)
    goal = _goal_of(user, cycle)
    common: dict[str, Any] = {
        "statement": data.statement,
        "measure": data.measure,
        "measure_kind": data.measure_kind,
        "scale_max": data.scale_max,
        "baseline": data.baseline,
        "target": data.target,
        "peers": data.peers,
    }

    def save() -> Goal:
        if goal is None:
            if data.version != 0:
                raise services.StaleEdit(
                    _("This cycle's goal was removed since you opened the page.")
                )
            return services.create_goal(author=user, teacher=cycle.teacher, cycle=cycle, **common)
        return services.update_goal(
            goal=goal,
            acting_user=user,
            status=goal.status,
            expected_version=data.version,
            **common,
        )

    saved = _fresh(save)
    return Status(201 if goal is None else 200, _goal_out(saved))


class CycleStrategyIn(StrictInput):
    strategy: Uuid = Field(description="A strategy of the library (GET /strategies).")
    version: Whole = Field(description="The cycle's version the choice began at.")


@router.put(
    "/cycles/{uuid}/strategy",
    response=responses({200: CycleDetailOut}, 400, 404, 409, 422),
    operation_id="choose_cycle_strategy",
)
def choose_cycle_strategy(
    request: HttpRequest, uuid: UUID, data: CycleStrategyIn
) -> dict[str, Any]:
    """Teacher and coach choose the strategy together: its moves become the cycle's
    checklist and the cycle moves to Learn (400 until the goal has a baseline and a target;
    409 if the cycle changed since `version`)."""
    user = acting_user(request)
    cycle = _partner_cycle(request, uuid)
    strategy = Strategy.objects.available_to(user).filter(uuid=data.strategy).first()
    if strategy is None:
        raise ValidationError(_("Choose a strategy from the library."))
    chosen = _fresh(
        lambda: services.choose_strategy(
            cycle=cycle, acting_user=user, strategy=strategy, expected_version=data.version
        )
    )
    return _detail(request, _cycle(request, chosen.uuid))


# Evidence --------------------------------------------------------------------------------


@router.get(
    "/cycles/{uuid}/evidence",
    response=responses({200: list[EvidenceOut]}, 404, 422),
    operation_id="list_cycle_evidence",
)
def list_cycle_evidence(request: HttpRequest, uuid: UUID) -> list[dict[str, Any]]:
    """The cycle's evidence she may see, oldest first (what the teacher added is hers alone
    until she releases it; the coach's reflection waits for the teacher's own)."""
    user = acting_user(request)
    cycle = _cycle(request, uuid)
    rows = list(_visible_evidence(user).filter(cycle=cycle).order_by("created_at", "id"))
    _logged(request, [cycle, *rows])
    return _evidence_out(rows, user)


class EvidenceIn(StrictInput):
    kind: EvidenceKindIn
    title: ShortTitle
    text: EvidenceText = ""
    item: Uuid | None = Field(
        None, description="For a lesson video or observation data: the item's UUID."
    )


@router.post(
    "/cycles/{uuid}/evidence",
    response=responses({201: EvidenceOut}, 400, 404, 422),
    operation_id="add_cycle_evidence",
)
def add_cycle_evidence(
    request: HttpRequest, uuid: UUID, data: EvidenceIn
) -> Status[dict[str, Any]]:
    """A piece of the cycle's picture of reality, by its teacher or its coach: text, or a
    link to one of the teacher's videos or observation sessions she may see. What the
    teacher adds starts held back until she releases it. Files: on the cycle page."""
    user = acting_user(request)
    cycle = _partner_cycle(request, uuid)
    item = None
    if data.item is not None:
        kind_type = registry.kind_of(data.kind)
        if registry.LINK not in kind_type.adds:
            raise ValidationError(_("This kind of evidence does not link to another item."))
        item = kind_type.linkable(user, cycle).filter(uuid=data.item).first()
        if item is None:
            raise ValidationError(_("Choose one of the teacher's items that you may see."))
    row = services.add_evidence(
        cycle=cycle, acting_user=user, kind=data.kind, title=data.title, text=data.text, item=item
    )
    return Status(201, _evidence_out([row], user)[0])


@router.delete(
    "/evidence/{uuid}",
    response=responses({204: None}, 400, 404, 422),
    operation_id="remove_cycle_evidence",
)
def remove_cycle_evidence(request: HttpRequest, uuid: UUID) -> Status[None]:
    """Its author removes a piece of evidence while the cycle is open (its file too)."""
    user = acting_user(request)
    row = get_object_or_404(_visible_evidence(user), uuid=uuid)
    services.remove_evidence(evidence_item=row, acting_user=user)
    return Status(204, None)
