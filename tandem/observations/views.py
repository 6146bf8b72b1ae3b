"""Observation pages: the tools (which record in the browser, offline too), the sessions.

Sessions are read only through `ObservationSession.objects.visible_to()`; a
session someone may not see does not exist for her (404). The tool pages hold
no coaching content — the teachers she may observe and the cycles she leads,
nothing recorded — because the service worker keeps them for offline use; what
she records lives in her browser until it is synced (static/observations/).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.cycles.models import Goal
from tandem.privacy.models import Via
from tandem.privacy.pages import by_teacher, district_time, error_text, mine_first
from tandem.privacy.queries import item_panel
from tandem.privacy.services import record_access
from tandem.schools.models import CoachingAssignment, Engagement
from tandem.schools.roles import request_roles

from . import charts, exports, services
from .forms import CustomToolForm
from .measurements import headline_label
from .models import CustomTool, ObservationEvent, ObservationSession
from .tools import BUILT_IN, SPECS, Mode, Tool

PAGE_SIZE = 50

# What the service worker keeps for offline use, besides the tool pages themselves.
OFFLINE_STATIC = [
    "tandem/tandem.css",
    "tandem/print.css",
    "tandem/favicon.svg",
    "vendor/htmx/htmx-2.0.11.min.js",
    "observations/observations.css",
    "observations/store.js",
    "observations/clock.js",
    "observations/results.js",
    "observations/sync.js",
    "observations/recorder.js",
]


def slug(tool: str) -> str:
    """A tool's address: talk_time → talk-time."""
    return tool.replace("_", "-")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _uses_observations(request: HttpRequest) -> None:
    """Observations are for teachers and coaches; for anyone else these pages do not exist."""
    roles = request_roles(request)
    if not (roles.is_teacher or roles.is_coach):
        raise Http404


def _visible(user: User) -> QuerySet[ObservationSession]:
    return ObservationSession.objects.visible_to(user).select_related(
        "teacher", "author", "engagement", "goal"
    )


def _with_events(sessions: QuerySet[ObservationSession]) -> QuerySet[ObservationSession]:
    return sessions.prefetch_related(
        Prefetch("events", queryset=ObservationEvent.objects.order_by("seq"))
    )


def _session_for(request: HttpRequest, uuid: Any) -> ObservationSession:
    """A session this person may see; for anyone else it does not exist (404, never 403)."""
    return get_object_or_404(_visible(_user(request)), uuid=uuid)


def _headline(session: ObservationSession, result: Any) -> dict[str, Any]:
    return {
        "label": headline_label(session),
        "value": result.headline,
        "unit": SPECS[session.tool].unit,
    }


