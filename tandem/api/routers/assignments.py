"""Who coaches whom: the same services and look-ups as the assignment pages.

An assignment the person is neither part of nor manages does not exist for
her (404); people and schools named by UUID are looked up in her own
district only (404 outside it). What she may *do* with what she can see is
the services' decision (403, or 400 for a rule such as "already answered").
"""

# No `from __future__ import annotations` here: @paginate wraps the view in a function
# of ninja's own module, where ninja would then evaluate our annotations, and fail.
from typing import Literal
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from tandem.schools import services
from tandem.schools.models import CoachingAssignment

from ..errors import responses
from ..schemas import (
    AssignmentOut,
    Day,
    Focus,
    Message,
    SpecialtyIn,
    StrictInput,
    Subject,
    Uuid,
    acting_user,
    person,
    school,
)

router = Router(tags=["assignments"])


class Pages(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 100), bounded so no page is absurd."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=10_000)
        page_size: int = Field(50, ge=1, le=100)


def _assignment(request: HttpRequest, uuid: UUID) -> CoachingAssignment:
    scope = CoachingAssignment.objects.reachable_by(acting_user(request))
    return get_object_or_404(scope.select_related("school", "coach", "teacher"), uuid=uuid)


@router.get(
    "/assignments",
    response=responses({200: list[AssignmentOut]}, 422),
    operation_id="list_assignments",
)
@paginate(Pages)
def list_assignments(
    request: HttpRequest, scope: Literal["mine", "managed"] = Query("mine")
) -> QuerySet[CoachingAssignment]:
    """`mine`: hers as teacher or coach. `managed`: those at schools she leads or
    administers — an empty list for anyone who manages none."""
    user = acting_user(request)
    found = (
        CoachingAssignment.objects.involving(user)
        if scope == "mine"
        else CoachingAssignment.objects.managed_by(user)
    )
    return found.select_related("school", "coach", "teacher").order_by("-starts_on", "pk")


class InvitationIn(StrictInput):
    teacher: Uuid
    specialty: SpecialtyIn
    focus: Focus = ""
    message: Message = ""


@router.post(
    "/assignments/invitations",
    response=responses({201: AssignmentOut}, 400, 404, 422),
    operation_id="invite_teacher",
)
def invite_teacher(request: HttpRequest, data: InvitationIn) -> Status[CoachingAssignment]:
    """A coach invites a teacher of her school to work together; nothing starts until
    the teacher accepts."""
    coach = acting_user(request)
    teacher = person(request, data.teacher)
    assignment = services.invite_teacher(
        coach=coach,
        teacher=teacher,
        school=services.school_for_invitation(coach=coach, teacher=teacher),
        specialty=data.specialty,
        focus=data.focus,
        message=data.message,
    )
    return Status(201, assignment)


class ProposalIn(StrictInput):
    school: Uuid
    coach: Uuid
    teacher: Uuid
    specialty: SpecialtyIn
    subject: Subject = ""
    focus: Focus = ""
    starts_on: Day
    ends_on: Day | None = None


@router.post(
    "/assignments/proposals",
    response=responses({201: AssignmentOut}, 400, 404, 422),
    operation_id="propose_assignment",
)
def propose_assignment(request: HttpRequest, data: ProposalIn) -> Status[CoachingAssignment]:
    """A school leader or district administrator proposes a coach; the teacher decides."""
    assignment = services.propose_assignment(
        acting_user=acting_user(request),
        school=school(request, data.school),
        coach=person(request, data.coach),
        teacher=person(request, data.teacher),
        specialty=data.specialty,
        subject=data.subject,
        focus=data.focus,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
    )
    return Status(201, assignment)


class ResponseIn(StrictInput):
    answer: Literal["accept", "talk_first", "decline"]


@router.post(
    "/assignments/{uuid}/response",
    response=responses({200: AssignmentOut}, 400, 404, 422),
    operation_id="respond_to_assignment",
)
def respond_to_assignment(request: HttpRequest, uuid: UUID, data: ResponseIn) -> CoachingAssignment:
    """The teacher accepts, asks to talk first, or declines; only she may answer."""
    return services.respond_to_assignment(
        assignment=_assignment(request, uuid), teacher=acting_user(request), answer=data.answer
    )


@router.post(
    "/assignments/{uuid}/end",
    response=responses({200: AssignmentOut}, 404, 422),
    operation_id="end_assignment",
)
def end_assignment(request: HttpRequest, uuid: UUID) -> CoachingAssignment:
    """End it today: the coach loses access on the very next request."""
    return services.end_assignment(
        assignment=_assignment(request, uuid), acting_user=acting_user(request)
    )
