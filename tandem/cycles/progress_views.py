"""The Learn and Improve stages of a cycle: what the cycle page shows of them, and their forms.

Cycles are looked up only through `Cycle.objects.visible_to()` (404 for anyone
else); checklist items, measurements and adaptations are the cycle's child rows,
read through it; sessions, next steps and observation sessions are coaching
content of their own, read through their own `visible_to` and logged. Who may
do what is the services' answer (403 for someone who sees but may not change).
"""

from __future__ import annotations

from typing import Any

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.coaching.models import LEARNING_KINDS, CoachingSession, SessionKind, Suggestion
from tandem.observations.models import ObservationSession
from tandem.privacy.models import Via
from tandem.privacy.pages import district_time, error_text
from tandem.privacy.services import record_access

from . import charts, services
from .models import ChecklistItem, Cycle, Goal, Stage
from .progress_forms import (
    AdaptationForm,
    ChecklistAdaptForm,
    ChecklistAddForm,
    CloseForm,
    ConversationForm,
    LearningModeForm,
    LearningSessionForm,
    MeasurementForm,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def has_route(name: str) -> bool:
    """Whether a page of this name exists (the coaching pages come with their own work)."""
    return name in get_resolver().reverse_dict


def _cycle_for(request: HttpRequest, uuid: Any) -> Cycle:
    """A cycle this person may see; for anyone else it does not exist (404, never 403)."""
    visible = Cycle.objects.visible_to(_user(request)).select_related(
        "teacher", "engagement__coach"
    )
    return get_object_or_404(visible, uuid=uuid)


def cycle_url(cycle: Cycle, anchor: str = "") -> str:
    """The cycle page (or, before it exists, the progress summary), at one of its parts."""
    name = "cycle_detail" if has_route("cycle_detail") else "cycle_summary"
    return reverse(name, args=[cycle.uuid]) + (f"#{anchor}" if anchor else "")


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _refusal(request: HttpRequest, error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or _("You may not do this.")
    return error_text(error)


# What the cycle page shows of Learn and Improve ----------------------------------------


def learn_context(cycle: Cycle, user: User) -> dict[str, Any]:
    """The checklist, how the teacher learns the strategy, and its sessions (3 queries)."""
    sessions = list(
        CoachingSession.objects.visible_to(user)
        .filter(engagement_id=cycle.engagement_id, kind__in=LEARNING_KINDS)
        .order_by("starts_at", "id")
    )
    record_access(viewer=user, items=sessions, via=Via.PAGE, path=cycle.get_absolute_url())
    is_teacher = user.pk == cycle.teacher_id
    return {
        "cycle": cycle,
        "items": list(cycle.checklist.select_related("changed_by")),
        "sessions": sessions,
        "session_pages": has_route("session_detail"),
        "is_teacher": is_teacher,
        "can_work": cycle.is_open and services.may_work_on(cycle, user),
        "can_adapt": cycle.is_open and is_teacher,
        "mode_form": LearningModeForm(
            initial={"mode": cycle.learning_mode, "version": cycle.version}
        ),
        "learning_mode_label": {str(k.value): str(k.label) for k in LEARNING_KINDS}.get(
            cycle.learning_mode, ""
        ),
        "in_learn": cycle.stage == Stage.LEARN,
    }


def improve_context(cycle: Cycle, user: User) -> dict[str, Any]:
    """The goal's chart and table, adaptations, conversations, and the end of the cycle.

    A constant number of queries whatever the number of measurements, sessions or steps.
    """
    goal: Goal | None = Goal.objects.visible_to(user).filter(cycle_id=cycle.pk).first()
    points = charts.series(goal, user) if goal is not None else []
    conversations = list(
        CoachingSession.objects.visible_to(user)
        .filter(engagement_id=cycle.engagement_id, kind=SessionKind.CONVERSATION)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "next_steps",
                queryset=Suggestion.objects.visible_to(user).order_by("created_at", "id"),
                to_attr="steps",
            )
        )
        .order_by("-starts_at", "-id")
    )
    observed = [p.session_uuid for p in points if p.session_uuid is not None]
    sessions_read = list(ObservationSession.objects.filter(uuid__in=observed)) if observed else []
    steps = [s for c in conversations for s in c.steps]
    record_access(
        viewer=user,
        items=[*conversations, *steps, *sessions_read],
        via=Via.PAGE,
        path=cycle.get_absolute_url(),
    )
    is_teacher = user.pk == cycle.teacher_id
    can_work = cycle.is_open and services.may_work_on(cycle, user)
    proposal = cycle.is_open and charts.proposes_met(goal, points)
    next_one = (
        None if cycle.is_open else Cycle.objects.visible_to(user).filter(previous=cycle).first()
    )
    return {
        "cycle": cycle,
        "goal": goal,
        "points": points,
        "latest": points[-1] if points else None,
        "chart": charts.chart(goal, points) if goal is not None else None,
        "adaptations": list(cycle.adaptations.select_related("author")),
        "conversations": conversations,
        "is_teacher": is_teacher,
        "can_work": can_work,
        "proposes_met": proposal,
        "in_improve": cycle.stage == Stage.IMPROVE,
        "met": cycle.stage == Stage.MET,
        "closed": cycle.stage == Stage.CLOSED,
        "next_cycle": next_one,
        "next_url": cycle_url(next_one) if next_one is not None else "",
        "measurement_form": MeasurementForm(),
        "adaptation_form": AdaptationForm(),
        "conversation_form": ConversationForm(),
    }


