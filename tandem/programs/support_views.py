"""Technical-support pages, and a program's feedback and learning pages: thin views.

A support engagement, its log and its modifications are coaching content, read through
`visible_to` (the teacher and the engagement's coach, by rule 3): anyone else gets a 404,
and every read by someone other than the teacher is recorded (`record_access`). Child rows
(the history of choices) are read through their support. Feedback and modifications reach
leaders only as aggregates over at least 5 distinct teachers: nothing here scores anyone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.coaching.models import CoachingSession
from tandem.privacy.models import Via
from tandem.privacy.pages import district_time, error_text
from tandem.privacy.services import record_access
from tandem.schools.roles import request_roles

from . import services
from .models import LogEntry, Modification, Program, ProgramComponent, SupportEngagement
from .support_forms import (
    KIND_HELP,
    ChoiceForm,
    FeedbackForm,
    LogForm,
    ModifyForm,
    ResponseForm,
    StartForm,
    SupportSessionForm,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _supports(request: HttpRequest) -> QuerySet[SupportEngagement]:
    if request_roles(request).district_id is None:
        raise Http404
    return SupportEngagement.objects.visible_to(_user(request)).select_related(
        "program", "engagement__coach", "teacher", "cycle"
    )


def _support_for(request: HttpRequest, uuid: Any) -> SupportEngagement:
    return get_object_or_404(_supports(request), uuid=uuid)


def _is_partner(support: SupportEngagement, user: User) -> bool:
    """Its teacher, or the coach who gives the support: those who work in it."""
    assert support.engagement is not None
    return user.pk in {support.teacher_id, support.engagement.coach_id}


def _program(request: HttpRequest, uuid: Any) -> Program:
    if request_roles(request).district_id is None:
        raise Http404
    return get_object_or_404(Program.objects.visible_to(_user(request)), uuid=uuid)


@login_required
@district_time
def support_list(request: HttpRequest) -> HttpResponse:
    """Her support (a teacher), or the support she gives (a coach): open first."""
    user = _user(request)
    supports = list(_supports(request).order_by("engagement__closed_on", "-created_at"))
    record_access(viewer=user, items=supports, via=Via.PAGE, path=request.path)
    ctx = {"supports": supports, "kind_help": KIND_HELP}
    return render(request, "programs/support_list.html", ctx)


@login_required
@district_time
def support_start(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    roles = request_roles(request)
    if roles.district_id is None or not (roles.is_teacher or roles.is_coach):
        raise Http404
    form = StartForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        is_teacher = data["teacher"].pk == user.pk
        try:
            support = services.start_support(
                acting_user=user,
                teacher=data["teacher"],
                coach=data["coach"],
                program=data["program"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request,
                _("Support started. Now choose the support that would help you most.")
                if is_teacher
                else _("Support started. The teacher chooses the kind of support."),
            )
            return redirect(support)
    return render(request, "programs/support_start.html", {"form": form})


def _detail_ctx(request: HttpRequest, support: SupportEngagement, **forms: Any) -> dict[str, Any]:
    user = _user(request)
    log = list(
        LogEntry.objects.visible_to(user)
        .filter(support=support)
        .select_related("session")
        .prefetch_related(Prefetch("components", queryset=ProgramComponent.objects.all()))
    )
    changes = list(
        Modification.objects.visible_to(user).filter(support=support).select_related("component")
    )
    sessions = list(
        CoachingSession.objects.visible_to(user)
        .filter(engagement_id=support.engagement_id)
        .order_by("starts_at")
    )
    record_access(
        viewer=user, items=[support, *log, *changes, *sessions], via=Via.PAGE, path=request.path
    )
    is_teacher = user.pk == support.teacher_id
    return {
        "support": support,
        "program": support.program,
        "components": support.program.components.select_related("strategy"),
        "choices": support.choices.all(),
        "log": log,
        "changes": changes,
        "sessions": sessions,
        "is_teacher": is_teacher,
        "is_partner": _is_partner(support, user),
        "is_open": support.is_open,
        "choice_form": forms.get("choice_form")
        or ChoiceForm(initial={"kind": support.support_kind or None}),
        "kind_help": KIND_HELP,
    }


@login_required
@district_time
def support_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    support = _support_for(request, uuid)
    return render(request, "programs/support_detail.html", _detail_ctx(request, support))


@login_required
@require_POST
@district_time
def support_choose(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The teacher chooses, or changes, the kind of support."""
    support = _support_for(request, uuid)
    user = _user(request)
    if user.pk != support.teacher_id:
        raise PermissionDenied
    form = ChoiceForm(request.POST)
    if form.is_valid():
        try:
            services.choose_support(
                support=support, acting_user=user, kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Your choice is saved. Your coach will see it."))
            return redirect(support)
    ctx = _detail_ctx(request, support, choice_form=form)
    return render(request, "programs/support_detail.html", ctx)


def _partner_support(request: HttpRequest, uuid: Any) -> SupportEngagement:
    support = _support_for(request, uuid)
    if not _is_partner(support, _user(request)):
        raise PermissionDenied
    if not support.is_open:
        messages.info(request, _("This support has ended, so it can no longer be changed."))
        raise _Ended(support)
    return support


class _Ended(Exception):
    def __init__(self, support: SupportEngagement) -> None:
        self.support = support


def _ended(view: Any) -> Any:
    """An ended support's forms send the person back to it, with the reason."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response: HttpResponse = view(request, *args, **kwargs)
        except _Ended as ended:
            return redirect(ended.support)
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@login_required
@district_time
@_ended
def support_log(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A log entry: components used, what students did, a decision and its evidence."""
    support = _partner_support(request, uuid)
    user = _user(request)
    sessions = CoachingSession.objects.visible_to(user).filter(teacher_id=support.teacher_id)
    form = LogForm(
        request.POST or None,
        initial={"day": timezone.localdate()},
        components=support.program.components.all(),
        sessions=sessions.order_by("-starts_at"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_log_entry(
                support=support,
                acting_user=user,
                day=data["day"],
                components=list(data["components"]),
                student_measure=data["student_measure"],
                student_work=data["student_work"],
                decision=data["decision"],
                decision_evidence=data["decision_evidence"],
                session=data["session"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Log entry saved."))
            return redirect(support)
    ctx = {"support": support, "form": form}
    return render(request, "programs/support_log.html", ctx)


@login_required
@district_time
@_ended
def support_modify(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The teacher adapts a component for some of her students, and says why."""
    support = _partner_support(request, uuid)
    user = _user(request)
    if user.pk != support.teacher_id:
        raise PermissionDenied
    components = support.program.components.all()
    only = [c.pk for c in components]
    form = ModifyForm(
        request.POST or None,
        components=components,
        initial={"component": only[0] if len(only) == 1 else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.modify_component(support=support, acting_user=user, **data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Your adaptation is saved, with your reason."))
            return redirect(support)
    return render(request, "programs/support_modify.html", {"support": support, "form": form})


@login_required
@district_time
@_ended
def support_session(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A session of the support: in the coaching log and both calendars."""
    support = _partner_support(request, uuid)
    user = _user(request)
    if not support.support_kind:
        messages.info(request, _("The teacher chooses the kind of support first."))
        return redirect(support)
    form = SupportSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_support_session(
                support=support,
                acting_user=user,
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                place=form.cleaned_data["place"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Session planned: it is in the coaching log and calendar."))
            return redirect(support)
    return render(request, "programs/support_session.html", {"support": support, "form": form})


@login_required
@require_POST
@district_time
@_ended
def support_cycle(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Ready for more: the support becomes an Impact Cycle, carrying its log as evidence."""
    support = _partner_support(request, uuid)
    try:
        cycle = services.support_to_cycle(support=support, acting_user=_user(request))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect(support)
    messages.success(request, _("The Impact Cycle has started, with the log as its evidence."))
    return redirect(cycle)


# A program's feedback and what it teaches us --------------------------------------------


@login_required
@district_time
def program_feedback(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A teacher's short survey and comment on the program or its support, any time."""
    program = _program(request, uuid)
    user = _user(request)
    if not services.is_program_teacher(user, program):
        raise PermissionDenied
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.give_feedback(program=program, teacher=user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request,
                _("Thank you. Leaders read feedback only once at least 5 teachers have given it."),
            )
            return redirect(program)
    ctx = {"program": program, "form": form, "min_group": services.MIN_GROUP}
    return render(request, "programs/program_feedback.html", ctx)


@login_required
@district_time
def program_learning(request: HttpRequest, uuid: Any) -> HttpResponse:
    """What teachers' adaptations and feedback teach us about the program: aggregates only."""
    program = _program(request, uuid)
    user = _user(request)
    sees_changes = services.sees_program_learning(user, program)
    responds = services.may_respond(user, program)
    if not (sees_changes or responds):
        raise PermissionDenied
    form = ResponseForm(request.POST or None) if responds else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.respond(program=program, acting_user=user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(
                    request, _("Added to “You said, we did”: every teacher can read it.")
                )
                return redirect(program)
    ctx = {
        "program": program,
        "changes": services.modification_summary(program=program, viewer=user)
        if sees_changes
        else None,
        "sees_changes": sees_changes,
        "feedback": services.feedback_summary(program=program, viewer=user) if responds else None,
        "responds": responds,
        "form": form,
        "min_group": services.MIN_GROUP,
    }
    return render(request, "programs/program_learning.html", ctx)
