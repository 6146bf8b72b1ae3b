"""Coaches' check-ins: her series, planning one, a check-in with its agenda's counts,
and action items. The same door as the pages (`CheckInSeries.objects.for_member`): a
series or check-in she is not a member of does not exist (404). The API's agenda holds
counts and de-identified items only; the goals and cycles a coach may see are on the page.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import BeforeValidator, Strict, StrictBool, StringConstraints

from tandem.checkins import agenda, services
from tandem.checkins.models import ActionItem, CheckIn, CheckInSeries, Frequency
from tandem.schools.models import Membership, Role, School
from tandem.schools.roles import request_roles

from ..errors import responses
from ..schemas import Day, PersonOut, SchoolRefOut, StrictInput, Uuid, acting_user

router = Router(tags=["check-ins"])

_NO_NUL = r"^[^\x00]*$"


def _json_string(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("Input should be a string")
    return value


def _json_integer(value: object) -> object:
    # A JSON number with no fraction is an integer (1.0 is 1); `true` is not 1.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("Input should be a whole number")
    return value


Minutes = Annotated[int, Field(ge=5, le=480), Strict(False), BeforeValidator(_json_integer)]
Count = Annotated[int, Field(ge=1, le=500), Strict(False), BeforeValidator(_json_integer)]
FrequencyIn = Annotated[Frequency, Strict(False), BeforeValidator(_json_string)]
# A wall-clock time in the series' zone, "09:00": JSON Schema's "time" format is RFC 3339's,
# which needs a UTC offset, and a local time in a zone with DST has no fixed one.
_CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
ClockTime = Annotated[str, StringConstraints(pattern=_CLOCK)]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120, pattern=_NO_NUL)
]
Place = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=_NO_NUL)]
Zone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64, pattern=_NO_NUL)]
ItemText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=_NO_NUL)
]


class CheckInRefOut(Schema):
    uuid: UUID
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    skipped: bool
    moved: bool


class CheckInSeriesOut(Schema):
    uuid: UUID
    school: SchoolRefOut
    title: str
    time_zone: str
    rrule: str
    first_date: datetime.date
    start_time: Annotated[str, Field(pattern=_CLOCK)]
    duration_minutes: int
    place: str
    leaders_invited: bool
    checkins: list[CheckInRefOut]


class CheckInSeriesIn(StrictInput):
    school: Uuid
    title: Title
    first_date: Day
    start_time: ClockTime
    duration_minutes: Minutes = 45
    frequency: FrequencyIn = Frequency.WEEKLY
    until: Day | None = None
    count: Count | None = None
    time_zone: Zone = ""
    place: Place = ""
    leaders_invited: StrictBool = False


class ActionItemOut(Schema):
    uuid: UUID
    text: str
    owner: PersonOut | None
    due_on: datetime.date | None
    done: bool


class ActionItemIn(StrictInput):
    text: ItemText
    owner: Uuid | None = None
    due_on: Day | None = None


class ActionItemDoneIn(StrictInput):
    done: StrictBool


class AgendaTrendOut(Schema):
    label: str
    teachers: int | None = Field(description="Distinct teachers; null when under 5 (not shown).")


class AgendaFlagOut(Schema):
    roles: list[str]
    resolution: str
    resolved: bool


class CheckInAgendaOut(Schema):
    since: datetime.datetime
    goals_met: int | None = Field(description="Null for a leader when under 5 (not shown).")
    stalled_cycles: int | None = Field(description="Null for a leader when under 5.")
    open_flags: int
    flags: list[AgendaFlagOut]
    measure_trends: list[AgendaTrendOut]
    strategy_trends: list[AgendaTrendOut]
    teachers_with_many_coaches: int | None
    carried_over: list[ActionItemOut]


class CheckInOut(CheckInRefOut):
    series: UUID
    title: str
    notes: str
    attendees: list[PersonOut]
    action_items: list[ActionItemOut]
    agenda: CheckInAgendaOut


def _series_out(series: CheckInSeries) -> dict[str, Any]:
    return {
        "uuid": series.uuid,
        "school": series.school,
        "title": series.title,
        "time_zone": series.time_zone,
        "rrule": series.rrule,
        "first_date": series.first_date,
        "start_time": f"{series.start_time:%H:%M}",
        "duration_minutes": series.duration_minutes,
        "place": series.place,
        "leaders_invited": series.leaders_invited,
        "checkins": list(series.checkins.all()),
    }


def _item_out(item: ActionItem) -> dict[str, Any]:
    return {
        "uuid": item.uuid,
        "text": item.text,
        "owner": item.owner,
        "due_on": item.due_on,
        "done": item.done_at is not None,
    }


def _mine(request: HttpRequest) -> Any:
    return CheckInSeries.objects.for_member(acting_user(request))


@router.get(
    "/checkins/series",
    response=responses({200: list[CheckInSeriesOut]}),
    operation_id="list_checkin_series",
)
def list_checkin_series(request: HttpRequest) -> list[dict[str, Any]]:
    """The check-in series she is a member of, with their dates."""
    found = _mine(request).select_related("school").prefetch_related("checkins")
    return [_series_out(s) for s in found]


@router.post(
    "/checkins/series",
    response=responses({201: CheckInSeriesOut}, 400, 404, 422),
    operation_id="create_checkin_series",
)
def create_checkin_series(request: HttpRequest, body: CheckInSeriesIn) -> Status:
    """Plan a series at a school where she coaches or leads. A rule that never ends or
    gives no dates is a 400; every member gets an e-mail invitation."""
    user = acting_user(request)
    where = Membership.objects.filter(
        user=user,
        district_id=request_roles(request).district,
        role__in=[Role.COACH, Role.SCHOOL_LEADER],
    ).values("school_id")
    school = get_object_or_404(School.objects.filter(pk__in=where), uuid=body.school)
    series = services.create_series(
        acting_user=user,
        school=school,
        title=body.title,
        first_date=body.first_date,
        start_time=datetime.time.fromisoformat(body.start_time),
        duration_minutes=body.duration_minutes,
        frequency=body.frequency.value,
        until=body.until,
        count=body.count,
        time_zone=body.time_zone,
        place=body.place,
        leaders_invited=body.leaders_invited,
    )
    return Status(201, _series_out(series))


def _checkin(request: HttpRequest, uuid: UUID) -> CheckIn:
    return get_object_or_404(
        CheckIn.objects.filter(series__in=_mine(request)).select_related("series__school"),
        uuid=uuid,
    )


@router.get(
    "/checkins/{checkin_uuid}",
    response=responses({200: CheckInOut}, 404, 422),
    operation_id="get_checkin",
)
def get_checkin(request: HttpRequest, checkin_uuid: UUID) -> dict[str, Any]:
    """One check-in: attendance, notes, its action items, and its agenda's counts."""
    checkin = _checkin(request, checkin_uuid)
    prepared = agenda.build(checkin, acting_user(request))
    return {
        "uuid": checkin.uuid,
        "starts_at": checkin.starts_at,
        "ends_at": checkin.ends_at,
        "skipped": checkin.skipped,
        "moved": checkin.moved,
        "series": checkin.series.uuid,
        "title": checkin.series.title,
        "notes": checkin.notes,
        "attendees": list(checkin.attendees.all()),
        "action_items": [_item_out(i) for i in checkin.action_items.select_related("owner")],
        "agenda": {
            "since": prepared.since,
            "goals_met": prepared.goals_met,
            "stalled_cycles": prepared.stalled,
            "open_flags": prepared.open_flags,
            "flags": [
                {"roles": f.roles, "resolution": f.resolution, "resolved": f.resolved}
                for f in prepared.flags
            ],
            "measure_trends": prepared.measure_trends,
            "strategy_trends": prepared.strategy_trends,
            "teachers_with_many_coaches": prepared.many_coaches,
            "carried_over": [_item_out(i) for i in prepared.carried_over],
        },
    }


