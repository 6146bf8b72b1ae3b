"""The coaches' thread and shared resources: the same door as the pages — a thread or a
school whose team she is not part of does not exist (404). Message text comes back as
typed (`text`, plain: escape it) and as the page shows it (`html`: escaped, with links
and mentions), never as markup a client could run."""

from __future__ import annotations

import datetime
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import BeforeValidator, Strict, StringConstraints

from tandem.privacy.models import SchoolAgreement
from tandem.schools.models import School
from tandem.schools.roles import request_roles
from tandem.threads import render, services
from tandem.threads.models import Kind, Message, Resource, Thread, ThreadMember

from ..errors import responses
from ..schemas import PersonOut, SchoolRefOut, StrictInput, acting_user

router = Router(tags=["coaches' thread"])

_NO_NUL = r"^[^\x00]*$"
PAGE = 100


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


PostKind = Annotated[Kind, Strict(False), BeforeValidator(_json_string)]
Cursor = Annotated[int, Field(ge=0), Strict(False), BeforeValidator(_json_integer)]
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000, pattern=_NO_NUL),
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000, pattern=_NO_NUL)]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_NO_NUL)
]
Link = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=_NO_NUL)
]
Long = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=_NO_NUL)]
Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=_NO_NUL)
]


class TeamThreadOut(Schema):
    uuid: UUID
    school: SchoolRefOut
    norms: str
    agreement: list[str] = Field(description="Categories the school's coaches share by default.")
    member: bool
    unread: int


class SharedResourceOut(Schema):
    uuid: UUID
    title: str
    url: str
    description: str
    tags: list[str]
    added_by: PersonOut
    created_at: datetime.datetime


class ThreadMessageOut(Schema):
    uuid: UUID
    cursor: int = Field(description="Its place in the thread: ask for messages after it.")
    kind: Kind
    author: PersonOut
    text: str = Field(description="As typed: plain text, to be escaped wherever it is shown.")
    html: str = Field(description="Escaped, with web addresses as links and mentions in bold.")
    resource: SharedResourceOut | None
    created_at: datetime.datetime


class ThreadMessageIn(StrictInput):
    text: Text
    kind: PostKind = Kind.MESSAGE


class MessagesQuery(Schema):
    after: int = Field(0, ge=0, description="A message's cursor: only messages after it.")


class ResourcesQuery(Schema):
    tag: str = Field("", max_length=40, pattern=_NO_NUL)


class ThreadReadIn(StrictInput):
    up_to: Cursor | None = None


class ThreadReadOut(Schema):
    unread: int


class SharedResourceIn(StrictInput):
    title: Title
    url: Link
    description: Long = ""
    tags: list[Tag] = Field(default_factory=list, max_length=10)
    note: Note = ""


def _school(request: HttpRequest, uuid: UUID) -> School:
    roles = request_roles(request)
    school = School.objects.filter(uuid=uuid, district_id=roles.district).first()
    if school is None or school.pk not in (roles.coach_at | roles.leader_at):
        raise Http404
    return school


def _thread(request: HttpRequest, uuid: UUID) -> Thread:
    return get_object_or_404(
        Thread.objects.visible_to(acting_user(request)).select_related("school"), uuid=uuid
    )


def _resource(r: Resource) -> dict[str, Any]:
    return {
        "uuid": r.uuid,
        "title": r.title,
        "url": r.url,
        "description": r.description,
        "tags": r.tag_list(),
        "added_by": r.added_by,
        "created_at": r.created_at,
    }


def _message(m: Message, names: dict[str, Any]) -> dict[str, Any]:
    return {
        "uuid": m.uuid,
        "cursor": m.pk,
        "kind": m.kind,
        "author": m.author,
        "text": m.text,
        "html": str(render.message_html(m.text, names)),
        "resource": _resource(m.resource) if m.resource else None,
        "created_at": m.created_at,
    }


