"""Observation results as measurements of a goal: the interface the goal chart reads.

A session linked to a goal (`services.link_goal`, or `goal` in the sync) gives
that goal one measurement: the session's headline figure (students' share of
the talk, % engaged, responses per minute …) on the day of the lesson.

Assumed interface (the Impact Cycle work adds goal measurements and the goal
chart; this is what it can call, and all it needs to know of observations):

    measurements.for_goal(goal, viewer) -> list[ObservationMeasurement]

oldest first, only sessions the viewer may see (`visible_to`), one query for
the sessions and one for their events. Nothing is stored twice: when a
`Measurement` model lands, it can either call this when drawing the chart, or
keep a row per linked session whose value is read from here.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.cycles.models import Goal

from .models import ObservationEvent, ObservationSession
from .tools import SPECS, Tool


@dataclass(frozen=True)
class ObservationMeasurement:
    """One session's headline figure, as a measurement of the goal it is linked to."""

    session_uuid: uuid.UUID
    taken_on: datetime.date  # the lesson's day, in the time zone in force (the district's)
    value: Decimal
    unit: str  # "%", "/min" or ":1"
    label: str  # what was measured: "Talk time: students' share of the talk"
    url: str


def headline_label(session: ObservationSession) -> str:
    """What a session's headline figure measures, in the reader's language."""
    spec = SPECS[session.tool]
    if session.tool == Tool.CUSTOM:
        labels = session.settings.get("labels") or [""]
        return _("%(tool)s: share of “%(label)s”") % {
            "tool": session.tool_label(),
            "label": labels[0],
        }
    return f"{session.tool_label()}: {spec.headline}"


def for_goal(goal: Goal, viewer: Any) -> list[ObservationMeasurement]:
    """The measurements the viewer may see of this goal, oldest first."""
    sessions = (
        ObservationSession.objects.visible_to(viewer)
        .filter(goal=goal)
        .order_by("started_at", "id")
        .prefetch_related(Prefetch("events", queryset=ObservationEvent.objects.order_by("seq")))
    )
    found = []
    for session in sessions:
        value = session.result(list(session.events.all())).headline
        if value is None:
            continue
        found.append(
            ObservationMeasurement(
                session_uuid=session.uuid,
                taken_on=timezone.localtime(session.started_at).date(),
                value=value,
                unit=SPECS[session.tool].unit,
                label=headline_label(session),
                url=session.get_absolute_url(),
            )
        )
    return found
