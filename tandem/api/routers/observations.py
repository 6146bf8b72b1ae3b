"""Observation sessions: synced from the offline tools exactly once, read through the policy.

- `sync_observation_session` (PUT, the session's own UUID from the phone): the
  whole recording in one request, stored whole or not at all (`services.sync_session`
  says the rules). 201 the first time, 200 for a replay of what is stored, 409
  for different contents under the same id. The answer names the session, never
  its contents: a replay after the observer lost access reveals nothing.
- Reads are the same door as the pages (`ObservationSession.objects.visible_to`),
  each logged for the teacher when someone else reads (`content.py`).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import AwareDatetime, BeforeValidator, Strict, StringConstraints

from tandem.cycles.models import Goal
from tandem.observations import exports, services
from tandem.observations.measurements import headline_label
from tandem.observations.models import ObservationEvent, ObservationSession
from tandem.observations.tools import (
    INTERVAL_SECONDS,
    LABEL_LENGTH,
    MAX_EVENTS,
    MAX_ITEMS,
    MAX_LABELS,
    MAX_PRESENT,
    SPECS,
)
from tandem.privacy import services as privacy
from tandem.privacy.models import Via

from ..errors import ErrorOut, responses
from ..schemas import EngagementRefOut, PersonOut, SeerOut, StrictInput, Uuid, acting_user
from . import content

router = Router(tags=["observations"])


def _json_text(value: object) -> object:
    # Strict mode refuses a datetime sent as text, the only way JSON sends one.
    if not isinstance(value, str):
        raise ValueError("Input should be a string")
    return value


def _json_integer(value: object) -> object:
    # A JSON number with no fraction is an integer, as JSON Schema says (1.0 is 1);
    # `true` is not 1, and "1" is text.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Input should be a whole number")
    return value


Moment = Annotated[AwareDatetime, Strict(False), BeforeValidator(_json_text)]
# The bounds come before the validator, so the OpenAPI document states them too.
Seq = Annotated[int, Field(ge=1, le=10 * MAX_EVENTS), Strict(False), BeforeValidator(_json_integer)]
Count = Annotated[int, Field(ge=0, le=MAX_PRESENT), Strict(False), BeforeValidator(_json_integer)]
Interval = Annotated[
    int,
    Field(ge=INTERVAL_SECONDS[0], le=INTERVAL_SECONDS[1]),
    Strict(False),
    BeforeValidator(_json_integer),
]
Items = Annotated[int, Field(ge=1, le=MAX_ITEMS), Strict(False), BeforeValidator(_json_integer)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,20}$")]
Detail = Annotated[str, StringConstraints(pattern=r"^[a-z_]{0,20}$")]
Label = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=LABEL_LENGTH, pattern=r"^[^\x00]*$"
    ),
]
Lesson = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200, pattern=r"^[^\x00]*$")
]
ToolName = Literal[
    "time_on_task",
    "responses",
    "praise",
    "questions",
    "talk_time",
    "segments",
    "achievement",
    "custom",
]
assert set(ToolName.__args__) == set(SPECS), "update the Literal"  # type: ignore[attr-defined]


class EventIn(StrictInput):
    """One tap: the phone's id for it, its place, its time and what was tapped."""

    id: Uuid
    seq: Seq
    at: Moment
    kind: Key
    detail: Detail = ""
    value: Count | None = None
    total: Count | None = None


class SettingsIn(StrictInput):
    """The tool's settings: an interval (time on task, interval tools), a number of items
    (student achievement), or a custom tool's name, mode and labels."""

    interval_seconds: Interval | None = None
    items: Items | None = None
    name: (
        Annotated[
            str, StringConstraints(strip_whitespace=True, max_length=100, pattern=r"^[^\x00]*$")
        ]
        | None
    ) = None
    mode: Literal["tally", "interval"] | None = None
    labels: Annotated[list[Label], Field(max_length=MAX_LABELS)] | None = None


class SessionIn(StrictInput):
    """A whole session as the phone recorded it, times by its own clock, with its "now"."""

    tool: ToolName
    teacher: Uuid
    observer: Uuid | None = None
    engagement: Uuid | None = None
    goal: Uuid | None = None
    custom_tool: Uuid | None = None
    lesson: Lesson = ""
    settings: SettingsIn | None = None
    started_at: Moment
    finished_at: Moment
    client_now: Moment
    events: list[EventIn] = Field(max_length=MAX_EVENTS)


