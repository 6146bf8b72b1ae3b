"""Goal pages: thin views that look goals up only through `Goal.objects.visible_to()`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.privacy.models import Via
from tandem.privacy.pages import by_teacher, district_time, error_text, initial_teacher, mine_first
from tandem.privacy.queries import item_panel
from tandem.privacy.services import record_access
from tandem.schools.roles import request_roles

from . import services
from .forms import GoalCreateForm, GoalEditForm
from .models import Goal

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _uses_goals(request: HttpRequest) -> None:
    """Goals are for teachers and coaches; for anyone else these pages do not exist."""
    roles = request_roles(request)
    if not (roles.is_teacher or roles.is_coach):
        raise Http404


def _visible(user: User) -> QuerySet[Goal]:
    return Goal.objects.visible_to(user).select_related("teacher", "author", "engagement__coach")


def _goal_for(request: HttpRequest, uuid: Any) -> Goal:
    """A goal this person may see; for anyone else it does not exist (404, never 403)."""
    return get_object_or_404(_visible(_user(request)), uuid=uuid)


@login_required
@district_time
def goal_list(request: HttpRequest) -> HttpResponse:
    """Her own goals first, then those of the teachers she coaches, by teacher."""
    _uses_goals(request)
    user = _user(request)
    goals = _visible(user).order_by(
        mine_first(user),
        "teacher__display_name",
        "teacher_id",
        "-created_at",
        "-id",
    )
    page = Paginator(goals, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_access(viewer=user, items=shown, via=Via.PAGE, path=request.path)
    ctx = {"page": page, "groups": by_teacher(shown, user)}
    return render(request, "cycles/goal_list.html", ctx)


@login_required
@district_time
def goal_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    goal = _goal_for(request, uuid)
    user = _user(request)
    record_access(viewer=user, items=[goal], via=Via.PAGE, path=request.path)
    ctx = {"goal": goal, "panel": item_panel(goal, user), "can_change": goal.can_change(user)}
    return render(request, "cycles/goal_detail.html", ctx)


@login_required
def goal_create(request: HttpRequest) -> HttpResponse:
    _uses_goals(request)
    user = _user(request)
    form = GoalCreateForm(
        request.POST or None,
        author=user,
        is_teacher=request_roles(request).is_teacher,
        initial=initial_teacher(request, user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goal = services.create_goal(
                author=user,
                teacher=data["teacher"],
                engagement=data["engagement"],
                statement=data["statement"],
                measure=data["measure"],
                baseline=data["baseline"],
                target=data["target"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Goal saved."))
            return redirect(goal)
    return render(request, "cycles/goal_form.html", {"form": form, "goal": None})


@login_required
def goal_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    goal = _goal_for(request, uuid)
    user = _user(request)
    if not goal.can_change(user):
        raise PermissionDenied
    initial = {
        "statement": goal.statement,
        "measure": goal.measure,
        "baseline": goal.baseline,
        "target": goal.target,
        "status": goal.status,
    }
    form = GoalEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_goal(goal=goal, acting_user=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Goal saved."))
            return redirect(goal)
    return render(request, "cycles/goal_form.html", {"form": form, "goal": goal})
