"""Program and adoption-decision pages: thin views over `services.py`.

Programs are read through `Program.objects.visible_to` (the person's district),
decisions through `AdoptionDecision.objects.visible_to` (those she manages or is in
scope of): anything else is a 404. Neither is coaching content, so no access events
are written — and none could ever name a teacher who gave input.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.library.models import Strategy
from tandem.privacy.pages import district_time
from tandem.schools.models import School
from tandem.schools.roles import request_roles
from tandem.teamwork.models import Initiative

from . import services
from .forms import (
    ComponentFormSet,
    DecisionForm,
    InputForm,
    ProgramForm,
    RecordForm,
    input_label,
    materials_text,
    parse_materials,
)
from .models import (
    MIN_GROUP,
    AdoptionDecision,
    AdoptionInput,
    Program,
    ProgramComponent,
    ProgramStatus,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _in_a_district(request: HttpRequest) -> None:
    """Programs are a district's: someone with none (a site operator) finds no such page."""
    if request_roles(request).district_id is None:
        raise Http404


def _programs(request: HttpRequest) -> QuerySet[Program]:
    _in_a_district(request)
    return Program.objects.visible_to(_user(request)).select_related("school")


def _decisions(request: HttpRequest) -> QuerySet[AdoptionDecision]:
    _in_a_district(request)
    return AdoptionDecision.objects.visible_to(_user(request)).select_related("school", "chosen")


