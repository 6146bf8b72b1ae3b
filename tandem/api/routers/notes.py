"""Notes: a coach's meeting notes, a teacher's reflections, and a coach's private notes.

The same door as the note pages (`Note.objects.visible_to`) and the same
services; see `content.py` for what every kind of coaching content shares. A
coach-private note is its author's alone: not even the teacher reads it here.
"""

from __future__ import annotations

import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from tandem.notes import services
from tandem.notes.models import Note

from ..errors import responses
from ..schemas import (
    Day,
    EngagementRefOut,
    NoteBody,
    PersonOut,
    SeerOut,
    StrictInput,
    Title,
    Uuid,
    acting_user,
    person,
)
from . import content

router = Router(tags=["notes"])


class NoteOut(Schema):
    uuid: UUID
    teacher: PersonOut
    author: PersonOut
    engagement: EngagementRefOut | None
    category: str
    held_back: bool
    title: str
    body: str
    met_on: datetime.date
    created_at: datetime.datetime
    updated_at: datetime.datetime


class NoteDetailOut(NoteOut):
    who_can_see: list[SeerOut]


class NotePageOut(Schema):
    items: list[NoteOut]
    count: int


@router.get("/notes", response=responses({200: NotePageOut}, 422), operation_id="list_notes")
def list_notes(request: HttpRequest, query: Query[content.ContentQuery]) -> dict:
    """The notes the person may see, latest meeting first: her own, and those of the
    teachers she coaches that the privacy rules give her. Each read by someone other than
    the note's teacher is logged for the teacher."""
    notes = content.visible(request, Note).order_by("-met_on", "-created_at", "-id")
    return content.page_of(request, notes, query)


class NoteIn(StrictInput):
    teacher: Uuid
    engagement: Uuid | None = None
    title: Title
    body: NoteBody
    met_on: Day | None = None
    private: bool = False


@router.post(
    "/notes", response=responses({201: NoteDetailOut}, 400, 404, 422), operation_id="create_note"
)
def create_note(request: HttpRequest, data: NoteIn) -> Status[Note]:
    """A note about the teacher's coaching: a coach's meeting note (or, `private`, one that is
    hers alone, not even the teacher's), or the teacher's own reflection. The author is the
    teacher or a coach who coaches her now (403 for anyone else); `met_on` is today unless
    given."""
    note = services.create_note(
        author=acting_user(request),
        teacher=person(request, data.teacher),
        engagement=content.engagement_for(request, data.engagement),
        title=data.title,
        body=data.body,
        met_on=data.met_on,
        private=data.private,
    )
    return Status(201, content.with_seers(note))


@router.get(
    "/notes/{uuid}", response=responses({200: NoteDetailOut}, 404, 422), operation_id="get_note"
)
def get_note(request: HttpRequest, uuid: UUID) -> Note:
    """One note, and who can see it and why. The read is logged for the teacher."""
    return content.read(request, Note, uuid)


@router.put(
    "/notes/{uuid}/shares/{coach_uuid}",
    response=responses({204: None}, 400, 404, 422),
    operation_id="share_note",
)
def share_note(request: HttpRequest, uuid: UUID, coach_uuid: UUID) -> Status[None]:
    """The teacher shares this note with one of her coaches (400 if he is not one now)."""
    content.share(request, Note, uuid, coach_uuid)
    return Status(204, None)


@router.delete(
    "/notes/{uuid}/shares/{coach_uuid}",
    response=responses({204: None}, 404, 422),
    operation_id="unshare_note",
)
def unshare_note(request: HttpRequest, uuid: UUID, coach_uuid: UUID) -> Status[None]:
    """The teacher stops sharing this note with him: he no longer sees it through this share
    from his very next request."""
    content.unshare(request, Note, uuid, coach_uuid)
    return Status(204, None)


@router.post(
    "/notes/{uuid}/hold-back",
    response=responses({204: None}, 400, 404, 422),
    operation_id="hold_back_note",
)
def hold_back_note(request: HttpRequest, uuid: UUID) -> Status[None]:
    """The teacher keeps a reflection she wrote to herself, whatever the shares."""
    content.hold_back(request, Note, uuid, held=True)
    return Status(204, None)


@router.post(
    "/notes/{uuid}/release",
    response=responses({204: None}, 400, 404, 422),
    operation_id="release_note",
)
def release_note(request: HttpRequest, uuid: UUID) -> Status[None]:
    """The teacher releases a note she held back: her shares apply to it again."""
    content.hold_back(request, Note, uuid, held=False)
    return Status(204, None)
