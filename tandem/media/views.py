"""Lesson video pages: thin views that look videos up only through `Video.objects.visible_to()`.

Comments are child rows: they are reached through a video the person may see.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from tandem.accounts.models import User
from tandem.privacy.models import Via
from tandem.privacy.services import record_access, team_of, who_can_see
from tandem.schools.roles import request_roles

from . import services, serving
from .forms import CaptionsForm, CommentForm, PolicyForm, ShareForm
from .models import CommentKind, MediaPolicy, TimedComment, Video, VideoStatus


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _in_district_time(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Dates on these pages in the person's district's time zone."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        district = getattr(_user(request), "district", None)
        if district is not None:
            timezone.activate(ZoneInfo(district.time_zone))
        try:
            return view(request, *args, **kwargs)
        finally:
            timezone.deactivate()

    return wrapped


def _uses_video(request: HttpRequest) -> None:
    """Video is for teachers and coaches; for anyone else these pages do not exist."""
    roles = request_roles(request)
    if not (roles.is_teacher or roles.is_coach):
        raise Http404


def _visible(user: User) -> QuerySet[Video]:
    return Video.objects.visible_to(user).select_related("teacher", "engagement")


def _video_for(request: HttpRequest, uuid: Any) -> Video:
    """A video this person may see; for anyone else it does not exist (404, never 403)."""
    return get_object_or_404(_visible(_user(request)), uuid=uuid)


def _own_video(request: HttpRequest, uuid: Any) -> Video:
    """Her own video, for the teacher's changes: 404 to those who cannot see it, 403 to
    those who can but may not change it."""
    video = _video_for(request, uuid)
    if video.teacher_id != request.user.pk:
        raise PermissionDenied
    return video


@login_required
@_in_district_time
def video_list(request: HttpRequest) -> HttpResponse:
    _uses_video(request)
    user = _user(request)
    videos = list(_visible(user).annotate(comment_count=Count("comments")))
    mine = [v for v in videos if v.teacher_id == user.pk]
    others = [v for v in videos if v.teacher_id != user.pk]
    record_access(viewer=user, items=others, via=Via.PAGE, path=request.path)
    policy = MediaPolicy.for_district(user.district_id) if user.district_id else None
    for video in mine:
        video.deletes = video.deletes_on(policy)  # type: ignore[attr-defined]
    ctx = {
        "mine": mine,
        "others": others,
        "is_teacher": request_roles(request).is_teacher,
        "quota_used": services.quota_used(user),
    }
    return render(request, "media/video_list.html", ctx)


@login_required
@_in_district_time
def video_upload(request: HttpRequest) -> HttpResponse:
    if not request_roles(request).is_teacher:
        raise Http404
    from django.conf import settings

    user = _user(request)
    ctx = {
        "max_bytes": settings.TANDEM_VIDEO_MAX_BYTES,
        "quota_left": max(0, settings.TANDEM_VIDEO_QUOTA_BYTES - services.quota_used(user)),
        "policy": MediaPolicy.for_district(user.district_id),  # type: ignore[arg-type]
        "endpoint": reverse("tus_create"),
    }
    return render(request, "media/video_upload.html", ctx)


def _comments(video: Video, kind: str) -> QuerySet[TimedComment]:
    comments = video.comments.select_related("author")
    return comments.filter(kind=kind) if kind in CommentKind.values else comments


def _detail_ctx(request: HttpRequest, video: Video, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    kind = request.GET.get("kind", "")
    is_teacher = video.teacher_id == user.pk
    ctx: dict[str, Any] = {
        "video": video,
        "is_teacher": is_teacher,
        "comments": _comments(video, kind),
        "kind": kind if kind in CommentKind.values else "",
        "kinds": CommentKind.choices,
        "comment_form": CommentForm(initial={"at": 0}),
        "policy": MediaPolicy.for_district(video.district_id),
    }
    if is_teacher:
        team = team_of(user)
        ctx["share_form"] = ShareForm(
            coaches=[
                (str(coach.uuid), f"{coach.display_name} — {role}") for coach, role in team.values()
            ]
        )
        ctx["seers"] = [s for s in who_can_see(video) if s.user.pk != user.pk]
        ctx["shared_with"] = _item_shared_with(video)
        ctx["captions_form"] = CaptionsForm(initial={"language": video.captions_language or "en"})
        ctx["deletes_on"] = video.deletes_on(ctx["policy"])
    ctx.update(extra)
    return ctx


def _item_shared_with(video: Video) -> set[int]:
    from django.contrib.contenttypes.models import ContentType

    from tandem.privacy.models import ItemShare

    return set(
        ItemShare.objects.filter(
            content_type=ContentType.objects.get_for_model(Video), object_id=video.pk
        ).values_list("coach_id", flat=True)
    )


@login_required
@_in_district_time
def video_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    video = _video_for(request, uuid)
    record_access(viewer=_user(request), items=[video], via=Via.PAGE, path=request.path)
    if request.htmx and request.GET.get("list") == "comments":  # type: ignore[attr-defined]
        return render(request, "media/partials/comments.html", _detail_ctx(request, video))
    return render(request, "media/video_detail.html", _detail_ctx(request, video))


@login_required
@require_GET
def video_status(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The transcoding status, polled by htmx; once ready, the page reloads to show the player."""
    video = _video_for(request, uuid)
    response = render(request, "media/partials/status.html", {"video": video})
    if video.status in {VideoStatus.READY, VideoStatus.FAILED} and request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_safe