@router.get(
    "/threads/schools/{school_uuid}",
    response=responses({200: TeamThreadOut}, 404, 422),
    operation_id="get_team_thread",
)
def get_team_thread(request: HttpRequest, school_uuid: UUID) -> dict[str, Any]:
    """The school's coaching team thread (made on first use), its norms and her unread count."""
    user = acting_user(request)
    thread = services.team_thread(school=_school(request, school_uuid), acting_user=user)
    member = ThreadMember.objects.filter(thread=thread, user=user).exists()
    return {
        "uuid": thread.uuid,
        "school": thread.school,
        "norms": thread.norms,
        "agreement": list(
            SchoolAgreement.objects.filter(school_id=thread.school_id)
            .order_by("category")
            .values_list("category", flat=True)
        ),
        "member": member,
        "unread": services.unread_count(thread=thread, user=user),
    }


@router.get(
    "/threads/{thread_uuid}/messages",
    response=responses({200: list[ThreadMessageOut]}, 404, 422),
    operation_id="list_thread_messages",
)
def list_thread_messages(
    request: HttpRequest, thread_uuid: UUID, query: Query[MessagesQuery]
) -> list[dict[str, Any]]:
    """Up to 100 messages after the cursor (0: from the start), oldest first."""
    thread = _thread(request, thread_uuid)
    found = thread.messages.select_related("author", "resource", "resource__added_by").filter(
        id__gt=query.after
    )[:PAGE]
    items = list(found)
    names = render.handles(services.team(thread)) if items else {}
    return [_message(m, names) for m in items]


@router.post(
    "/threads/{thread_uuid}/messages",
    response=responses({201: ThreadMessageOut}, 400, 404, 422),
    operation_id="post_thread_message",
)
def post_thread_message(request: HttpRequest, thread_uuid: UUID, body: ThreadMessageIn) -> Status:
    """Post a message or a success story (posting joins her; mentions are told)."""
    thread = _thread(request, thread_uuid)
    if body.kind == Kind.RESOURCE:
        raise ValidationError(_("Share a resource by adding it to the school's resources."))
    made = services.post_message(
        thread=thread, acting_user=acting_user(request), text=body.text, kind=body.kind.value
    )
    return Status(201, _message(made, render.handles(services.team(thread))))


@router.post(
    "/threads/{thread_uuid}/read",
    response=responses({200: ThreadReadOut}, 400, 404, 422),
    operation_id="mark_thread_read",
)
def mark_thread_read(request: HttpRequest, thread_uuid: UUID, body: ThreadReadIn) -> dict[str, int]:
    """Everything up to the cursor (or all) is read; answers her unread count after.

    Only a member keeps a count: for anyone else it is 0, and nothing changes."""
    thread = _thread(request, thread_uuid)
    user = acting_user(request)
    return {"unread": services.mark_read(thread=thread, acting_user=user, up_to=body.up_to)}


@router.get(
    "/threads/schools/{school_uuid}/resources",
    response=responses({200: list[SharedResourceOut]}, 404, 422),
    operation_id="list_shared_resources",
)
def list_shared_resources(
    request: HttpRequest, school_uuid: UUID, query: Query[ResourcesQuery]
) -> list[dict[str, Any]]:
    """The school's shared resources, newest first; `tag` keeps those with that tag."""
    school = _school(request, school_uuid)
    found = Resource.objects.filter(school=school).select_related("added_by")
    wanted = " ".join(query.tag.split()).lower()[:40]
    if wanted:
        found = found.filter(tags__contains=f",{wanted},")
    return [_resource(r) for r in found[:200]]


@router.post(
    "/threads/schools/{school_uuid}/resources",
    response=responses({201: SharedResourceOut}, 400, 404, 422),
    operation_id="add_shared_resource",
)
def add_shared_resource(request: HttpRequest, school_uuid: UUID, body: SharedResourceIn) -> Status:
    """Add a resource for the school's team; it is shared in the team thread."""
    school = _school(request, school_uuid)
    made = services.add_resource(
        school=school,
        acting_user=acting_user(request),
        title=body.title,
        url=body.url,
        description=body.description,
        tags=body.tags,
        note=body.note,
    )
    return Status(201, _resource(made))
