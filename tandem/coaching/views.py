"""The coaching log, sessions and suggestions: thin views, every read through `visible_to()`."""

from __future__ import annotations

import datetime
import uuid as uuidlib
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.privacy.authoring import district_of
from tandem.privacy.models import Via
from tandem.privacy.pages import district_time, error_text
from tandem.privacy.queries import item_panel
from tandem.privacy.services import record_access
from tandem.schools.roles import request_roles

from . import ics, services
from .forms import (
    HeldForm,
    LogFilterForm,
    SessionEditForm,
    SessionForm,
    SuggestionForm,
    SuggestionStatusForm,
    partners,
)
from .models import (
    CoachingSession,
    SessionKind,
    SessionQuerySet,
    SessionStatus,
    Suggestion,
    SuggestionStatus,
)

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _in_coaching(request: HttpRequest) -> None:
    """Sessions and suggestions are for teachers and coaches; for anyone else these pages
    do not exist."""
    roles = request_roles(request)
    if not (roles.is_teacher or roles.is_coach):
        raise Http404


def _sessions(user: User) -> SessionQuerySet:
    found = CoachingSession.objects.visible_to(user).select_related(
        "teacher", "coach", "author", "engagement__coach"
    )
    return cast(SessionQuerySet, found)


def _session_for(request: HttpRequest, uuid: Any) -> CoachingSession:
    """A session this person may see; for anyone else it does not exist (404, never 403)."""
    return get_object_or_404(_sessions(_user(request)), uuid=uuid)


def _period_start(period: str) -> datetime.datetime:
    """The first moment of this month, or of this school year (from August 1st), here."""
    today = timezone.localdate()
    if period == "year":
        year = today.year if today.month >= 8 else today.year - 1
        first = datetime.date(year, 8, 1)
    else:
        first = today.replace(day=1)
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time()))


def _time_by_kind(found: SessionQuerySet, period: str) -> list[dict[str, Any]]:
    minutes = found.time_by_kind(since=_period_start(period), until=timezone.now())
    largest = max(minutes.values(), default=0)
    return [
        {
            "kind": label,
            "minutes": minutes[value],
            "hours": f"{minutes[value] / 60:.1f}",
            # The bar's width in the SVG's 200 units (attributes, not styles: the CSP).
            "width": round(200 * minutes[value] / largest) if largest else 0,
        }
        for value, label in SessionKind.choices
        if minutes.get(value)
    ]