class SyncOut(Schema):
    uuid: UUID
    created: bool
    url: str


class GoalRefOut(Schema):
    uuid: UUID
    statement: str


class HeadlineOut(Schema):
    label: str
    value: float | None
    unit: str


class SessionOut(Schema):
    uuid: UUID
    tool: ToolName
    tool_label: str
    teacher: PersonOut
    author: PersonOut
    engagement: EngagementRefOut | None
    goal: GoalRefOut | None
    category: str
    held_back: bool
    lesson: str
    settings: dict[str, Any]
    started_at: datetime.datetime
    finished_at: datetime.datetime
    duration_ms: int
    clock_skew_seconds: int
    headline: HeadlineOut
    created_at: datetime.datetime
    updated_at: datetime.datetime


class FigureOut(Schema):
    key: str
    label: str
    count: int
    part: int | None
    ms: int | None
    percent: float | None
    per_minute: float | None


class SpanOut(Schema):
    key: str
    label: str
    start_ms: int
    end_ms: int


class PointOut(Schema):
    offset_ms: int
    value: int
    total: int
    percent: float | None


class ResultOut(Schema):
    count: int
    figures: list[FigureOut]
    spans: list[SpanOut]
    points: list[PointOut]


class SessionDetailOut(SessionOut):
    result: ResultOut
    who_can_see: list[SeerOut]


class SessionPageOut(Schema):
    items: list[SessionOut]
    count: int


class SessionQuery(content.ContentQuery):
    tool: ToolName | None = None


class GoalLinkIn(StrictInput):
    goal: Uuid | None


def _with_events(sessions: QuerySet[ObservationSession]) -> QuerySet[ObservationSession]:
    return sessions.select_related("goal").prefetch_related(
        Prefetch("events", queryset=ObservationEvent.objects.order_by("seq"))
    )


def _annotate(request: HttpRequest, sessions: list[ObservationSession]) -> None:
    """Each session's headline, and its goal only where the reader may see the goal."""
    goal_ids = {s.goal_id for s in sessions if s.goal_id is not None}
    seen = set(
        Goal.objects.visible_to(acting_user(request))
        .filter(pk__in=goal_ids)
        .values_list("pk", flat=True)
    )
    for session in sessions:
        result = session.result(list(session.events.all()))
        session.tool_label_text = session.tool_label()  # type: ignore[attr-defined]
        session.headline = {  # type: ignore[attr-defined]
            "label": headline_label(session),
            "value": result.headline,
            "unit": SPECS[session.tool].unit,
        }
        session.result_out = result  # type: ignore[attr-defined]
        if session.goal_id not in seen:
            session.goal = None


def _out(session: ObservationSession) -> dict[str, Any]:
    return {
        "uuid": session.uuid,
        "tool": session.tool,
        "tool_label": session.tool_label_text,  # type: ignore[attr-defined]
        "teacher": session.teacher,
        "author": session.author,
        "engagement": session.engagement,
        "goal": session.goal,
        "category": session.category,
        "held_back": session.held_back,
        "lesson": session.lesson,
        "settings": session.settings,
        "started_at": session.started_at,
        "finished_at": session.finished_at,
        "duration_ms": session.duration_ms,
        "clock_skew_seconds": session.clock_skew_seconds,
        "headline": session.headline,  # type: ignore[attr-defined]
        "created_at": session.created_at,
        "updated_at": session.updated_at,
    }


def _result_out(session: ObservationSession) -> dict[str, Any]:
    result = session.result_out  # type: ignore[attr-defined]
    labels = session.kind_labels()
    plain = result.as_dict()
    for figure in plain["figures"]:
        figure["label"] = labels.get(figure["key"], figure["key"])
    for span in plain["spans"]:
        span["label"] = labels.get(span["key"], span["key"])
    return {
        "count": plain["count"],
        "figures": plain["figures"],
        "spans": plain["spans"],
        "points": plain["points"],
    }


