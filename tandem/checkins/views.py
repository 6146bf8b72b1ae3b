"""Check-in pages: series, one check-in with its agenda, and the calendar feed.

A series or check-in she is not a member of is a 404, like a school she may not
see. The agenda's coaching content comes from `visible_to` (agenda.py), and its
reads are recorded.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.privacy.models import Via
from tandem.privacy.pages import district_time, error_text
from tandem.privacy.services import record_access
from tandem.schools.models import Role, School

from . import agenda, ics, services
from .forms import ActionItemForm, MoveForm, RecordForm, SeriesEditForm, SeriesForm
from .models import ActionItem, CalendarFeed, CheckIn, CheckInSeries, hash_feed_key


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _schools(user: User) -> Any:
    """Schools where she may start a check-in: where she coaches or leads."""
    if user.district_id is None:
        return School.objects.none()
    return School.objects.filter(
        district_id=user.district_id,
        memberships__user=user,
        memberships__role__in=[Role.COACH, Role.SCHOOL_LEADER],
    ).distinct()


def _checkin(request: HttpRequest, uuid: Any) -> CheckIn:
    series = CheckInSeries.objects.for_member(_user(request))
    return get_object_or_404(
        CheckIn.objects.filter(series__in=series).select_related("series__school"), uuid=uuid
    )


@login_required
@district_time
def checkin_list(request: HttpRequest) -> HttpResponse:
    """Her check-in series and the next meeting of each."""
    user = _user(request)
    schools = _schools(user)
    series = list(CheckInSeries.objects.for_member(user).select_related("school"))
    if not series and not schools.exists():
        raise Http404
    now = timezone.now()
    upcoming = {
        c.series_id: c
        for c in CheckIn.objects.filter(
            series__in=series, skipped=False, starts_at__gte=now
        ).order_by("-starts_at")
    }
    rows = [(s, upcoming.get(s.pk)) for s in series]
    return render(request, "checkins/list.html", {"rows": rows, "can_create": schools.exists()})


@login_required
@district_time
def series_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    schools = _schools(user)
    if not schools.exists():
        raise Http404
    form = SeriesForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            series = services.create_series(acting_user=user, **data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The check-in series is saved."))
            return redirect(series.get_absolute_url())
    return render(request, "checkins/series_form.html", {"form": form})


@login_required
@district_time
def series_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The series, its dates (skip or move each), and its settings."""
    user = _user(request)
    series = get_object_or_404(
        CheckInSeries.objects.for_member(user).select_related("school"), uuid=uuid
    )
    form = SeriesEditForm(
        request.POST or None,
        initial={
            "title": series.title,
            "duration_minutes": series.duration_minutes,
            "place": series.place,
            "leaders_invited": series.leaders_invited,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_series(acting_user=user, series=series, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The check-in series is saved."))
            return redirect(series.get_absolute_url())
    ctx = {
        "series": series,
        "form": form,
        "checkins": series.checkins.all(),
        "members": series.members(),
    }
    return render(request, "checkins/series.html", ctx)


@login_required
@require_POST
def checkin_skip(request: HttpRequest, uuid: Any) -> HttpResponse:
    checkin = _checkin(request, uuid)
    skipped = request.POST.get("skipped", "1") == "1"
    services.skip_checkin(acting_user=_user(request), checkin=checkin, skipped=skipped)
    messages.success(request, _("The date is skipped.") if skipped else _("The date is back."))
    return redirect(checkin.series.get_absolute_url())


@login_required
@require_POST
def checkin_move(request: HttpRequest, uuid: Any) -> HttpResponse:
    checkin = _checkin(request, uuid)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.move_checkin(acting_user=_user(request), checkin=checkin, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The check-in is moved."))
    else:
        messages.error(request, _("Give a new date and time."))
    return redirect(checkin.series.get_absolute_url())


@login_required
@district_time
def checkin_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """One check-in: the agenda Tandem prepared, who came, notes, action items."""
    user = _user(request)
    checkin = _checkin(request, uuid)
    members = checkin.series.members()
    record = RecordForm(
        request.POST if "record" in request.POST else None,
        members=members,
        initial={"attendees": list(checkin.attendees.all()), "notes": checkin.notes},
    )
    item_form = ActionItemForm(
        request.POST if "add_item" in request.POST else None, members=members
    )
    if request.method == "POST":
        try:
            if "record" in request.POST and record.is_valid():
                services.record_checkin(
                    acting_user=user,
                    checkin=checkin,
                    attendees=list(record.cleaned_data["attendees"]),
                    notes=record.cleaned_data["notes"],
                )
                messages.success(request, _("Attendance and notes are saved."))
                return redirect(checkin.get_absolute_url())
            if "add_item" in request.POST and item_form.is_valid():
                services.add_action_item(
                    acting_user=user, checkin=checkin, **item_form.cleaned_data
                )
                messages.success(request, _("The action item is added."))
                return redirect(checkin.get_absolute_url())
        except ValidationError as error:
            (record if "record" in request.POST else item_form).add_error(None, error_text(error))
    prepared = agenda.build(checkin, user)
    record_access(viewer=user, items=prepared.shown, via=Via.PAGE, path=request.path)
    ctx = {
        "checkin": checkin,
        "agenda": prepared,
        "record": record,
        "item_form": item_form,
        "items": checkin.action_items.select_related("owner"),
        "previous": agenda.previous(checkin),
    }
    return render(request, "checkins/checkin.html", ctx)


@login_required
@require_POST
def action_item_done(request: HttpRequest, uuid: Any) -> HttpResponse:
    series = CheckInSeries.objects.for_member(_user(request))
    item = get_object_or_404(
        ActionItem.objects.filter(checkin__series__in=series).select_related("checkin__series"),
        uuid=uuid,
    )
    services.set_action_item_done(
        acting_user=_user(request), item=item, done=request.POST.get("done", "1") == "1"
    )
    back = request.POST.get("next", "")
    if not back.startswith("/checkins/"):
        back = item.checkin.get_absolute_url()
    return redirect(back)


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Get, regenerate or revoke her secret calendar address."""
    user = _user(request)
    if user.district_id is None:
        raise Http404
    address = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_feed(user=user)
            messages.success(request, _("Your calendar address no longer works."))
            return redirect("calendar_settings")
        key = services.issue_feed(user=user)
        address = request.build_absolute_uri(reverse("calendar_feed", args=[key]))
    active = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    return render(request, "checkins/calendar.html", {"address": address, "active": active})


def calendar_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The feed a calendar subscribes to: the key is the only credential; revoked is a 404."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user"),
        digest=hash_feed_key(key),
        revoked_at__isnull=True,
        user__is_active=True,
    )
    response = HttpResponse(ics.feed(feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tandem.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