@login_required
@district_time
def session_list(request: HttpRequest) -> HttpResponse:
    """The coaching log: her sessions, upcoming first, then past; and time by kind."""
    _in_coaching(request)
    user = _user(request)
    filters = LogFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    period = chosen.get("period") or "month"
    found = _sessions(user).of_person(user)
    if chosen.get("teacher"):
        found = found.filter(teacher__uuid=chosen["teacher"])
    if chosen.get("kind"):
        found = found.filter(kind=chosen["kind"])
    now = timezone.now()
    upcoming_q = found.filter(status=SessionStatus.SCHEDULED, starts_at__gte=now)
    upcoming = list(upcoming_q.order_by("starts_at", "id")[:PAGE_SIZE])
    past = found.exclude(pk__in=upcoming_q.values("pk")).order_by("-starts_at", "-id")
    page = Paginator(past, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_access(viewer=user, items=upcoming + shown, via=Via.PAGE, path=request.path)
    _coaches, teacher_ids = partners(user)
    ctx = {
        "upcoming": upcoming,
        "page": page,
        "past": shown,
        "filters": filters,
        "chosen": chosen,
        "period": period,
        "by_kind": _time_by_kind(found, period),
        "my_teachers": User.objects.filter(pk__in=teacher_ids).order_by("display_name"),
        "kinds": SessionKind.choices,
    }
    return render(request, "coaching/session_list.html", ctx)


@login_required
@district_time
def session_create(request: HttpRequest) -> HttpResponse:
    _in_coaching(request)
    user = _user(request)
    initial: dict[str, Any] = {"duration_minutes": 45}
    try:
        wanted = uuidlib.UUID(request.GET.get("with", ""))
    except ValueError:  # absent, or not a UUID: nothing preselected
        pass
    else:
        initial["partner"] = (
            User.objects.filter(uuid=wanted, district_id=district_of(user))
            .values_list("pk", flat=True)
            .first()
        )
    form = SessionForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.schedule_session(
                acting_user=user,
                teacher=data["teacher"],
                coach=data["coach"],
                kind=data["kind"],
                starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                engagement=data["engagement"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request,
                _("Session planned. %(name)s gets an invitation for the calendar.")
                % {"name": session.partner_of(user).display_name},
            )
            return redirect(session)
    return render(request, "coaching/session_form.html", {"form": form, "session": None})


@login_required
@district_time
def session_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    session = _session_for(request, uuid)
    user = _user(request)
    record_access(viewer=user, items=[session], via=Via.PAGE, path=request.path)
    next_steps = list(
        Suggestion.objects.visible_to(user).filter(session=session).select_related("author")
    )
    ctx = {
        "session": session,
        "next_steps": next_steps,
        "panel": item_panel(session, user),
        "can_change": session.can_change(user),
        "in_future": session.starts_at > timezone.now(),
        "may_suggest": user.pk == session.coach_id,
    }
    return render(request, "coaching/session_detail.html", ctx)


@login_required
@district_time
def session_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Reschedule: a new time, length or place; the other person's calendar follows."""
    session = _session_for(request, uuid)
    user = _user(request)
    if not session.can_change(user):
        raise PermissionDenied
    local = timezone.localtime(session.starts_at)
    initial = {
        "day": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": session.duration_minutes,
        "place": session.place,
    }
    form = SessionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_session(
                session=session,
                acting_user=user,
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                place=form.cleaned_data["place"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Session moved. The invitation was updated."))
            return redirect(session)
    return render(request, "coaching/session_form.html", {"form": form, "session": session})


@login_required
@district_time
def session_held(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Record that the session took place, with its notes."""
    session = _session_for(request, uuid)
    user = _user(request)
    if not session.can_change(user):
        raise PermissionDenied
    form = HeldForm(request.POST or None, initial={"notes": session.notes})
    if request.method == "POST" and form.is_valid():
        try:
            notes = form.cleaned_data["notes"]
            services.record_held(session=session, acting_user=user, notes=notes)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Session recorded as held."))
            return redirect(session)
    ctx = {"form": form, "session": session, "in_future": session.starts_at > timezone.now()}
    return render(request, "coaching/session_held.html", ctx)


@login_required
@require_POST
def session_cancel(request: HttpRequest, uuid: Any) -> HttpResponse:
    session = _session_for(request, uuid)
    try:
        services.cancel_session(session=session, acting_user=_user(request))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Session cancelled. The other person was told."))
    return redirect(session)


@login_required
def session_invite(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The session as an .ics file for one's own calendar (no coaching content in it)."""
    session = _session_for(request, uuid)
    method: ics.Method = "CANCEL" if session.status == SessionStatus.CANCELLED else "PUBLISH"
    body = ics.invitation(session, viewer=_user(request), method=method)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="coaching-session.ics"'
    return response


# Suggestions ----------------------------------------------------------------------------


def _suggestions(user: User) -> QuerySet[Suggestion]:
    return Suggestion.objects.visible_to(user).select_related(
        "teacher", "author", "engagement__coach", "session"
    )


@login_required
@district_time
def suggestion_list(request: HttpRequest) -> HttpResponse:
    """A teacher's suggestions from all her coaches, by coach; those a coach gave."""
    _in_coaching(request)
    user = _user(request)
    mine = list(
        _suggestions(user)
        .filter(teacher=user)
        .order_by("author__display_name", "author_id", "-given_on", "-id")[:200]
    )
    given = list(
        _suggestions(user)
        .filter(author=user)
        .exclude(teacher=user)
        .order_by("teacher__display_name", "teacher_id", "-given_on", "-id")[:200]
    )
    record_access(viewer=user, items=given, via=Via.PAGE, path=request.path)
    groups: list[dict[str, Any]] = []
    for item in mine:
        if not groups or groups[-1]["coach"].pk != item.author_id:
            groups.append({"coach": item.author, "items": []})
        groups[-1]["items"].append(item)
    ctx = {"groups": groups, "given": given, "statuses": SuggestionStatus}
    return render(request, "coaching/suggestion_list.html", ctx)


@login_required
@district_time
def suggestion_create(request: HttpRequest) -> HttpResponse:
    if not request_roles(request).is_coach:
        raise Http404  # suggestions are given by coaches
    user = _user(request)
    session = None
    if wanted := request.GET.get("session") or request.POST.get("session"):
        try:
            session = _sessions(user).filter(coach=user, uuid=uuidlib.UUID(wanted)).first()
        except ValueError:  # not a UUID: no session
            session = None
    initial = {"teacher": session.teacher_id if session else None}
    if session is not None and session.engagement_id:
        initial["engagement"] = session.engagement_id
    form = SuggestionForm(request.POST or None, coach=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.give_suggestion(
                coach=user,
                teacher=data["teacher"],
                text=data["text"],
                engagement=data["engagement"],
                session=session,
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Suggestion saved."))
            return redirect(suggestion)
    return render(request, "coaching/suggestion_form.html", {"form": form, "session": session})


@login_required
@district_time
def suggestion_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    suggestion = get_object_or_404(_suggestions(_user(request)), uuid=uuid)
    user = _user(request)
    record_access(viewer=user, items=[suggestion], via=Via.PAGE, path=request.path)
    ctx = {
        "suggestion": suggestion,
        "panel": item_panel(suggestion, user),
        "status_form": SuggestionStatusForm(initial={"status": suggestion.status})
        if suggestion.teacher_id == user.pk
        else None,
    }
    return render(request, "coaching/suggestion_detail.html", ctx)


@login_required
@require_POST
def suggestion_status(request: HttpRequest, uuid: Any) -> HttpResponse:
    suggestion = get_object_or_404(_suggestions(_user(request)), uuid=uuid)
    form = SuggestionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status from the list."))
        return redirect(suggestion)
    try:
        services.set_suggestion_status(
            suggestion=suggestion, acting_user=_user(request), status=form.cleaned_data["status"]
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Status saved."))
    return redirect(suggestion)
