"""The coaching team's pages: my approach, the school's approaches, the alignment report,
initiatives and the cycles that serve them, agreements. Thin: `report` says who sees what,
`services` writes; a school or initiative she may not see is a 404."""

from __future__ import annotations

import uuid as uuid_module
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.coaching.models import Suggestion
from tandem.cycles.models import Cycle
from tandem.privacy.models import Via
from tandem.privacy.pages import district_time
from tandem.privacy.services import record_access
from tandem.schools.roles import request_roles

from . import report, services, teacher
from .agenda import flag_themes
from .forms import (
    AgreementForm,
    ApproachForm,
    ConsentForm,
    FlagForm,
    GlossaryFormSet,
    InitiativeEditForm,
    InitiativeForm,
    ReplyForm,
    ResolveForm,
    posted_uuids,
)
from .models import ContradictionFlag, Initiative, InitiativeCycle


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _message(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or _("You may not do this.")
    return " ".join(error.messages)


@login_required
def team_home(request: HttpRequest) -> HttpResponse:
    """Her schools' coaching teams; a coach's own approach."""
    roles = request_roles(request)
    schools = report.team_schools(roles)
    if not schools and not roles.is_coach:
        raise Http404
    ctx = {
        "schools": schools,
        "approach": services.approach_of(_user(request)) if roles.is_coach else None,
        "teachers": teacher.coached_by(_user(request)) if roles.is_coach else [],
        "own_team": roles.is_teacher,
    }
    return render(request, "teamwork/home.html", ctx)


@login_required
def approach_edit(request: HttpRequest) -> HttpResponse:
    """A coach describes her own approach; nobody else edits it."""
    roles = request_roles(request)
    if not roles.is_coach:
        raise Http404
    user = _user(request)
    approach = services.approach_of(user)
    choices = Initiative.objects.filter(
        school_id__in=roles.coach_at, active=True, district_id=roles.district
    ).select_related("school")
    initial: dict[str, Any] = {}
    terms: list[dict[str, str]] = []
    if approach is not None:
        initial = {
            "model": approach.model,
            "model_other": approach.model_other,
            "cycle_weeks": approach.cycle_weeks,
            "meetings": approach.meetings,
            "per": approach.per,
            "progress": approach.progress,
            "measure": approach.measure,
            "sharing": approach.sharing,
            "initiatives": list(approach.initiatives.values_list("pk", flat=True)),
        }
        terms = [
            {"term": t.term, "meaning": t.meaning, "synonyms": t.synonyms}
            for t in approach.terms.all()
        ]
    form = ApproachForm(request.POST or None, initial=initial, initiatives=choices)
    glossary = GlossaryFormSet(request.POST or None, initial=terms, prefix="terms")
    if request.method == "POST" and form.is_valid() and glossary.is_valid():
        data = form.cleaned_data
        entries = [
            services.TermIn(g["term"], g["meaning"], g.get("synonyms", ""))
            for g in glossary.cleaned_data
            if g and g.get("term", "").strip()
        ]
        try:
            services.save_approach(
                acting_user=user,
                model=data["model"],
                model_other=data["model_other"],
                cycle_weeks=data["cycle_weeks"],
                meetings=data["meetings"],
                per=data["per"],
                progress=data["progress"],
                measure=data["measure"],
                sharing=data["sharing"],
                glossary=entries,
                initiatives=list(data["initiatives"]),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, _("Your coaching approach is saved."))
            return redirect("approach_edit")
    ctx = {"form": form, "glossary": glossary, "approach": approach}
    return render(request, "teamwork/approach_form.html", ctx)


@login_required
def team_approaches(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The school's coaches and their approaches, side by side."""
    roles = request_roles(request)
    school = report.team_school(roles, uuid)
    ctx = {
        "school": school,
        "level": report.level(roles, school),
        "columns": report.columns(school),
    }
    return render(request, "teamwork/approaches.html", ctx)


@login_required
@district_time
def alignment_report(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Where the school's coaching roles converge and diverge, cut to what she may see."""
    roles = request_roles(request)
    school = report.team_school(roles, uuid)
    user = _user(request)
    seen = report.build(school, user, level=report.level(roles, school) or report.ROLES)
    record_access(viewer=user, items=seen.shown_cycles, via=Via.PAGE, path=request.path)
    ctx = {"report": seen, "school": school, "flag_themes": flag_themes(school=school)}
    return render(request, "teamwork/alignment.html", ctx)


@login_required
@require_POST
def agreement_record(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Record what the coaches agreed beside a divergence of the report."""
    roles = request_roles(request)
    school = report.team_school(roles, uuid)
    form = AgreementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write down what you agreed."))
    else:
        try:
            services.record_agreement(
                school=school, acting_user=_user(request), **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, _("Agreement recorded."))
    return redirect(reverse("alignment_report", args=[school.uuid]) + "#divergences")


def _initiatives(school_id: int) -> QuerySet[Initiative]:
    return Initiative.objects.filter(school_id=school_id).select_related("created_by")


@login_required
def initiative_list(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The school's goals and initiatives; its coaches and leaders add one here."""
    roles = request_roles(request)
    school = report.team_school(roles, uuid)
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_initiative(
                school=school, acting_user=_user(request), **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, _("Initiative added."))
            return redirect("initiative_list", uuid=school.uuid)
    ctx = {"school": school, "initiatives": _initiatives(school.pk), "form": form}
    return render(request, "teamwork/initiatives.html", ctx)


def _initiative_for(request: HttpRequest, uuid: Any) -> Initiative:
    """An initiative of a school whose team she sees; for anyone else it does not exist."""
    roles = request_roles(request)
    initiative = get_object_or_404(
        Initiative.objects.select_related("school"), uuid=uuid, district_id=roles.district
    )
    if report.level(roles, initiative.school) is None:
        raise Http404
    return initiative


@login_required
def initiative_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    initiative = _initiative_for(request, uuid)
    initial = {
        "name": initiative.name,
        "description": initiative.description,
        "active": initiative.active,
    }
    form = InitiativeEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_initiative(
                initiative=initiative, acting_user=_user(request), **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, _("Initiative saved."))
            return redirect("initiative_list", uuid=initiative.school.uuid)
    return render(
        request, "teamwork/initiative_form.html", {"form": form, "initiative": initiative}
    )


@login_required
@district_time
def initiative_cycles(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Link an Impact Cycle she may see (and change) to the initiative, or unlink it."""
    initiative = _initiative_for(request, uuid)
    user = _user(request)
    visible = (
        Cycle.objects.visible_to(user)
        .filter(engagement__school_id=initiative.school_id)
        .select_related("engagement", "teacher")
    )
    if request.method == "POST":
        try:
            wanted = uuid_module.UUID(request.POST.get("cycle", ""))
        except ValueError:
            raise Http404 from None
        cycle = get_object_or_404(visible, uuid=wanted)
        linked = request.POST.get("linked", "1") == "1"
        try:
            services.link_cycle(initiative=initiative, cycle=cycle, acting_user=user, linked=linked)
        except ValidationError as error:
            messages.error(request, _message(error))
        else:
            messages.success(
                request,
                _("The cycle now serves this initiative.")
                if linked
                else _("The cycle no longer serves this initiative."),
            )
        return redirect("initiative_cycles", uuid=initiative.uuid)
    cycles = list(visible.open().order_by("teacher__display_name", "-created_at", "id"))
    linked_ids = set(
        InitiativeCycle.objects.filter(
            initiative=initiative, cycle__in=[c.pk for c in cycles]
        ).values_list("cycle_id", flat=True)
    )
    record_access(viewer=user, items=cycles, via=Via.PAGE, path=request.path)
    # She sees each of them; she changes those she teaches, wrote or leads (as can_change).
    rows = [
        (c, c.pk in linked_ids, user.pk in {c.teacher_id, c.author_id, c.engagement.coach_id})
        for c in cycles
        if c.engagement is not None
    ]
    return render(
        request, "teamwork/initiative_cycles.html", {"initiative": initiative, "rows": rows}
    )


# The teacher's team, advice side by side, contradiction flags -----------------------------


@login_required
def team_me(request: HttpRequest) -> HttpResponse:
    """Her own team page."""
    user = _user(request)
    if user.district_id is None:
        raise Http404
    return redirect("teacher_team", uuid=user.uuid)


@login_required
@district_time
def teacher_team(request: HttpRequest, uuid: Any) -> HttpResponse:
    """All her coaches, their roles and focus, sessions ahead, and one timeline of it all."""
    user = _user(request)
    who = teacher.teacher_for(user, uuid)
    entries = teacher.timeline(who, user)
    record_access(viewer=user, items=[e.item for e in entries], via=Via.PAGE, path=request.path)
    ctx = {
        "teacher": who,
        "is_teacher": who.pk == user.pk,
        "coaches": teacher.coaches(who, user),
        "entries": entries,
    }
    return render(request, "teamwork/teacher_team.html", ctx)


@login_required
@district_time
def teacher_advice(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Her suggestions from every coach side by side; select two or more to flag them."""
    user = _user(request)
    who = teacher.teacher_for(user, uuid)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = list(
            Suggestion.objects.visible_to(user).filter(
                teacher=who, uuid__in=posted_uuids(request.POST.getlist("suggestions"))
            )
        )
        try:
            flag = services.raise_flag(
                suggestions=chosen, note=form.cleaned_data["note"], acting_user=user
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _message(error))
        else:
            messages.success(
                request, _("Flagged. The reflection is open to you and these coaches.")
            )
            return redirect(flag)
    columns = teacher.advice(who, user)
    shown = [s for c in columns for s in c.suggestions]
    record_access(viewer=user, items=shown, via=Via.PAGE, path=request.path)
    flags = teacher.flags_of(who, user)
    record_access(viewer=user, items=flags, via=Via.PAGE, path=request.path)
    ctx = {
        "teacher": who,
        "is_teacher": who.pk == user.pk,
        "columns": columns,
        "form": form,
        "chosen": set(request.POST.getlist("suggestions")),
        "flags": flags,
    }
    return render(request, "teamwork/advice.html", ctx)


def _flag_for(request: HttpRequest, uuid: Any) -> ContradictionFlag:
    """A flag she takes part in; for anyone else it does not exist (404)."""
    found = ContradictionFlag.objects.visible_to(_user(request)).select_related(
        "teacher", "author", "resolved_by", "school"
    )
    return get_object_or_404(found, uuid=uuid)


@login_required
@district_time
def flag_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The reflection thread: the advice side by side, replies, the resolution, consent."""
    flag = _flag_for(request, uuid)
    user = _user(request)
    ctx = teacher.flag_page(flag, user)
    record_access(viewer=user, items=[flag, *ctx["suggestions"]], via=Via.PAGE, path=request.path)
    return render(request, "teamwork/flag_detail.html", ctx)


def _flag_post(
    request: HttpRequest, uuid: Any, form_class: type[Any], write: Any, done: str
) -> HttpResponse:
    flag = _flag_for(request, uuid)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(flag)
    try:
        write(flag=flag, acting_user=_user(request), **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, done)
    return redirect(flag)


@login_required
@require_POST
def flag_reply(request: HttpRequest, uuid: Any) -> HttpResponse:
    return _flag_post(request, uuid, ReplyForm, services.reply_to_flag, _("Reply added."))


@login_required
@require_POST
def flag_resolve(request: HttpRequest, uuid: Any) -> HttpResponse:
    return _flag_post(request, uuid, ResolveForm, services.resolve_flag, _("Resolution recorded."))


@login_required
@require_POST
def flag_consent(request: HttpRequest, uuid: Any) -> HttpResponse:
    return _flag_post(
        request, uuid, ConsentForm, services.set_agenda_consent, _("Your choice is saved.")
    )
