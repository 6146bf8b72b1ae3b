"""The raw events of a session as CSV: one row per tap, as the phone recorded it."""

from __future__ import annotations

import csv
import datetime
import io

from django.http import HttpResponse
from django.utils import timezone

from .models import ObservationSession
from .tools import SPECS, Tool

COLUMNS = [
    "session",
    "tool",
    "event_id",
    "seq",
    "seconds_from_start",
    "time",
    "kind",
    "label",
    "detail",
    "value",
    "total",
]


def _cell(value: object) -> str:
    """Text a spreadsheet will not run as a formula (a label may start with "=")."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def events_csv(session: ObservationSession) -> HttpResponse:
    """Every event of the session, in order; times in the time zone in force."""
    labels = session.kind_labels()
    details = {key: str(label) for key, label in SPECS[session.tool].details.items()}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for event in session.events.order_by("seq"):
        moment = timezone.localtime(
            session.started_at + datetime.timedelta(milliseconds=event.offset_ms)
        )
        key = str(event.value) if session.tool == Tool.CUSTOM else event.kind
        writer.writerow(
            [
                _cell(session.uuid),
                _cell(session.tool),
                _cell(event.client_id),
                event.seq,
                f"{event.offset_ms / 1000:.3f}",
                moment.isoformat(timespec="milliseconds"),
                _cell(event.kind),
                _cell(labels.get(key, "")),
                _cell(details.get(event.detail, event.detail)),
                _cell(event.value),
                _cell(event.total),
            ]
        )
    day = timezone.localtime(session.started_at).date().isoformat()
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="observation-{session.tool}-{day}.csv"'
    return response
