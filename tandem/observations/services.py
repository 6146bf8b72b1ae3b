"""Writes for observations: a session synced from a phone (exactly once), a goal linked.

`sync_session` is the one way a session enters Tandem. It takes the whole
recording — header and every event — and stores it whole or not at all.
Replays are safe: the session's UUID and each event's id come from the phone,
and a replay of what is stored answers "already saved" without writing.

Rules (docs/architecture.md, "Observations", says them for people):
- Order: events are ordered by `seq`, the phone's tap counter; the order they
  arrive in does not matter. Their times must not go back along `seq` (the
  phone's clock went back mid-lesson): refused, nothing saved.
- Every event lies between the start and the finish, the finish is not after
  the moment the phone sent the sync, and a session lasts at most six hours.
- Clock skew: the phone sends its clock's "now"; when it differs from the
  server's by more than a minute, the session's times are moved by the
  difference (in whole seconds). Within a minute the phone is trusted: the
  gap is mostly the network's. Durations and events' offsets never move.
- The observer is the person syncing; she records only of herself or of a
  teacher she actively coaches; an Impact Cycle must be the teacher's, led by
  her (or the teacher's own), and open; a goal must be the teacher's and one
  she can see.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.cycles.models import Goal
from tandem.privacy.authoring import check_author
from tandem.privacy.categories import Category
from tandem.schools.models import Engagement

from .models import CustomTool, ObservationEvent, ObservationSession
from .tools import (
    INTERVAL_SECONDS,
    LABEL_LENGTH,
    MAX_DURATION_MS,
    MAX_EVENTS,
    MAX_ITEMS,
    MAX_LABELS,
    MAX_PRESENT,
    SPECS,
    Mode,
    Tool,
)

# Within this, the phone's clock is trusted (the rest is the network's delay).
SKEW_TOLERANCE = datetime.timedelta(seconds=60)
# Beyond this, the phone's date is wrong, not a little off: set it, then sync again.
SKEW_LIMIT = datetime.timedelta(days=366)
EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(3000, 1, 1, tzinfo=datetime.UTC)


class SyncConflict(Exception):
    """A session with this id is stored already, with other contents (HTTP 409)."""


@dataclass(frozen=True)
class RecordedEvent:
    id: UUID
    seq: int
    at: datetime.datetime
    kind: str
    detail: str = ""
    value: int | None = None
    total: int | None = None


@dataclass(frozen=True)
class Recording:
    """A whole session as the phone recorded it; times by the phone's clock."""

    uuid: UUID
    tool: str
    teacher: UUID
    started_at: datetime.datetime
    finished_at: datetime.datetime
    client_now: datetime.datetime
    events: list[RecordedEvent] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    observer: UUID | None = None
    engagement: UUID | None = None
    goal: UUID | None = None
    custom_tool: UUID | None = None
    lesson: str = ""


@dataclass(frozen=True)
class Synced:
    session: ObservationSession
    created: bool


def _not_yours() -> PermissionDenied:
    return PermissionDenied(
        _("You can record observations only of yourself or of a teacher you coach right now.")
    )