def progress_context(cycle: Cycle, user: User) -> dict[str, Any]:
    """Everything the two partials show, for a view that prefers to pass it in."""
    return {"learn": learn_context(cycle, user), "improve": improve_context(cycle, user)}


# Pages -----------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, cycle: Cycle, template: str, form: Any, **extra: Any
) -> HttpResponse:
    ctx = {"cycle": cycle, "form": form, "back": cycle_url(cycle), **extra}
    return render(request, template, ctx)


def _check_may_work(cycle: Cycle, user: User) -> None:
    if not services.may_work_on(cycle, user):
        raise PermissionDenied


def _ended(request: HttpRequest, cycle: Cycle) -> HttpResponse | None:
    """A form of an ended cycle: say so, on the cycle page."""
    try:
        services.check_open(cycle)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(cycle_url(cycle))
    return None


@login_required
@district_time
def cycle_summary(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The cycle's progress on one printable page: the goal, the chart and table, the log."""
    cycle = _cycle_for(request, uuid)
    user = _user(request)
    record_access(viewer=user, items=[cycle], via=Via.PAGE, path=request.path)
    ctx = improve_context(cycle, user)
    ctx["learn"] = learn_context(cycle, user)
    ctx["back"] = cycle_url(cycle) if has_route("cycle_detail") else reverse("home")
    return render(request, "cycles/progress_summary.html", ctx)


@login_required
@district_time
def checklist_adapt(request: HttpRequest, uuid: Any, position: int) -> HttpResponse:
    cycle = _cycle_for(request, uuid)
    item = get_object_or_404(ChecklistItem.objects.filter(cycle=cycle), position=position)
    user = _user(request)
    if user.pk != cycle.teacher_id:
        raise PermissionDenied
    if request.method != "POST" and (ended := _ended(request, cycle)):
        return ended
    form = ChecklistAdaptForm(
        request.POST or None,
        initial={"text": item.text, "removed": item.removed, "version": cycle.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.adapt_checklist_item(
                item=item,
                acting_user=user,
                text=data["text"],
                reason=data["reason"],
                removed=data["removed"],
                version=data["version"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _refusal(request, error))
        else:
            messages.success(request, _("Your checklist was adapted."))
            return redirect(cycle_url(cycle, "learn"))
    record_access(viewer=user, items=[cycle], via=Via.PAGE, path=request.path)
    return _form_page(request, cycle, "cycles/checklist_item_form.html", form, item=item)


@login_required
@district_time
def checklist_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    cycle = _cycle_for(request, uuid)
    user = _user(request)
    if user.pk != cycle.teacher_id:
        raise PermissionDenied
    if request.method != "POST" and (ended := _ended(request, cycle)):
        return ended
    form = ChecklistAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_checklist_item(cycle=cycle, acting_user=user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _refusal(request, error))
        else:
            messages.success(request, _("Your move was added to the checklist."))
            return redirect(cycle_url(cycle, "learn"))
    return _form_page(request, cycle, "cycles/checklist_add_form.html", form)


@require_POST
@login_required
def learning_mode(request: HttpRequest, uuid: Any) -> HttpResponse:
    cycle = _cycle_for(request, uuid)
    user = _user(request)
    if user.pk != cycle.teacher_id:
        raise PermissionDenied
    form = LearningModeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how you want to learn it."))
        return redirect(cycle_url(cycle, "learn"))
    try:
        services.choose_learning_mode(
            cycle=cycle,
            acting_user=user,
            mode=form.cleaned_data["mode"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Saved: this is how you will learn it."))
    return redirect(cycle_url(cycle, "learn"))


@login_required
@district_time
def learning_session(request: HttpRequest, uuid: Any) -> HttpResponse:
    cycle = _cycle_for(request, uuid)
    user = _user(request)
    _check_may_work(cycle, user)
    if request.method != "POST" and (ended := _ended(request, cycle)):
        return ended
    initial = {"kind": cycle.learning_mode or LEARNING_KINDS[0].value, "duration_minutes": 45}
    form = LearningSessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.schedule_learning_session(
                cycle=cycle,
                acting_user=user,
                kind=data["kind"],
                starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"],
                place=data["place"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _refusal(request, error))
        else:
            messages.success(request, _("The session is scheduled. Add it to your calendar."))
            return redirect(cycle_url(cycle, "learn"))
    return _form_page(request, cycle, "cycles/learning_session_form.html", form)


@login_required
def session_ics(request: HttpRequest, uuid: Any, session: Any) -> HttpResponse:
    """An .ics invitation to one session of the cycle: when, where, and a link; no notes,
    no names of strategies or goals (a calendar is no place for coaching content)."""
    cycle = _cycle_for(request, uuid)
    found = get_object_or_404(
        CoachingSession.objects.visible_to(_user(request)).filter(
            engagement_id=cycle.engagement_id
        ),
        uuid=session,
    )
    return HttpResponse(
        invitation(found, request.build_absolute_uri(cycle.get_absolute_url())),
        content_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="coaching-session.ics"',
            "Cache-Control": "private, no-store",
        },
    )


def invitation(session: CoachingSession, url: str) -> bytes:
    """One VEVENT: "Coaching session", the place, the time and the address; nothing else."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Tandem//Coaching sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{session.uuid}@tandem")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("sequence", session.sequence)
    event.add("summary", "Coaching session")
    if session.place:
        event.add("location", session.place)
    event.add("url", url)
    event.add("description", url)
    calendar.add_component(event)
    return calendar.to_ical()


@require_POST
@login_required
def ready(request: HttpRequest, uuid: Any) -> HttpResponse:
    """ "We're ready to try it": Learn → Improve."""
    cycle = _cycle_for(request, uuid)
    user = _user(request)
    _check_may_work(cycle, user)
    try:
        services.start_improving(cycle=cycle, acting_user=user, version=_version(request))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("On to Improve: try it with your students and measure."))
    return redirect(cycle_url(cycle, "improve"))


@login_required
@district_time
def measurement_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    cycle = _cycle_for(request, uuid)
    user = _user(request)
    _check_may_work(cycle, user)
    if request.method != "POST" and (ended := _ended(request, cycle)):
        return ended
    goal = Goal.objects.visible_to(user).filter(cycle_id=cycle.pk).first()
    form = MeasurementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if goal is None:
                raise ValidationError(_("Set the cycle's goal first: measurements are of it."))
            services.add_measurement(goal=goal, acting_user=user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _refusal(request, error))
        else:
            messages.success(request, _("Measurement saved."))
            return redirect(cycle_url(cycle, "improve"))
    return _form_page(request, cycle, "cycles/measurement_form.html", form, goal=goal)


@login_required
@district_time
def adaptation_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    cycle = _cycle_for(request, uuid)
    user = _user(request)
    _check_may_work(cycle, user)
    if request.method != "POST" and (ended := _ended(request, cycle)):
        return ended
    form = AdaptationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.log_adaptation(cycle=cycle, acting_user=user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _refusal(request, error))
        else:
            messages.success(request, _("The adaptation is in the log."))
            return redirect(cycle_url(cycle, "adaptations"))
    return _form_page(request, cycle, "cycles/adaptation_form.html", form)


@login_required
@district_time
def conversation_add(request: HttpRequest, uuid: Any) -> HttpResponse:
    cycle = _cycle_for(request, uuid)
    user = _user(request)
    _check_may_work(cycle, user)
    if request.method != "POST" and (ended := _ended(request, cycle)):
        return ended
    form = ConversationForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_conversation(
                cycle=cycle,
                acting_user=user,
                held_at=form.starts_at(),
                duration_minutes=data["duration_minutes"],
                notes=data["notes"],
                next_steps=form.steps(),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _refusal(request, error))
        else:
            messages.success(request, _("The conversation and its next steps are saved."))
            return redirect(cycle_url(cycle, "conversations"))
    return _form_page(request, cycle, "cycles/conversation_form.html", form)


@require_POST
@login_required
@district_time
def confirm_met(request: HttpRequest, uuid: Any) -> HttpResponse:
    cycle = _cycle_for(request, uuid)
    user = _user(request)
    if user.pk != cycle.teacher_id:
        raise PermissionDenied
    try:
        services.confirm_goal_met(cycle=cycle, acting_user=user, version=_version(request))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your goal is met. Well done!"))
    return redirect(cycle_url(cycle, "improve"))


@login_required
@district_time
def close(request: HttpRequest, uuid: Any) -> HttpResponse:
    cycle = _cycle_for(request, uuid)
    user = _user(request)
    _check_may_work(cycle, user)
    if request.method != "POST" and (ended := _ended(request, cycle)):
        return ended
    form = CloseForm(request.POST or None, initial={"version": cycle.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.close_cycle(
                cycle=cycle,
                acting_user=user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _refusal(request, error))
        else:
            messages.success(request, _("The cycle is closed, with its reason."))
            return redirect(cycle_url(cycle))
    return _form_page(request, cycle, "cycles/close_form.html", form)


@require_POST
@login_required
def next_cycle(request: HttpRequest, uuid: Any) -> HttpResponse:
    cycle = _cycle_for(request, uuid)
    user = _user(request)
    if user.pk != cycle.teacher_id:
        raise PermissionDenied
    try:
        new = services.start_next_cycle(cycle=cycle, acting_user=user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(cycle_url(cycle))
    except PermissionDenied:
        messages.error(
            request,
            _(
                "The coach of this cycle no longer coaches you: "
                "start a new cycle with a coach of yours."
            ),
        )
        return redirect(cycle_url(cycle))
    messages.success(request, _("A new cycle has begun, with the evidence of the last one."))
    return redirect(cycle_url(new))
