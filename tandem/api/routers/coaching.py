"""Coaching sessions, suggestions and the person's notifications.

The same door as the coaching pages (`visible_to`) and the same services; see
`content.py` for what every kind of coaching content shares. A session's .ics
is left to its page (`/coaching/sessions/<uuid>/invite.ics`, the browser
session): a calendar client subscribes to feeds, not to a JSON API, and the
per-person calendar feed with its own secret URL comes with the coaching-team
work (issue 8). Notifications are the person's own; they name no coaching
content, and their links are checked again when opened.
"""

from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import AwareDatetime, BeforeValidator, Strict, StringConstraints

from tandem.coaching import services
from tandem.coaching.models import (
    CoachingSession,
    SessionKind,
    SessionStatus,
    Suggestion,
    SuggestionStatus,
)
from tandem.notifications import services as notifications
from tandem.notifications.models import Notification

from ..errors import responses
from ..schemas import (
    EngagementRefOut,
    NoteBody,
    PageIn,
    PersonOut,
    SeerOut,
    StrictInput,
    Uuid,
    acting_user,
    person,
)
from . import content

router = Router(tags=["coaching"])


def _json_string(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("Input should be a string")
    return value


def _json_integer(value: object) -> object:
    # A JSON number with no fraction is an integer, as JSON Schema says (45.0 is 45);
    # `true` is not 1, and "45" is text.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Input should be a whole number")
    return value


_NO_NUL = r"^[^\x00]*$"
Moment = Annotated[AwareDatetime, Strict(False), BeforeValidator(_json_string)]
KindIn = Annotated[SessionKind, Strict(False), BeforeValidator(_json_string)]
StatusIn = Annotated[SuggestionStatus, Strict(False), BeforeValidator(_json_string)]
Place = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=_NO_NUL)]
Notes = Annotated[str, StringConstraints(max_length=20_000, pattern=_NO_NUL)]
Minutes = Annotated[int, Field(ge=5, le=600), Strict(False), BeforeValidator(_json_integer)]


class CoachingSessionOut(Schema):
    uuid: UUID
    teacher: PersonOut
    coach: PersonOut
    author: PersonOut
    engagement: EngagementRefOut | None
    held_back: bool
    kind: SessionKind
    status: SessionStatus
    starts_at: datetime.datetime
    duration_minutes: int
    place: str
    notes: str
    sequence: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class CoachingSessionDetailOut(CoachingSessionOut):
    who_can_see: list[SeerOut]


class CoachingSessionPageOut(Schema):
    items: list[CoachingSessionOut]
    count: int


@router.get(
    "/coaching/sessions",
    response=responses({200: CoachingSessionPageOut}, 422),
    operation_id="list_coaching_sessions",
)
def list_coaching_sessions(request: HttpRequest, query: Query[content.ContentQuery]) -> dict:
    """The coaching sessions the person may see, latest first. Reads by someone other than
    the session's teacher are logged for the teacher."""
    found = content.visible(request, CoachingSession).select_related("coach")
    return content.page_of(request, found.order_by("-starts_at", "-id"), query)


class CoachingSessionIn(StrictInput):
    teacher: Uuid
    coach: Uuid
    engagement: Uuid | None = None
    kind: KindIn
    starts_at: Moment
    duration_minutes: Minutes = 45
    place: Place = ""


@router.post(
    "/coaching/sessions",
    response=responses({201: CoachingSessionDetailOut}, 400, 404, 422),
    operation_id="create_coaching_session",
)
def create_coaching_session(
    request: HttpRequest, data: CoachingSessionIn
) -> Status[CoachingSession]:
    """Plan a session of the teacher with one of her active coaches; the person is one of
    the two (403 otherwise). The other gets an invitation (.ics, no coaching content)."""
    session = services.schedule_session(
        acting_user=acting_user(request),
        teacher=person(request, data.teacher),
        coach=person(request, data.coach),
        kind=data.kind,
        starts_at=data.starts_at,
        duration_minutes=data.duration_minutes,
        place=data.place,
        engagement=content.engagement_for(request, data.engagement),
    )
    return Status(201, content.with_seers(session))


@router.get(
    "/coaching/sessions/{uuid}",
    response=responses({200: CoachingSessionDetailOut}, 404, 422),
    operation_id="get_coaching_session",
)
def get_coaching_session(request: HttpRequest, uuid: UUID) -> CoachingSession:
    """One session, and who can see it and why. The read is logged for the teacher."""
    return content.read(request, CoachingSession, uuid)


class RescheduleIn(StrictInput):
    starts_at: Moment
    duration_minutes: Minutes
    place: Place = ""


@router.put(
    "/coaching/sessions/{uuid}",
    response=responses({200: CoachingSessionOut}, 400, 404, 422),
    operation_id="update_coaching_session",
)
def update_coaching_session(
    request: HttpRequest, uuid: UUID, data: RescheduleIn
) -> CoachingSession:
    """Move a scheduled session (its teacher, coach or author): SEQUENCE rises and the other
    person gets the updated invitation."""
    return services.reschedule_session(
        session=content.item_for(request, CoachingSession, uuid),
        acting_user=acting_user(request),
        starts_at=data.starts_at,
        duration_minutes=data.duration_minutes,
        place=data.place,
    )


class HeldIn(StrictInput):
    notes: Notes = ""


