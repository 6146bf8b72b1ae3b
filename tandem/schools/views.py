"""Home pages per role, and the pages where coaching partnerships are started and ended."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.privacy.aggregates import K, goals_by_specialty

from . import services
from .forms import (
    AcceptInvitationForm,
    InviteTeacherForm,
    ProposeAssignmentForm,
    StaffInvitationForm,
)
from .models import AssignmentStatus, CoachingAssignment, School, StaffInvitation
from .queries import school_summaries
from .roles import request_roles


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page with a section for each role the person holds."""
    user = _user(request)
    roles = request_roles(request)
    ctx: dict[str, Any] = {"roles": roles}
    if roles.is_teacher:
        ctx["team"] = list(
            CoachingAssignment.objects.active()
            .filter(teacher=user)
            .select_related("coach")
            .order_by("starts_on")
        )
        ctx["awaiting"] = list(
            CoachingAssignment.objects.awaiting(user).select_related("coach", "proposed_by")
        )
    if roles.is_coach:
        ctx["my_teachers"] = list(
            CoachingAssignment.objects.open()
            .filter(coach=user)
            .select_related("teacher", "school")
            .order_by("teacher__display_name")
        )
    if roles.is_leader:
        ctx["my_schools"] = list(school_summaries(list(roles.leader_at)))
        # Coaching itself, as counts over at least K distinct teachers only.
        ctx["coaching_goals"] = goals_by_specialty(sorted(roles.leader_at))
        ctx["min_group"] = K
    if roles.district_admin:
        ctx["district_schools"] = list(
            school_summaries(School.objects.filter(district_id=roles.district).values("pk"))
        )
    return render(request, "schools/home.html", ctx)


@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    """Who coaches whom, from when to when: for school leaders and district admins."""
    roles = request_roles(request)
    if not roles.manages_assignments:
        raise Http404
    assignments = (
        CoachingAssignment.objects.managed_by(_user(request))
        .select_related("coach", "teacher", "school")
        .order_by("school__name", "teacher__display_name", "-starts_on")
    )
    status = request.GET.get("status", "open")
    if status == "open":
        assignments = assignments.open()
    elif status in AssignmentStatus.values:
        assignments = assignments.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        assignments = assignments.filter(
            Q(coach__display_name__icontains=query) | Q(teacher__display_name__icontains=query)
        )
    page = Paginator(assignments, 50).get_page(request.GET.get("page"))
    school_ids = (
        list(School.objects.filter(district_id=roles.district).values_list("pk", flat=True))
        if roles.district_admin
        else list(roles.leader_at)
    )
    form = ProposeAssignmentForm(district_id=roles.district or 0, school_ids=school_ids)
    ctx = {
        "page": page,
        "status": status,
        "query": query,
        "statuses": AssignmentStatus.choices,
        "form": form,
    }
    return render(request, "schools/assignment_list.html", ctx)


@login_required
def assignment_propose(request: HttpRequest) -> HttpResponse:
    roles = request_roles(request)
    if not roles.manages_assignments:
        raise Http404
    school_ids = (
        list(School.objects.filter(district_id=roles.district).values_list("pk", flat=True))
        if roles.district_admin
        else list(roles.leader_at)
    )
    form = ProposeAssignmentForm(
        request.POST or None, district_id=roles.district or 0, school_ids=school_ids
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.propose_assignment(
                acting_user=_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Proposed %(coach)s to %(teacher)s. The teacher decides whether to accept.")
                % {
                    "coach": assignment.coach.display_name,
                    "teacher": assignment.teacher.display_name,
                },
            )
            return redirect("assignment_list")
    return render(request, "schools/assignment_propose.html", {"form": form})


@login_required
def invite_teacher(request: HttpRequest) -> HttpResponse:
    """A coach invites a teacher to work together."""
    roles = request_roles(request)
    if not roles.is_coach:
        raise Http404
    coach = _user(request)
    form = InviteTeacherForm(request.POST or None, coach=coach, school_ids=roles.coach_at)
    if request.method == "POST" and form.is_valid():
        teacher = form.cleaned_data["teacher"]
        try:
            services.invite_teacher(
                coach=coach,
                teacher=teacher,
                school=services.school_for_invitation(coach=coach, teacher=teacher),
                specialty=form.cleaned_data["specialty"],
                focus=form.cleaned_data["focus"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(name)s. You will work together once she accepts.")
                % {"name": teacher.display_name},
            )
            return redirect("home")
    return render(request, "schools/invite_teacher.html", {"form": form})


def _assignment_for(request: HttpRequest, uuid: str) -> CoachingAssignment:
    """An assignment the person is part of or manages; anyone else gets 404."""
    scope = CoachingAssignment.objects.reachable_by(_user(request))
    return get_object_or_404(scope.select_related("coach", "teacher", "school"), uuid=uuid)


@login_required
@require_POST
def assignment_respond(request: HttpRequest, uuid: str) -> HttpResponse:
    assignment = _assignment_for(request, uuid)
    answer = request.POST.get("answer", "")
    try:
        services.respond_to_assignment(assignment=assignment, teacher=_user(request), answer=answer)
    except PermissionDenied:
        raise
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        notes = {
            "accept": _("You and %(name)s now work together."),
            "talk_first": _("%(name)s will get in touch to talk it over first."),
            "decline": _("You declined. %(name)s has been told, without any reason given."),
        }
        messages.success(request, notes[answer] % {"name": assignment.coach.display_name})
    return redirect("home")


@login_required
@require_POST
def assignment_end(request: HttpRequest, uuid: str) -> HttpResponse:
    assignment = _assignment_for(request, uuid)
    services.end_assignment(assignment=assignment, acting_user=_user(request))
    messages.success(
        request,
        _("The partnership of %(coach)s and %(teacher)s has ended.")
        % {"coach": assignment.coach.display_name, "teacher": assignment.teacher.display_name},
    )
    return redirect(request.POST["next"] if _safe_next(request) else "home")


def _safe_next(request: HttpRequest) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@login_required
def staff_invitations(request: HttpRequest) -> HttpResponse:
    """District administrators invite staff by e-mail."""
    roles = request_roles(request)
    if not roles.district_admin:
        raise Http404
    form = StaffInvitationForm(request.POST or None, district_id=roles.district)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _raw = services.invite_staff(
                acting_user=_user(request),
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("staff_invitations")
    invitations = StaffInvitation.objects.filter(district_id=roles.district).select_related(
        "school"
    )[:100]
    return render(
        request, "schools/staff_invitations.html", {"form": form, "invitations": invitations}
    )


def invitation_accept(request: HttpRequest, key: str) -> HttpResponse:
    """Set a password from an invitation link, then arrive signed in."""
    invitation = services.find_invitation(key)
    if invitation is None:
        return render(request, "schools/invitation_invalid.html", status=404)
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    form = AcceptInvitationForm(request.POST or None)
    if existing:
        form.fields.pop("password1")
        form.fields.pop("password2")
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data.get("password1")
        if password:
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(password)
            except ValidationError as error:
                form.add_error("password1", error)
        if form.is_valid():
            user = services.accept_invitation(invitation=invitation, password=password)
            if existing:
                messages.success(request, _("Your new role is ready. Sign in to use it."))
                return redirect("account_login")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Tandem."))
            return redirect("home")
    return render(
        request,
        "schools/invitation_accept.html",
        {"form": form, "invitation": invitation, "existing": existing},
    )
