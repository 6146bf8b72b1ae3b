"""Observation sessions for tests: one PUT through the API, or straight through the service."""

from __future__ import annotations

import datetime
import random
import uuid
from typing import Any

from django.test import Client

from tandem.accounts.models import User
from tandem.observations import services
from tandem.observations.models import ObservationSession
from tandem.observations.tools import Tool

from .cases import START, payload, random_case

API = "/api/v1"


def put(client: Client, session_uuid: uuid.UUID | str, body: dict[str, Any]) -> Any:
    return client.put(
        f"{API}/observations/sessions/{session_uuid}", body, content_type="application/json"
    )


def talk_time_case() -> dict[str, Any]:
    """Ten minutes of talk: the teacher 6, the students 3, silence 1 (after a 0 s start)."""
    return {
        "tool": "talk_time",
        "settings": {},
        "duration_ms": 600_000,
        "taps": [
            {"seq": 1, "offset_ms": 0, "kind": "teacher"},
            {"seq": 2, "offset_ms": 240_000, "kind": "students"},
            {"seq": 3, "offset_ms": 420_000, "kind": "silence"},
            {"seq": 4, "offset_ms": 480_000, "kind": "teacher"},
        ],
    }


def record(
    *,
    observer: User,
    teacher: User,
    tool: str = Tool.TALK_TIME,
    case: dict[str, Any] | None = None,
    start: datetime.datetime = START,
    **header: Any,
) -> ObservationSession:
    """A session synced through the service, as the API would, by this observer."""
    case = case or (
        talk_time_case() if tool == Tool.TALK_TIME else random_case(random.Random(1), tool)
    )
    body = payload(case, teacher=teacher, start=start)
    synced = services.sync_session(
        recording=recording_of(uuid.uuid4(), body, **header),
        acting_user=observer,
        now=datetime.datetime.fromisoformat(body["client_now"]),
    )
    return synced.session


def recording_of(
    session_uuid: uuid.UUID, body: dict[str, Any], **header: Any
) -> services.Recording:
    def when(text: str) -> datetime.datetime:
        return datetime.datetime.fromisoformat(text)

    return services.Recording(
        uuid=session_uuid,
        tool=body["tool"],
        teacher=uuid.UUID(body["teacher"]),
        settings=body["settings"],
        started_at=when(body["started_at"]),
        finished_at=when(body["finished_at"]),
        client_now=when(body["client_now"]),
        events=[
            services.RecordedEvent(
                id=uuid.UUID(e["id"]),
                seq=e["seq"],
                at=when(e["at"]),
                kind=e["kind"],
                detail=e.get("detail", ""),
                value=e.get("value"),
                total=e.get("total"),
            )
            for e in body["events"]
        ],
        **header,
    )
