"""Sessions for tests: random recordings of any tool, and the API payload of one.

`random_case` draws a plausible session (the taps a phone would record);
`payload` turns it into the body the offline tools PUT to the API.
"""

from __future__ import annotations

import datetime
import random
import uuid
from typing import Any

from tandem.observations.results import Tap
from tandem.observations.tools import SPECS, Tool

START = datetime.datetime(2026, 3, 4, 9, 15, tzinfo=datetime.UTC)


def settings_for(tool: str, rng: random.Random) -> dict[str, Any]:
    if tool == Tool.TIME_ON_TASK:
        return {"interval_seconds": rng.choice([15, 30, 60])}
    if tool == Tool.ACHIEVEMENT:
        return {"items": rng.randint(1, 6)}
    if tool == Tool.CUSTOM:
        labels = rng.sample(
            ["On task", "Off task", "Asking", "Helping", "Waiting"], rng.randint(1, 4)
        )
        if rng.random() < 0.5:
            return {"name": "Group work", "mode": "tally", "labels": labels}
        return {"name": "Group work", "mode": "interval", "labels": labels, "interval_seconds": 20}
    return {}


def tap_fields(tool: str, settings: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """What one tap of this tool records: kind, and detail/value/total where it has them."""
    spec = SPECS[tool]
    if tool == Tool.TIME_ON_TASK:
        present = rng.randint(1, 32)
        return {"kind": "sample", "value": rng.randint(0, present), "total": present}
    if tool == Tool.ACHIEVEMENT:
        return {"kind": rng.choice(list(spec.kinds)), "value": rng.randint(1, settings["items"])}
    if tool == Tool.CUSTOM:
        return {"kind": settings["mode"], "value": rng.randint(1, len(settings["labels"]))}
    if tool == Tool.QUESTIONS:
        return {"kind": rng.choice(list(spec.kinds)), "detail": rng.choice(list(spec.details))}
    return {"kind": rng.choice(list(spec.kinds))}


def random_case(rng: random.Random, tool: str, max_events: int = 40) -> dict[str, Any]:
    settings = settings_for(tool, rng)
    duration = rng.randint(1, 30 * 60) * 1000 + rng.randint(0, 999)
    offsets = sorted(rng.randint(0, duration) for _ in range(rng.randint(0, max_events)))
    taps = [
        {"seq": n, "offset_ms": offset, **tap_fields(tool, settings, rng)}
        for n, offset in enumerate(offsets, start=1)
    ]
    return {"tool": str(tool), "settings": settings, "duration_ms": duration, "taps": taps}


def taps_for(case: dict[str, Any]) -> list[Tap]:
    return [Tap(**tap) for tap in case["taps"]]


def iso(moment: datetime.datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def payload(
    case: dict[str, Any],
    *,
    teacher: Any,
    start: datetime.datetime = START,
    sent_after_ms: int = 5_000,
    ids: list[uuid.UUID] | None = None,
    **header: Any,
) -> dict[str, Any]:
    """The API body of this recording, sent `sent_after_ms` after it finished."""
    ids = ids or [uuid.uuid5(uuid.NAMESPACE_URL, f"event-{t['seq']}") for t in case["taps"]]
    events = []
    for event_id, tap in zip(ids, case["taps"], strict=True):
        event = {
            "id": str(event_id),
            "seq": tap["seq"],
            "at": iso(start + datetime.timedelta(milliseconds=tap["offset_ms"])),
            "kind": tap["kind"],
        }
        for key in ("detail", "value", "total"):
            if key in tap:
                event[key] = tap[key]
        events.append(event)
    finish = start + datetime.timedelta(milliseconds=case["duration_ms"])
    body = {
        "tool": case["tool"],
        "teacher": str(teacher.uuid),
        "settings": case["settings"],
        "started_at": iso(start),
        "finished_at": iso(finish),
        "client_now": iso(finish + datetime.timedelta(milliseconds=sent_after_ms)),
        "events": events,
    }
    body.update({k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in header.items()})
    return body