@router.post(
    "/coaching/sessions/{uuid}/held",
    response=responses({200: CoachingSessionOut}, 400, 404, 422),
    operation_id="record_coaching_session_held",
)
def record_coaching_session_held(request: HttpRequest, uuid: UUID, data: HeldIn) -> CoachingSession:
    """The session took place, with its notes; 400 for a session that has not started."""
    return services.record_held(
        session=content.item_for(request, CoachingSession, uuid),
        acting_user=acting_user(request),
        notes=data.notes,
    )


@router.post(
    "/coaching/sessions/{uuid}/cancel",
    response=responses({200: CoachingSessionOut}, 400, 404, 422),
    operation_id="cancel_coaching_session",
)
def cancel_coaching_session(request: HttpRequest, uuid: UUID) -> CoachingSession:
    """Call a scheduled session off; the other person gets the cancellation (.ics)."""
    return services.cancel_session(
        session=content.item_for(request, CoachingSession, uuid), acting_user=acting_user(request)
    )


# Suggestions ----------------------------------------------------------------------------


class CoachingSessionRefOut(Schema):
    uuid: UUID
    starts_at: datetime.datetime


class SuggestionOut(Schema):
    uuid: UUID
    teacher: PersonOut
    author: PersonOut
    engagement: EngagementRefOut | None
    session: CoachingSessionRefOut | None
    held_back: bool
    text: str
    given_on: datetime.date
    status: SuggestionStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime


class SuggestionDetailOut(SuggestionOut):
    who_can_see: list[SeerOut]


class SuggestionPageOut(Schema):
    items: list[SuggestionOut]
    count: int


@router.get(
    "/suggestions",
    response=responses({200: SuggestionPageOut}, 422),
    operation_id="list_suggestions",
)
def list_suggestions(request: HttpRequest, query: Query[content.ContentQuery]) -> dict:
    """The suggestions the person may see, newest first: a teacher's from all her coaches,
    a coach's own and those the privacy rules give her."""
    found = content.visible(request, Suggestion).select_related("session")
    return content.page_of(request, found.order_by("-given_on", "-created_at", "-id"), query)


class SuggestionIn(StrictInput):
    teacher: Uuid
    engagement: Uuid | None = None
    session: Uuid | None = None
    text: NoteBody = Field(max_length=2000)


@router.post(
    "/suggestions",
    response=responses({201: SuggestionDetailOut}, 400, 404, 422),
    operation_id="create_suggestion",
)
def create_suggestion(request: HttpRequest, data: SuggestionIn) -> Status[Suggestion]:
    """A coach's suggestion or next step to a teacher she coaches now (403 for anyone else);
    `session` names a session of theirs she may see."""
    session = content.item_for(request, CoachingSession, data.session) if data.session else None
    made = services.give_suggestion(
        coach=acting_user(request),
        teacher=person(request, data.teacher),
        text=data.text,
        engagement=content.engagement_for(request, data.engagement),
        session=session,
    )
    return Status(201, content.with_seers(made))


@router.get(
    "/suggestions/{uuid}",
    response=responses({200: SuggestionDetailOut}, 404, 422),
    operation_id="get_suggestion",
)
def get_suggestion(request: HttpRequest, uuid: UUID) -> Suggestion:
    """One suggestion, and who can see it and why. The read is logged for the teacher."""
    return content.read(request, Suggestion, uuid)


class SuggestionStatusIn(StrictInput):
    status: StatusIn


@router.put(
    "/suggestions/{uuid}/status",
    response=responses({200: SuggestionOut}, 400, 404, 422),
    operation_id="set_suggestion_status",
)
def set_suggestion_status(request: HttpRequest, uuid: UUID, data: SuggestionStatusIn) -> Suggestion:
    """The teacher says where she is with it: open, trying, done, set aside (403 for others)."""
    return services.set_suggestion_status(
        suggestion=content.item_for(request, Suggestion, uuid),
        acting_user=acting_user(request),
        status=data.status,
    )


# Notifications --------------------------------------------------------------------------


class NotificationOut(Schema):
    uuid: UUID
    text: str
    url: str
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class NotificationPageOut(Schema):
    items: list[NotificationOut]
    count: int
    unread: int


@router.get(
    "/notifications",
    response=responses({200: NotificationPageOut}, 422),
    operation_id="list_notifications",
)
def list_notifications(request: HttpRequest, query: Query[PageIn]) -> dict:
    """Her notifications, newest first, and how many are unread. Listing reads none."""
    mine = Notification.objects.for_user(acting_user(request))
    start = (query.page - 1) * query.page_size
    return {
        "items": list(mine[start : start + query.page_size]),
        "count": mine.count(),
        "unread": mine.unread().count(),
    }


@router.post(
    "/notifications/{uuid}/read",
    response=responses({204: None}, 404, 422),
    operation_id="mark_notification_read",
)
def mark_notification_read(request: HttpRequest, uuid: UUID) -> Status[None]:
    """Mark one of her notifications read; anyone else's does not exist (404)."""
    user = acting_user(request)
    found = get_object_or_404(Notification.objects.for_user(user), uuid=uuid)
    notifications.mark_read(user=user, ids=[found.pk])
    return Status(204, None)


@router.post(
    "/notifications/read",
    response=responses({204: None}),
    operation_id="mark_all_notifications_read",
)
def mark_all_notifications_read(request: HttpRequest) -> Status[None]:
    """Mark all her notifications read."""
    notifications.mark_read(user=acting_user(request))
    return Status(204, None)