@router.put(
    "/observations/sessions/{uuid}",
    response=responses({200: SyncOut, 201: SyncOut, 409: ErrorOut}, 400, 422),
    operation_id="sync_observation_session",
)
def sync_observation_session(request: HttpRequest, uuid: UUID, body: SessionIn) -> Any:
    """Store a session recorded on a phone, whole: 201 the first time, 200 when this very
    recording is stored already (a replay), 409 when another is stored under this id.
    Refused whole (400/403) when it breaks a rule: events out of order or outside the
    session, a finish after the phone's "now", a teacher she does not coach, a closed
    Impact Cycle, settings or taps the tool does not record. The phone's clock is
    reconciled with the server's from `client_now`."""
    recording = services.Recording(
        uuid=uuid,
        tool=body.tool,
        teacher=body.teacher,
        observer=body.observer,
        engagement=body.engagement,
        goal=body.goal,
        custom_tool=body.custom_tool,
        lesson=body.lesson,
        settings=body.settings.model_dump(exclude_none=True) if body.settings else {},
        started_at=body.started_at,
        finished_at=body.finished_at,
        client_now=body.client_now,
        events=[
            services.RecordedEvent(
                id=e.id,
                seq=e.seq,
                at=e.at,
                kind=e.kind,
                detail=e.detail,
                value=e.value,
                total=e.total,
            )
            for e in body.events
        ],
    )
    try:
        synced = services.sync_session(recording=recording, acting_user=acting_user(request))
    except services.SyncConflict as conflict:
        return Status(409, {"detail": str(conflict)})
    answer = {
        "uuid": synced.session.uuid,
        "created": synced.created,
        "url": synced.session.get_absolute_url(),
    }
    return Status(201 if synced.created else 200, answer)


@router.get(
    "/observations/sessions",
    response=responses({200: SessionPageOut}, 422),
    operation_id="list_observation_sessions",
)
def list_observation_sessions(request: HttpRequest, query: Query[SessionQuery]) -> dict:
    """The observation sessions the person may see, latest lesson first, each with its
    headline figure. Each read by someone other than the session's teacher is logged."""
    sessions = _with_events(content.visible(request, ObservationSession)).order_by(
        "-started_at", "-id"
    )
    if query.tool is not None:
        sessions = sessions.filter(tool=query.tool)
    page = content.page_of(request, sessions, query)
    _annotate(request, page["items"])
    return {"items": [_out(s) for s in page["items"]], "count": page["count"]}


@router.get(
    "/observations/sessions/{uuid}",
    response=responses({200: SessionDetailOut}, 404, 422),
    operation_id="get_observation_session",
)
def get_observation_session(request: HttpRequest, uuid: UUID) -> dict:
    """One session: its figures (counts, shares, rates, the timeline or the samples) and
    who can see it and why. The read is logged for the teacher."""
    session = content.read(request, ObservationSession, uuid)
    _annotate(request, [session])
    return {
        **_out(session),
        "result": _result_out(session),
        "who_can_see": [
            {
                "uuid": seer.user.uuid,
                "display_name": seer.user.display_name,
                "role": seer.role,
                "reasons": seer.reasons,
            }
            for seer in privacy.who_can_see(session)
        ],
    }


@router.get(
    "/observations/sessions/{uuid}/events.csv",
    response=responses({200: None}, 404, 422),
    operation_id="get_observation_session_events_csv",
    openapi_extra={
        "responses": {
            200: {
                "description": "The raw events, one row per tap (CSV, UTF-8).",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def get_observation_session_events_csv(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The session's raw events as CSV, one row per tap. The read is logged for the teacher."""
    session = content.item_for(request, ObservationSession, uuid)
    privacy.record_access(
        viewer=acting_user(request), items=[session], via=Via.API, path=request.path
    )
    return exports.events_csv(session)


@router.put(
    "/observations/sessions/{uuid}/goal",
    response=responses({200: SyncOut}, 400, 404, 422),
    operation_id="link_observation_session_goal",
)
def link_observation_session_goal(request: HttpRequest, uuid: UUID, body: GoalLinkIn) -> dict:
    """Make the session's headline figure a measurement of one of the teacher's goals
    (`goal`: null unlinks). Its teacher, its observer and its cycle's coach may."""
    session = content.item_for(request, ObservationSession, uuid)
    services.link_goal(session=session, goal_uuid=body.goal, acting_user=acting_user(request))
    return {"uuid": session.uuid, "created": False, "url": session.get_absolute_url()}