def video_stream(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    """The MP4, in ranges: the permission check runs on every one of them."""
    video = _video_for(request, uuid)
    if not video.mp4:
        raise Http404
    return serving.serve(request, video.mp4, content_type="video/mp4", download_name="lesson.mp4")


@login_required
@require_safe
def video_poster(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    video = _video_for(request, uuid)
    if not video.poster:
        raise Http404
    return serving.serve(
        request, video.poster, content_type="image/jpeg", download_name="poster.jpg"
    )


@login_required
@require_safe
def video_captions(request: HttpRequest, uuid: Any) -> HttpResponseBase:
    video = _video_for(request, uuid)
    if not video.captions:
        raise Http404
    return serving.serve(
        request,
        video.captions,
        content_type="text/vtt; charset=utf-8",
        download_name="captions.vtt",
    )


@login_required
@require_POST
def video_played(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Playback started (sent once per page by the player): one access event, not one per
    range request."""
    video = _video_for(request, uuid)
    record_access(viewer=_user(request), items=[video], via=Via.PAGE, path=request.path)
    return HttpResponse(status=204)


@login_required
@_in_district_time
def video_comments(request: HttpRequest, uuid: Any) -> HttpResponse:
    """GET: the comments (filtered by kind) as a partial; POST: add one at a moment."""
    video = _video_for(request, uuid)
    if request.method == "GET":
        return render(request, "media/partials/comments.html", _detail_ctx(request, video))
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    form = CommentForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.add_comment(
                video=video,
                author=_user(request),
                at_seconds=form.cleaned_data["at"],
                kind=form.cleaned_data["kind"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return render(
                    request,
                    "media/partials/comments.html",
                    _detail_ctx(request, video, comment_added=True),
                )
            messages.success(request, _("Your comment is saved."))
            return redirect(reverse("video_detail", args=[video.uuid]) + "#comments")
    else:
        error = _("Write your comment and choose its kind.")
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "media/partials/comments.html",
            _detail_ctx(request, video, comment_error=error),
            status=400,
        )
    messages.error(request, error)
    return redirect(reverse("video_detail", args=[video.uuid]) + "#comments")


@login_required
@require_POST
def comment_delete(request: HttpRequest, uuid: Any, comment: Any) -> HttpResponse:
    video = _video_for(request, uuid)
    found = get_object_or_404(video.comments, uuid=comment)
    services.delete_comment(comment=found, acting_user=_user(request))
    messages.success(request, _("The comment is deleted."))
    return redirect(reverse("video_detail", args=[video.uuid]) + "#comments")


@login_required
@require_POST
def video_share(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The teacher shares her video with coaches (after confirming consent), or stops
    sharing it with one."""
    video = _own_video(request, uuid)
    user = _user(request)
    team = team_of(user)
    by_uuid = {str(coach.uuid): coach for coach, _role in team.values()}
    detail = redirect("video_detail", uuid=video.uuid)
    if stop := request.POST.get("unshare"):
        coach = by_uuid.get(stop)
        if coach is None:
            from tandem.accounts.models import User as UserModel

            coach = UserModel.objects.filter(uuid=stop, district=user.district).first()
        if coach is not None:
            services.unshare_video(video=video, coach=coach, acting_user=user)
            messages.success(
                request, _("%(name)s no longer sees this video.") % {"name": coach.display_name}
            )
        return detail
    form = ShareForm(
        request.POST, coaches=[(key, coach.display_name) for key, coach in by_uuid.items()]
    )
    if not form.is_valid():
        messages.error(request, _("Choose coaches from your team."))
        return detail
    coaches = [by_uuid[key] for key in form.cleaned_data["coaches"]]
    try:
        services.share_video(
            video=video, coaches=coaches, consent=form.cleaned_data["consent"], acting_user=user
        )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return detail
    names = ", ".join(coach.display_name for coach in coaches)
    messages.success(request, _("Shared with %(names)s.") % {"names": names})
    return detail


@login_required
@require_POST
def video_keep_private(request: HttpRequest, uuid: Any) -> HttpResponse:
    video = _own_video(request, uuid)
    services.keep_private(video=video, acting_user=_user(request))
    messages.success(request, _("This video is yours alone again."))
    return redirect("video_detail", uuid=video.uuid)


@login_required
@require_POST
def video_captions_upload(request: HttpRequest, uuid: Any) -> HttpResponse:
    video = _own_video(request, uuid)
    form = CaptionsForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.MAX_CAPTIONS_BYTES:
            messages.error(request, _("A captions file may be at most 1 MB."))
        else:
            try:
                services.set_captions(
                    video=video,
                    data=upload.read(),
                    language=form.cleaned_data["language"],
                    acting_user=_user(request),
                )
            except ValidationError as problem:
                messages.error(request, " ".join(problem.messages))
            else:
                messages.success(request, _("The captions are saved."))
    else:
        messages.error(request, _("Choose a captions file (.vtt)."))
    return redirect("video_detail", uuid=video.uuid)


@login_required
@require_POST
def video_delete(request: HttpRequest, uuid: Any) -> HttpResponse:
    video = _own_video(request, uuid)
    services.delete_video(video=video, acting_user=_user(request))
    messages.success(
        request, _("“%(title)s” is deleted, with every copy of it.") % {"title": video.title}
    )
    return redirect("video_list")


@login_required
@_in_district_time
def media_policy(request: HttpRequest) -> HttpResponse:
    """The district admin states the filming policy and how long videos are kept."""
    roles = request_roles(request)
    if not roles.district_admin:
        raise Http404
    user = _user(request)
    policy = MediaPolicy.for_district(roles.district)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_by = user
        saved.updated_at = timezone.now()
        saved.save()
        messages.success(request, _("The district's video policy is saved."))
        return redirect("media_policy")
    return render(request, "media/media_policy.html", {"form": form, "policy": policy})