@router.post(
    "/checkins/{checkin_uuid}/items",
    response=responses({201: ActionItemOut}, 400, 404, 422),
    operation_id="add_checkin_action_item",
)
def add_checkin_action_item(request: HttpRequest, checkin_uuid: UUID, body: ActionItemIn) -> Status:
    """An action item; it carries over to every later check-in until it is done."""
    checkin = _checkin(request, checkin_uuid)
    owner = None
    if body.owner is not None:
        owner = get_object_or_404(checkin.series.members(), uuid=body.owner)
    item = services.add_action_item(
        acting_user=acting_user(request),
        checkin=checkin,
        text=body.text,
        owner=owner,
        due_on=body.due_on,
    )
    return Status(201, _item_out(item))


@router.post(
    "/checkins/items/{item_uuid}/done",
    response=responses({200: ActionItemOut}, 400, 404, 422),
    operation_id="set_checkin_action_item_done",
)
def set_checkin_action_item_done(
    request: HttpRequest, item_uuid: UUID, body: ActionItemDoneIn
) -> dict[str, Any]:
    """Mark an action item done (or not done again)."""
    item = get_object_or_404(
        ActionItem.objects.filter(checkin__series__in=_mine(request)).select_related(
            "checkin__series", "owner"
        ),
        uuid=item_uuid,
    )
    services.set_action_item_done(acting_user=acting_user(request), item=item, done=body.done)
    return _item_out(item)