def sync_session(
    *, recording: Recording, acting_user: User, now: datetime.datetime | None = None
) -> Synced:
    """Store a recorded session exactly once: created, already stored, or refused whole."""
    now = now or timezone.now()
    author_district = acting_user.district_id
    if author_district is None:
        raise _not_yours()
    if recording.observer is not None and recording.observer != acting_user.uuid:
        raise PermissionDenied(
            _(
                "This observation was recorded by someone else signed in on this device: "
                "it syncs when they sign in again."
            )
        )
    events = _events_in_order(recording)
    digest = _digest(recording, events)
    stored = _replay(recording, acting_user, digest)
    if stored is not None:
        return Synced(stored, created=False)
    _check_settings(recording.tool, recording.settings)
    _check_events(recording, events)
    _check_times(recording, events, now)
    with transaction.atomic():
        teacher, engagement, goal, custom_tool = _resolve(recording, acting_user)
        skew = now - recording.client_now
        shift = (
            datetime.timedelta(seconds=round(skew.total_seconds()))
            if abs(skew) > SKEW_TOLERANCE
            else datetime.timedelta(0)
        )
        try:
            with transaction.atomic():
                session = ObservationSession.objects.create(
                    uuid=recording.uuid,
                    district_id=author_district,
                    teacher=teacher,
                    author=acting_user,
                    category=Category.EVIDENCE,
                    engagement=engagement,
                    goal=goal,
                    tool=recording.tool,
                    custom_tool=custom_tool,
                    settings=recording.settings,
                    lesson=recording.lesson,
                    started_at=recording.started_at + shift,
                    finished_at=recording.finished_at + shift,
                    client_started_at=recording.started_at,
                    clock_skew_seconds=int(shift.total_seconds()),
                    synced_at=now,
                    created_at=now,
                    updated_at=now,
                    digest=digest,
                )
        except IntegrityError:
            # The same session, synced at the same moment from another tab: it won.
            stored = _replay(recording, acting_user, digest)
            if stored is None:  # pragma: no cover — the row that won was removed at once
                raise
            return Synced(stored, created=False)
        ObservationEvent.objects.bulk_create(
            [
                ObservationEvent(
                    district_id=session.district_id,
                    session=session,
                    client_id=e.id,
                    seq=e.seq,
                    offset_ms=_ms(e.at - recording.started_at),
                    kind=e.kind,
                    detail=e.detail,
                    value=e.value,
                    total=e.total,
                )
                for e in events
            ]
        )
    return Synced(session, created=True)


def _ms(delta: datetime.timedelta) -> int:
    return delta // datetime.timedelta(milliseconds=1)


def _replay(recording: Recording, acting_user: User, digest: str) -> ObservationSession | None:
    """The stored session this sync repeats, if any; a different one with its id conflicts."""
    stored = ObservationSession.objects.filter(uuid=recording.uuid).first()
    if stored is None:
        return None
    if stored.author_id != acting_user.pk or stored.digest != digest:
        raise SyncConflict(
            _(
                "A different observation was saved under this id already. Nothing was "
                "changed; keep the one on this phone or discard it."
            )
        )
    return stored


def _events_in_order(recording: Recording) -> list[RecordedEvent]:
    """The events by `seq`, each id once; a repeated id must repeat the same event."""
    if len(recording.events) > MAX_EVENTS:
        raise ValidationError(
            _("A session holds at most %(n)s events. Nothing was saved.") % {"n": MAX_EVENTS}
        )
    by_id: dict[UUID, RecordedEvent] = {}
    for event in recording.events:
        seen = by_id.setdefault(event.id, event)
        if seen != event:
            raise ValidationError(
                _("Two different events share the id %(id)s. Nothing was saved.") % {"id": event.id}
            )
    events = sorted(by_id.values(), key=lambda e: e.seq)
    for before, after in itertools.pairwise(events):
        if before.seq == after.seq:
            raise ValidationError(
                _("Two events are number %(n)s. Nothing was saved.") % {"n": after.seq}
            )
        if after.at < before.at:
            raise ValidationError(
                _(
                    "Event %(n)s was recorded before the one ahead of it: the device's clock "
                    "went back during the session. Nothing was saved."
                )
                % {"n": after.seq}
            )
    return events


