"""Lesson video: the videos a person may see, and their time-stamped comments.

The same door as the video pages (`Video.objects.visible_to`) and the same
services (`tandem.media.services`). Every read by someone other than the
video's teacher is logged for her; comments are read through their video.
The bytes themselves are not here: the player page streams them to a
signed-in browser session, and uploads go through the tus endpoint
(`/videos/uploads/`, see docs/architecture.md).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import BeforeValidator, Strict, StringConstraints

from tandem.media import services
from tandem.media.models import MediaPolicy, TimedComment, Video
from tandem.privacy import services as privacy
from tandem.privacy.models import Via

from ..errors import responses
from ..schemas import EngagementRefOut, PageIn, PersonOut, SeerOut, StrictInput, acting_user

router = Router(tags=["videos"])

Kind = Literal["question", "suggestion", "strength", "note"]


def _seconds(value: object) -> object:
    # A JSON number (never `true`), as the player's currentTime.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Input should be a number")
    return float(value)


Seconds = Annotated[float, Strict(False), BeforeValidator(_seconds)]
CommentText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=r"^[^\x00]*$"),
]


class VideoOut(Schema):
    uuid: UUID
    teacher: PersonOut
    author: PersonOut
    engagement: EngagementRefOut | None
    category: str
    held_back: bool
    title: str
    recorded_on: datetime.date
    status: str
    progress: int
    duration: float | None
    has_captions: bool
    page_url: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_has_captions(obj: Video) -> bool:
        return bool(obj.captions)

    @staticmethod
    def resolve_page_url(obj: Video) -> str:
        return obj.get_absolute_url()


class VideoDetailOut(VideoOut):
    who_can_see: list[SeerOut]
    deletes_on: datetime.date


class VideoPageOut(Schema):
    items: list[VideoOut]
    count: int


class CommentOut(Schema):
    uuid: UUID
    author: PersonOut
    at_seconds: float
    kind: str
    body: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_at_seconds(obj: TimedComment) -> float:
        return obj.seconds


class CommentIn(StrictInput):
    at_seconds: Seconds
    kind: Kind
    body: CommentText


class VideoQuery(PageIn):
    """`?teacher=` keeps one teacher's videos."""

    teacher: UUID | None = None


class CommentQuery(Schema):
    kind: Kind | None = None


def _visible(request: HttpRequest) -> QuerySet[Video]:
    found: QuerySet[Video] = Video.objects.visible_to(acting_user(request))
    return found.select_related("teacher", "author", "engagement")


def _video(request: HttpRequest, uuid: UUID) -> Video:
    """A video the person may see; for anyone else it does not exist (404, never 403)."""
    return get_object_or_404(_visible(request), uuid=uuid)


def _log(request: HttpRequest, videos: list[Video]) -> None:
    privacy.record_access(viewer=acting_user(request), items=videos, via=Via.API, path=request.path)


@router.get("/videos", response=responses({200: VideoPageOut}, 422), operation_id="list_videos")
def list_videos(request: HttpRequest, query: Query[VideoQuery]) -> dict[str, Any]:
    """The videos the person may see, latest first: her own (a new one is hers alone),
    and those her teachers shared with her. Each read by someone else is logged."""
    videos = _visible(request).order_by("-recorded_on", "-created_at", "-id")
    if query.teacher is not None:
        videos = videos.filter(teacher__uuid=query.teacher)
    start = (query.page - 1) * query.page_size
    shown = list(videos[start : start + query.page_size])
    _log(request, shown)
    return {"items": shown, "count": videos.count()}


@router.get(
    "/videos/{uuid}", response=responses({200: VideoDetailOut}, 404, 422), operation_id="get_video"
)
def get_video(request: HttpRequest, uuid: UUID) -> Video:
    """One video, who can see it and why, and the day the district's retention deletes it."""
    video = _video(request, uuid)
    _log(request, [video])
    video.who_can_see = [  # type: ignore[attr-defined]
        {
            "uuid": seer.user.uuid,
            "display_name": seer.user.display_name,
            "role": seer.role,
            "reasons": seer.reasons,
        }
        for seer in privacy.who_can_see(video)
    ]
    video.deletes_on = video.deletes_on(MediaPolicy.for_district(video.district_id))  # type: ignore[method-assign,assignment]
    return video


@router.get(
    "/videos/{uuid}/comments",
    response=responses({200: list[CommentOut]}, 404, 422),
    operation_id="list_video_comments",
)
def list_video_comments(
    request: HttpRequest, uuid: UUID, query: Query[CommentQuery]
) -> QuerySet[TimedComment]:
    """The video's comments in the order of the video, of one kind if asked."""
    video = _video(request, uuid)
    _log(request, [video])
    comments = video.comments.select_related("author")
    return comments.filter(kind=query.kind) if query.kind else comments


@router.post(
    "/videos/{uuid}/comments",
    response=responses({201: CommentOut}, 400, 403, 404, 422),
    operation_id="add_video_comment",
)
def add_video_comment(request: HttpRequest, uuid: UUID, data: CommentIn) -> Status[TimedComment]:
    """A comment at one moment of the video, by its teacher or a coach it is shared with
    (400 when the video is not ready yet, or the moment is past its end)."""
    comment = services.add_comment(
        video=_video(request, uuid),
        author=acting_user(request),
        at_seconds=data.at_seconds,
        kind=data.kind,
        body=data.body,
    )
    return Status(201, comment)
