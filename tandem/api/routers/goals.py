"""Goals: a teacher's student-focused goals, read and shared through the privacy policy.

The same door as the goal pages (`Goal.objects.visible_to`) and the same
services; see `content.py` for what every kind of coaching content shares.
"""

from __future__ import annotations

import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from tandem.cycles import services
from tandem.cycles.models import Goal, GoalStatus

from ..errors import responses
from ..schemas import (
    Amount,
    AmountOut,
    EngagementRefOut,
    Measure,
    PersonOut,
    SeerOut,
    Statement,
    StrictInput,
    Uuid,
    acting_user,
    person,
)
from . import content

router = Router(tags=["goals"])


class GoalOut(Schema):
    uuid: UUID
    teacher: PersonOut
    author: PersonOut
    engagement: EngagementRefOut | None
    category: str
    held_back: bool
    statement: str
    measure: str
    baseline: AmountOut | None
    target: AmountOut | None
    status: GoalStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime


class GoalDetailOut(GoalOut):
    who_can_see: list[SeerOut]


class GoalPageOut(Schema):
    items: list[GoalOut]
    count: int


@router.get("/goals", response=responses({200: GoalPageOut}, 422), operation_id="list_goals")
def list_goals(request: HttpRequest, query: Query[content.ContentQuery]) -> dict:
    """The goals the person may see, newest first: her own, and those of the teachers she
    coaches that the privacy rules give her. Each read by someone other than the goal's
    teacher is logged for the teacher."""
    goals = content.visible(request, Goal).order_by("-created_at", "-id")
    return content.page_of(request, goals, query)


class GoalIn(StrictInput):
    teacher: Uuid
    engagement: Uuid | None = None
    statement: Statement
    measure: Measure = ""
    baseline: Amount | None = None
    target: Amount | None = None


@router.post(
    "/goals", response=responses({201: GoalDetailOut}, 400, 404, 422), operation_id="create_goal"
)
def create_goal(request: HttpRequest, data: GoalIn) -> Status[Goal]:
    """A goal of the teacher's, set by herself or by a coach who coaches her now (403 for
    anyone else); optionally in open coaching work the author leads or is coached in."""
    goal = services.create_goal(
        author=acting_user(request),
        teacher=person(request, data.teacher),
        engagement=content.engagement_for(request, data.engagement),
        statement=data.statement,
        measure=data.measure,
        baseline=data.baseline,
        target=data.target,
    )
    return Status(201, content.with_seers(goal))


@router.get(
    "/goals/{uuid}", response=responses({200: GoalDetailOut}, 404, 422), operation_id="get_goal"
)
def get_goal(request: HttpRequest, uuid: UUID) -> Goal:
    """One goal, and who can see it and why. The read is logged for the teacher."""
    return content.read(request, Goal, uuid)


@router.put(
    "/goals/{uuid}/shares/{coach_uuid}",
    response=responses({204: None}, 400, 404, 422),
    operation_id="share_goal",
)
def share_goal(request: HttpRequest, uuid: UUID, coach_uuid: UUID) -> Status[None]:
    """The teacher shares this goal with one of her coaches (400 if he is not one now)."""
    content.share(request, Goal, uuid, coach_uuid)
    return Status(204, None)


@router.delete(
    "/goals/{uuid}/shares/{coach_uuid}",
    response=responses({204: None}, 404, 422),
    operation_id="unshare_goal",
)
def unshare_goal(request: HttpRequest, uuid: UUID, coach_uuid: UUID) -> Status[None]:
    """The teacher stops sharing this goal with him: he no longer sees it through this share
    from his very next request."""
    content.unshare(request, Goal, uuid, coach_uuid)
    return Status(204, None)


@router.post(
    "/goals/{uuid}/hold-back",
    response=responses({204: None}, 400, 404, 422),
    operation_id="hold_back_goal",
)
def hold_back_goal(request: HttpRequest, uuid: UUID) -> Status[None]:
    """The teacher keeps a goal she set to herself, whatever the shares."""
    content.hold_back(request, Goal, uuid, held=True)
    return Status(204, None)


@router.post(
    "/goals/{uuid}/release",
    response=responses({204: None}, 400, 404, 422),
    operation_id="release_goal",
)
def release_goal(request: HttpRequest, uuid: UUID) -> Status[None]:
    """The teacher releases a goal she held back: her shares apply to it again."""
    content.hold_back(request, Goal, uuid, held=False)
    return Status(204, None)