def _digest(recording: Recording, events: list[RecordedEvent]) -> str:
    """The recording's fingerprint, from the phone's own values (not its clock's "now")."""

    def when(moment: datetime.datetime) -> str:
        return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")

    canonical = {
        "tool": recording.tool,
        "teacher": str(recording.teacher),
        "engagement": str(recording.engagement or ""),
        "goal": str(recording.goal or ""),
        "custom_tool": str(recording.custom_tool or ""),
        "lesson": recording.lesson,
        "settings": recording.settings,
        "started_at": when(recording.started_at),
        "finished_at": when(recording.finished_at),
        "events": [
            [str(e.id), e.seq, when(e.at), e.kind, e.detail, e.value, e.total] for e in events
        ],
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _bad_settings() -> ValidationError:
    return ValidationError(_("The tool's settings are not valid. Nothing was saved."))


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _check_settings(tool: str, settings: dict[str, Any]) -> None:
    if tool not in Tool.values:
        raise ValidationError(_("Choose one of the tools."))
    allowed: set[str] = set()
    if tool == Tool.TIME_ON_TASK:
        allowed = {"interval_seconds"}
        if not _whole(settings.get("interval_seconds"), *INTERVAL_SECONDS):
            raise _bad_settings()
    elif tool == Tool.ACHIEVEMENT:
        allowed = {"items"}
        if not _whole(settings.get("items"), 1, MAX_ITEMS):
            raise _bad_settings()
    elif tool == Tool.CUSTOM:
        allowed = {"name", "mode", "labels", "interval_seconds"}
        name, mode, labels = settings.get("name"), settings.get("mode"), settings.get("labels")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 100:
            raise _bad_settings()
        if mode not in Mode.values or not isinstance(labels, list):
            raise _bad_settings()
        if not 1 <= len(labels) <= MAX_LABELS or len(set(labels)) != len(labels):
            raise _bad_settings()
        if not all(isinstance(x, str) and 1 <= len(x.strip()) <= LABEL_LENGTH for x in labels):
            raise _bad_settings()
        interval = settings.get("interval_seconds")
        if mode == Mode.INTERVAL and not _whole(interval, *INTERVAL_SECONDS):
            raise _bad_settings()
        if mode == Mode.TALLY and interval is not None:
            raise _bad_settings()
    if set(settings) - allowed:
        raise _bad_settings()


def _check_events(recording: Recording, events: list[RecordedEvent]) -> None:
    tool, settings = recording.tool, recording.settings
    spec = SPECS[tool]
    for e in events:
        if tool == Tool.TIME_ON_TASK:
            fits = (
                e.kind == "sample"
                and not e.detail
                and _whole(e.total, 1, MAX_PRESENT)
                and _whole(e.value, 0, e.total or 0)
            )
        elif tool == Tool.ACHIEVEMENT:
            fits = (
                e.kind in spec.kinds
                and not e.detail
                and e.total is None
                and _whole(e.value, 1, settings["items"])
            )
        elif tool == Tool.CUSTOM:
            fits = (
                e.kind == settings["mode"]
                and not e.detail
                and e.total is None
                and _whole(e.value, 1, len(settings["labels"]))
            )
        else:
            fits = (
                e.kind in spec.kinds
                and (e.detail in spec.details if spec.details else not e.detail)
                and e.value is None
                and e.total is None
            )
        if not fits:
            raise ValidationError(
                _("Event %(n)s is not something the %(tool)s tool records. Nothing was saved.")
                % {"n": e.seq, "tool": str(Tool(tool).label).lower()}
            )


def _check_times(recording: Recording, events: list[RecordedEvent], now: datetime.datetime) -> None:
    start, finish = recording.started_at, recording.finished_at
    moments = [start, finish, recording.client_now]
    if (
        not all(EARLIEST <= m < LATEST for m in moments)
        or abs(now - recording.client_now) > SKEW_LIMIT
    ):
        raise ValidationError(
            _(
                "The device's date is more than a year off. Set its date and time, "
                "then sync again. Nothing was saved."
            )
        )
    if finish < start:
        raise ValidationError(_("The session finishes before it starts. Nothing was saved."))
    if _ms(finish - start) > MAX_DURATION_MS:
        raise ValidationError(_("A session lasts at most six hours. Nothing was saved."))
    if recording.client_now < finish:
        raise ValidationError(
            _("The session finishes after the moment it was sent. Nothing was saved.")
        )
    for e in events:
        if not start <= e.at <= finish:
            raise ValidationError(
                _("Event %(n)s lies outside the session's start and finish. Nothing was saved.")
                % {"n": e.seq}
            )


def _resolve(
    recording: Recording, author: User
) -> tuple[User, Engagement | None, Goal | None, CustomTool | None]:
    """The teacher, cycle, goal and custom tool the recording names, each checked."""
    district = author.district_id or 0
    teacher = User.objects.filter(
        district_id=district, uuid=recording.teacher, is_active=True
    ).first()
    if teacher is None:
        raise _not_yours()
    engagement = None
    if recording.engagement is not None:
        engagement = Engagement.objects.filter(
            district_id=district, uuid=recording.engagement
        ).first()
        if engagement is None:
            raise ValidationError(_("That coaching work is not this teacher's."))
    try:
        check_author(author=author, teacher=teacher, engagement=engagement)
    except PermissionDenied as denied:
        raise _not_yours() from denied
    if engagement is not None:
        _check_open(engagement)
    goal = None
    if recording.goal is not None:
        goal = _goal_for(recording.goal, teacher=teacher, acting_user=author)
    custom_tool = None
    if recording.custom_tool is not None:
        custom_tool = CustomTool.objects.of(author).filter(uuid=recording.custom_tool).first()
        if custom_tool is None or recording.tool != Tool.CUSTOM:
            raise ValidationError(_("That custom tool is not one of yours."))
    return teacher, engagement, goal, custom_tool


def _check_open(engagement: Engagement) -> None:
    if engagement.closed_on is not None:
        raise ValidationError(
            _(
                "“%(title)s” was closed on %(date)s: nothing more can be added to it. "
                "Save the observation without it, or link it to an open cycle."
            )
            % {
                "title": engagement.title,
                "date": formats.date_format(engagement.closed_on, "DATE_FORMAT"),
            }
        )


def _goal_for(goal_uuid: UUID, *, teacher: User, acting_user: User) -> Goal:
    goal = (
        Goal.objects.visible_to(acting_user)
        .filter(uuid=goal_uuid, teacher=teacher)
        .select_related("engagement")
        .first()
    )
    if goal is None:
        raise ValidationError(_("That goal is not one of this teacher's goals that you can see."))
    if goal.engagement is not None:
        _check_open(goal.engagement)
    return goal


@transaction.atomic
def link_goal(
    *, session: ObservationSession, goal_uuid: UUID | None, acting_user: User
) -> ObservationSession:
    """Make the session's result a measurement of one of the teacher's goals (or of none)."""
    if not session.can_change(acting_user):
        raise PermissionDenied
    goal = None
    if goal_uuid is not None:
        goal = _goal_for(goal_uuid, teacher=session.teacher, acting_user=acting_user)
    session.goal = goal
    session.updated_at = timezone.now()
    session.save(update_fields=["goal", "updated_at"])
    return session


@transaction.atomic
def define_custom_tool(
    *,
    owner: User,
    name: str,
    mode: str,
    labels: list[str],
    interval_seconds: int | None = None,
) -> CustomTool:
    """A tally or interval tool of her own."""
    if owner.district_id is None:
        raise PermissionDenied
    labels = [label.strip() for label in labels if label.strip()]
    settings: dict[str, Any] = {"name": name.strip(), "mode": mode, "labels": labels}
    if mode == Mode.INTERVAL:
        settings["interval_seconds"] = interval_seconds
    try:
        _check_settings(Tool.CUSTOM, settings)
    except ValidationError as error:
        raise ValidationError(
            _(
                "Give the tool a name, one to %(n)s different labels of at most %(length)s "
                "characters, and for an interval tool an interval of 5 to 900 seconds."
            )
            % {"n": MAX_LABELS, "length": LABEL_LENGTH}
        ) from error
    return CustomTool.objects.create(
        district_id=owner.district_id,
        owner=owner,
        name=settings["name"],
        mode=mode,
        labels=labels,
        interval_seconds=interval_seconds if mode == Mode.INTERVAL else None,
    )