def _error(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or _("You may not do this.")
    return " ".join(error.messages)


# Programs ---------------------------------------------------------------------------------


@login_required
@district_time
def program_list(request: HttpRequest) -> HttpResponse:
    programs = _programs(request).annotate(n_components=Count("components"))
    user = _user(request)
    ctx = {
        "programs": programs,
        "can_manage": services.manages_programs(user),
        "can_open": services.may_open_decisions(user),
    }
    return render(request, "programs/program_list.html", ctx)


@login_required
@district_time
def program_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    program = get_object_or_404(_programs(request), uuid=uuid)
    user = _user(request)
    components = program.components.select_related("strategy")
    decisions = _decisions(request).filter(candidates=program)
    ctx = {
        "program": program,
        "components": components,
        "decisions": decisions,
        "can_change": services.may_change_program(user, program),
        # "You said, we did" is public to the program's teachers; the initiatives it serves.
        "responses": program.responses.all(),
        "initiatives": program.initiatives.filter(district_id=program.district_id).select_related(
            "school"
        ),
        "gives_feedback": services.is_program_teacher(user, program),
        "sees_learning": services.sees_program_learning(user, program)
        or services.may_respond(user, program),
    }
    return render(request, "programs/program_detail.html", ctx)


def _program_form(request: HttpRequest, program: Program | None) -> HttpResponse:
    user = _user(request)
    allowed = services.program_schools(user)
    schools = School.objects.filter(district_id=request_roles(request).district)
    if allowed is not None:
        schools = schools.filter(pk__in=allowed)
    strategies = Strategy.objects.available_to(user)
    initial: dict[str, Any] = {}
    components: list[dict[str, Any]] = []
    if program is not None:
        initial = {
            "name": program.name,
            "description": program.description,
            "school": program.school_id,
            "status": program.status,
            "materials": materials_text(program.materials),
            "initiatives": list(program.initiatives.values_list("pk", flat=True)),
        }
        components = [
            {"strategy": c.strategy_id, "name": c.name, "notes": c.notes}
            for c in program.components.all()
        ]
    data = request.POST if request.method == "POST" else None
    form = ProgramForm(
        data,
        initial=initial,
        schools=schools,
        initiatives=Initiative.objects.filter(district_id=request_roles(request).district)
        .select_related("school")
        .order_by("school__name", "name"),
    )
    formset = ComponentFormSet(
        data, initial=components, prefix="components", form_kwargs={"strategies": strategies}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        given = [c for c in formset.cleaned_data if c and c.get("strategy")]
        try:
            program = services.save_program(
                acting_user=user,
                program=program,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                school=form.cleaned_data["school"],
                materials=parse_materials(form.cleaned_data["materials"]),
                status=form.cleaned_data["status"],
                components=[
                    services.ComponentSpec(c["strategy"], c["name"], c.get("notes", ""))
                    for c in given
                ],
                initiatives=list(form.cleaned_data["initiatives"]),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error(error))
        else:
            messages.success(request, _("Program saved."))
            return redirect(program)
    ctx = {"form": form, "formset": formset, "program": program}
    return render(request, "programs/program_form.html", ctx)


@login_required
@district_time
def program_create(request: HttpRequest) -> HttpResponse:
    if not services.manages_programs(_user(request)):
        raise Http404
    return _program_form(request, None)


@login_required
@district_time
def program_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    program = get_object_or_404(_programs(request), uuid=uuid)
    if not services.may_change_program(_user(request), program):
        raise PermissionDenied
    return _program_form(request, program)


# Decisions --------------------------------------------------------------------------------


@login_required
@district_time
def decision_list(request: HttpRequest) -> HttpResponse:
    """Open decisions first, then decided ones; a teacher sees whether she gave input."""
    user = _user(request)
    decisions = list(
        _decisions(request)
        .annotate(n_inputs=Count("inputs"))
        .prefetch_related(Prefetch("candidates", queryset=Program.objects.order_by("name")))
        .order_by("decided_at", "deadline", "-id")
    )
    given = services.inputs_given(decisions, user) if request_roles(request).is_teacher else set()
    managed = set(
        AdoptionDecision.objects.managed_by(user)
        .filter(pk__in=[d.pk for d in decisions])
        .values_list("pk", flat=True)
    )
    for decision in decisions:
        decision.given = decision.pk in given  # type: ignore[attr-defined]
        decision.managed = decision.pk in managed  # type: ignore[attr-defined]
    ctx = {
        "open": [d for d in decisions if not d.is_decided],
        "decided": [d for d in decisions if d.is_decided],
        "is_teacher": request_roles(request).is_teacher,
        "can_open": services.may_open_decisions(user),
    }
    return render(request, "programs/decision_list.html", ctx)


@login_required
@district_time
def decision_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    roles = request_roles(request)
    if not services.may_open_decisions(user):
        raise Http404
    schools = School.objects.filter(district_id=roles.district)
    if not roles.district_admin:
        schools = schools.filter(pk__in=roles.leader_at)
    programs = _programs(request).exclude(status=ProgramStatus.RETIRED)
    form = DecisionForm(
        request.POST or None,
        schools=schools,
        programs=programs,
        district_wide=roles.district_admin,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.open_decision(
                acting_user=user,
                school=data["school"],
                question=data["question"],
                deadline=data["deadline"],
                candidates=list(data["candidates"]),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error(error))
        else:
            messages.success(request, _("Decision opened: the teachers in scope are invited."))
            return redirect(decision)
    return render(request, "programs/decision_form.html", {"form": form})


def _detail_ctx(
    request: HttpRequest, decision: AdoptionDecision, form: InputForm | None = None
) -> dict[str, Any]:
    user = _user(request)
    candidates = list(
        decision.candidates.order_by("name").prefetch_related(
            Prefetch("components", queryset=ProgramComponent.objects.select_related("strategy"))
        )
    )
    given, in_scope = services.participation(decision)
    is_in_scope = services.is_in_scope(decision, user)
    manages = services.manages_decision(user, decision)
    small = in_scope < MIN_GROUP
    mine = services.input_of(decision, user) if is_in_scope else None
    if form is None and is_in_scope and decision.accepts_input():
        form = InputForm(candidates=candidates, small_group=small, initial=_initial(mine))
    inputs = None
    if manages and given >= MIN_GROUP:
        inputs = list(decision.inputs.select_related("attributed_to"))
        by_uuid = {str(p.uuid): p for p in candidates}
        for one in inputs:
            one.ranked = [by_uuid[u] for u in one.ranking if u in by_uuid]  # type: ignore[attr-defined]
    cited = []
    if decision.is_decided:
        for one in decision.cited_inputs.select_related("attributed_to"):
            # Leaders see whose signed input it was; teachers read the words only.
            cited.append(input_label(one) if manages else _quoted(one))
    return {
        "decision": decision,
        "candidates": candidates,
        "given": given,
        "in_scope": in_scope,
        "is_in_scope": is_in_scope,
        "manages": manages,
        "small_group": small,
        "min_group": MIN_GROUP,
        "mine": mine,
        "form": form,
        "inputs": inputs,
        "cited": cited,
        "accepts_input": decision.accepts_input(),
    }


def _quoted(one: AdoptionInput) -> str:
    words = one.helps or one.concerns or one.support or one.comment or "—"
    return f"“{words if len(words) <= 160 else words[:159] + '…'}”"


def _initial(mine: AdoptionInput | None) -> dict[str, Any]:
    if mine is None:
        return {}
    initial: dict[str, Any] = {
        "helps": mine.helps,
        "concerns": mine.concerns,
        "support": mine.support,
        "comment": mine.comment,
        "anonymity": "anonymous" if mine.anonymous else "named",
        "preference": mine.preference,
    }
    for place, uuid in enumerate(mine.ranking, start=1):
        initial[f"rank_{uuid}"] = str(place)
    return initial


@login_required
@district_time
def decision_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    decision = get_object_or_404(_decisions(request), uuid=uuid)
    return render(request, "programs/decision_detail.html", _detail_ctx(request, decision))


@login_required
@require_POST
@district_time
def decision_input(request: HttpRequest, uuid: Any) -> HttpResponse:
    """A teacher in scope gives (or replaces) her input; after the deadline nothing is kept."""
    decision = get_object_or_404(_decisions(request), uuid=uuid)
    user = _user(request)
    if not services.is_in_scope(decision, user):
        raise PermissionDenied
    if not decision.accepts_input():
        messages.error(
            request,
            _("This decision is closed to input: nothing was saved.")
            if decision.is_decided
            else _("The deadline for input has passed: nothing was saved."),
        )
        return redirect(decision)
    candidates = list(decision.candidates.order_by("name"))
    form = InputForm(
        request.POST, candidates=candidates, small_group=services.small_group(decision)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            _row, replaced = services.give_input(
                decision=decision,
                teacher=user,
                anonymous=data["anonymity"] == "anonymous",
                helps=data["helps"],
                concerns=data["concerns"],
                support=data["support"],
                comment=data["comment"],
                ranking=data.get("ranking", []),
                preference=data.get("preference", ""),
                understood_identifiable=bool(data.get("understood")),
            )
        except ValidationError as error:
            form.add_error(None, _error(error))
        else:
            messages.success(
                request,
                _("Your input replaced the one you gave before. Thank you.")
                if replaced
                else _("Thank you: your input is saved."),
            )
            return redirect(decision)
    return render(
        request, "programs/decision_detail.html", _detail_ctx(request, decision, form=form)
    )


@login_required
@district_time
def decision_record(request: HttpRequest, uuid: Any) -> HttpResponse:
    decision = get_object_or_404(_decisions(request), uuid=uuid)
    user = _user(request)
    if not services.manages_decision(user, decision):
        raise PermissionDenied
    if decision.is_decided:
        messages.info(request, _("This decision has already been recorded."))
        return redirect(decision)
    given, in_scope = services.participation(decision)
    inputs = decision.inputs.select_related("attributed_to") if given >= MIN_GROUP else None
    form = RecordForm(request.POST or None, decision=decision, inputs=inputs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_decision(
                decision=decision,
                acting_user=user,
                chosen=data["chosen"],
                rationale=data["rationale"],
                how_input_shaped=data["how_input_shaped"],
                cited=list(data.get("cited") or []),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _error(error))
        else:
            messages.success(request, _("Decision recorded: every teacher in scope can read it."))
            return redirect(decision)
    ctx = {"decision": decision, "form": form, "given": given, "in_scope": in_scope}
    return render(request, "programs/decision_record.html", ctx)