@login_required
@district_time
def observation_list(request: HttpRequest) -> HttpResponse:
    """Her own lessons first, then those of the teachers she coaches, latest first."""
    _uses_observations(request)
    user = _user(request)
    sessions = _with_events(_visible(user)).order_by(
        mine_first(user), "teacher__display_name", "teacher_id", "-started_at", "-id"
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_access(viewer=user, items=shown, via=Via.PAGE, path=request.path)
    for session in shown:
        result = session.result(list(session.events.all()))
        session.headline = _headline(session, result)
    ctx = {"page": page, "groups": by_teacher(shown, user), **_sync_context(request)}
    return render(request, "observations/session_list.html", ctx)


@login_required
@district_time
def observation_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    session = _session_for(request, uuid)
    user = _user(request)
    record_access(viewer=user, items=[session], via=Via.PAGE, path=request.path)
    events = list(session.events.all())
    result = session.result(events)
    labels = session.kind_labels()
    can_change = session.can_change(user)
    goal_visible = (
        session.goal_id is not None
        and Goal.objects.visible_to(user).filter(pk=session.goal_id).exists()
    )
    ctx = {
        "session": session,
        "result": result,
        "headline": _headline(session, result),
        "figures": charts.figure_rows(session, result, labels),
        "length": charts.clock(session.duration_ms),
        "timeline": charts.timeline(result, labels),
        "samples": charts.samples(result),
        "event_count": len(events),
        "goal": session.goal if goal_visible else None,
        "goals": (
            Goal.objects.visible_to(user)
            .filter(teacher_id=session.teacher_id)
            .order_by("-created_at")
            if can_change
            else []
        ),
        "can_change": can_change,
        "panel": item_panel(session, user),
    }
    return render(request, "observations/session_detail.html", ctx)


@login_required
@district_time
def observation_events_csv(request: HttpRequest, uuid: Any) -> HttpResponse:
    session = _session_for(request, uuid)
    record_access(viewer=_user(request), items=[session], via=Via.PAGE, path=request.path)
    return exports.events_csv(session)


@login_required
@require_POST
def observation_link_goal(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Link the session to one of the teacher's goals (or to none): its result measures it."""
    session = _session_for(request, uuid)
    user = _user(request)
    if not session.can_change(user):
        raise PermissionDenied
    wanted = request.POST.get("goal", "")
    try:
        goal_uuid = Goal._meta.get_field("uuid").to_python(wanted) if wanted else None
        services.link_goal(session=session, goal_uuid=goal_uuid, acting_user=user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("Its result now measures the goal.") if goal_uuid else _("It measures no goal now."),
        )
    return redirect(reverse("observation_detail", args=[session.uuid]))


# The tools ------------------------------------------------------------------------


def _observable(user: User, *, teaches: bool) -> list[User]:
    """Whom she may observe: herself if she teaches, and every teacher she coaches now."""
    people: dict[int, User] = {}
    if teaches:
        people[user.pk] = user
    for assignment in (
        CoachingAssignment.objects.active()
        .filter(coach=user)
        .select_related("teacher")
        .order_by("teacher__display_name", "teacher_id")
    ):
        people.setdefault(assignment.teacher_id, assignment.teacher)
    return list(people.values())


def _cycles(user: User) -> QuerySet[Engagement]:
    """Open coaching work a session may belong to: hers as its coach, or her own as teacher."""
    return (
        Engagement.objects.filter(district_id=user.district_id or 0, closed_on__isnull=True)
        .filter(Q(coach=user) | Q(teacher=user))
        .select_related("teacher")
        .order_by("title", "id")
    )


def _strings() -> dict[str, str]:
    """What the browser scripts say, in the person's language."""
    return {
        "waiting_one": _("1 observation is waiting to sync."),
        "waiting_many": _("%(n)s observations are waiting to sync."),
        "offline": _(
            "You are offline: it is kept on this device and sent when you are back online."
        ),
        "sending": _("Sending to Tandem…"),
        "sign_in": _("Sign in to Tandem again to send it."),
        "synced": _("Saved in Tandem."),
        "open_saved": _("Open the saved observation"),
        "nothing_waiting": _("Nothing is waiting to sync."),
        "rejected": _("Not saved: %(reason)s"),
        "without_cycle": _("Save it without the Impact Cycle"),
        "discard": _("Discard it"),
        "confirm_discard": _("Press again to discard it for good"),
        "recorded": _("%(label)s: %(count)s"),
        "undone": _("Undone: %(label)s"),
        "nothing_to_undo": _("Nothing to undo."),
        "now": _("Now: %(label)s"),
        "not_started": _("Not started: tap the first one when it begins."),
        "sample_due": _("Time to count."),
        "next_sample": _("Next count in %(time)s"),
        "item_of": _("Item %(n)s of %(total)s"),
        "count": _("Count"),
        "share": _("Share"),
        "per_minute": _("Per minute"),
        "time": _("Time"),
        "answered": _("Answered"),
        "correct": _("Correct"),
        "engaged": _("Engaged"),
        "present": _("Present"),
        "at": _("At"),
        "no_figure": _("Not enough data for this figure yet."),
        "choose_teacher": _("Choose the teacher you observe."),
        "recorded_of": _("%(tool)s · %(teacher)s"),
        "duration": _("Length: %(time)s"),
        "item": _("Item %(n)s"),
        "sample": _("Sample %(n)s"),
        "timeline": _("Timeline"),
        "samples": _("Samples"),
        "result_table": _("Figures of this session"),
    }


def _sync_context(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    return {
        "sync_config": {
            "observer": str(user.uuid),
            "api": reverse("api:list_observation_sessions") + "/",
            "detailBase": reverse("observation_list"),
            "csrfCookie": "csrftoken",
            "serviceWorker": reverse("observation_service_worker"),
            "scope": reverse("observation_list"),
            "strings": _strings(),
        }
    }


def _buttons(tool: str, settings: dict[str, Any]) -> list[dict[str, Any]]:
    """The tap buttons of a tool: what each records, its label and its key for counts."""
    spec = SPECS[tool]
    if tool == Tool.QUESTIONS:
        return [
            {
                "kind": kind,
                "detail": detail,
                "key": f"{kind}.{detail}",
                "label": f"{kind_label} · {detail_label}",
            }
            for kind, kind_label in spec.kinds.items()
            for detail, detail_label in spec.details.items()
        ]
    if tool == Tool.CUSTOM:
        return [
            {"kind": settings["mode"], "value": n, "key": str(n), "label": label}
            for n, label in enumerate(settings["labels"], start=1)
        ]
    if tool == Tool.TIME_ON_TASK:
        return []
    return [{"kind": kind, "key": kind, "label": str(label)} for kind, label in spec.kinds.items()]


def _recorder(request: HttpRequest, *, tool: str, custom: CustomTool | None = None) -> HttpResponse:
    user = _user(request)
    spec = SPECS[tool]
    settings = custom.settings() if custom is not None else {}
    if custom is not None:
        title = custom.name
        headline = _("Share of “%(label)s”") % {"label": custom.labels[0]}
    else:
        title = str(Tool(tool).label)
        headline = str(spec.headline)
    teachers = _observable(user, teaches=request_roles(request).is_teacher)
    config = {
        **_sync_context(request)["sync_config"],
        "tool": tool,
        "toolLabel": title,
        "customTool": str(custom.uuid) if custom is not None else None,
        "settings": settings,
        "labels": spec.kind_labels(settings),
        "details": {k: str(v) for k, v in spec.details.items()},
        "switches": spec.switches,
        "headline": {"label": headline, "unit": spec.unit},
        "toolsUrl": reverse("observation_tools"),
    }
    ctx = {
        "tool": tool,
        "title": title,
        "spec": spec,
        "custom": custom,
        "hint": custom_hint(custom) if custom is not None else spec.hint,
        "buttons": _buttons(tool, settings),
        "teachers": teachers,
        "cycles": [c for c in _cycles(user) if c.teacher_id in {t.pk for t in teachers}],
        "config": config,
        "intervals": [15, 30, 60, 120],
    }
    return render(request, "observations/tool.html", ctx)


def custom_hint(custom: CustomTool) -> str:
    if custom.mode == Mode.INTERVAL:
        return _("Every %(n)s seconds, mark what you see.") % {"n": custom.interval_seconds}
    return _("Tap a label each time you see it.")


@login_required
def observation_tools(request: HttpRequest) -> HttpResponse:
    """Every tool, and her own custom tools; kept for offline use by the service worker."""
    _uses_observations(request)
    ctx = {
        "tools": [
            {"slug": slug(tool), "label": tool.label, "hint": SPECS[tool].hint} for tool in BUILT_IN
        ],
        "custom_tools": CustomTool.objects.of(_user(request)),
        **_sync_context(request),
    }
    return render(request, "observations/tools.html", ctx)


@login_required
def observation_tool(request: HttpRequest, tool: str) -> HttpResponse:
    _uses_observations(request)
    found = next((t for t in BUILT_IN if slug(t) == tool), None)
    if found is None:
        raise Http404
    return _recorder(request, tool=found)


@login_required
def observation_custom_tool(request: HttpRequest, uuid: Any) -> HttpResponse:
    _uses_observations(request)
    custom = get_object_or_404(CustomTool.objects.of(_user(request)), uuid=uuid)
    return _recorder(request, tool=Tool.CUSTOM, custom=custom)


@login_required
def custom_tool_create(request: HttpRequest) -> HttpResponse:
    """Define a tally or interval tool of her own: its name, labels and interval."""
    _uses_observations(request)
    form = CustomToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            custom = services.define_custom_tool(
                owner=_user(request),
                name=data["name"],
                mode=data["mode"],
                labels=form.labels(),
                interval_seconds=data["interval_seconds"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Your tool is ready. It works offline once opened."))
            return redirect(custom)
    return render(request, "observations/custom_tool_form.html", {"form": form})


@cache
def _offline_version() -> tuple[str, list[str]]:
    """The static files the tools need offline, and a version that changes with them."""
    urls, digest = [], hashlib.sha256()
    for name in OFFLINE_STATIC:
        urls.append(static(name))
        found = finders.find(name)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()[:16], urls


@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker that keeps the tool pages and their scripts for offline use.

    Served from /observations/ so that its scope covers the tool pages; it holds no
    one's data (what is recorded lives in IndexedDB, see static/observations/store.js).
    """
    version, static_urls = _offline_version()
    pages = [reverse("observation_tools")] + [
        reverse("observation_tool", args=[slug(t)]) for t in BUILT_IN
    ]
    body = render(
        request,
        "observations/sw.js",
        {
            "version": version,
            "precache": json.dumps(pages + static_urls),
            "pages": json.dumps(reverse("observation_tools")),
            "static_prefix": json.dumps(static("")),
        },
        content_type="application/javascript; charset=utf-8",
    )
    body["Service-Worker-Allowed"] = reverse("observation_list")
    return body
