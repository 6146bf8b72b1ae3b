"""Goal and cycle pages: thin views that look content up only through `visible_to()`."""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.library.models import Strategy
from tandem.privacy.content import CoachingContent
from tandem.privacy.models import Via
from tandem.privacy.pages import by_teacher, district_time, error_text, initial_teacher, mine_first
from tandem.privacy.queries import item_panel
from tandem.privacy.services import record_access
from tandem.schools.models import CoachingAssignment
from tandem.schools.roles import request_roles

from . import evidence as evidence_registry
from . import services
from .forms import (
    ConversationForm,
    CycleCreateForm,
    CycleGoalForm,
    EvidenceForm,
    GoalCreateForm,
    GoalEditForm,
)
from .models import Cycle, Evidence, EvidenceKind, Goal, MeasureKind, Stage
from .peers import CRITERIA, about_teacher
from .services import PEERS

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


# --- Impact Cycles: the cycle page and the Identify stage ---------------------------------
# Every read goes through `visible_to()`; a cycle or evidence someone may not see is a 404.
# Only its teacher and its coach work on a cycle (`can_change`); others who see it read.


def _visible_cycles(user: User) -> QuerySet[Cycle]:
    return Cycle.objects.visible_to(user).select_related(
        "teacher", "author", "engagement__coach", "strategy"
    )


def _cycle_for(request: HttpRequest, uuid: Any) -> Cycle:
    return get_object_or_404(_visible_cycles(_user(request)), uuid=uuid)


def _partner_cycle(request: HttpRequest, uuid: Any) -> Cycle:
    """A cycle this person works on: 404 if she may not see it, 403 if she only reads it."""
    cycle = _cycle_for(request, uuid)
    if not cycle.can_change(_user(request)):
        raise PermissionDenied
    return cycle


def _visible_evidence(user: User) -> QuerySet[Evidence]:
    return (
        Evidence.objects.visible_to(user)
        .in_turn_for(user)
        .select_related("author", "teacher", "cycle__engagement__coach")
        .prefetch_related("framework_tags")
    )


def _evidence_for(request: HttpRequest, uuid: Any) -> Evidence:
    return get_object_or_404(_visible_evidence(_user(request)), uuid=uuid)


def _cycle_goal(user: User, cycle: Cycle) -> Goal | None:
    return Goal.objects.visible_to(user).filter(cycle=cycle).first()


@login_required
@district_time
def cycle_list(request: HttpRequest) -> HttpResponse:
    """The cycles she may see: her own first, then each teacher's she coaches."""
    _uses_goals(request)
    user = _user(request)
    cycles = _visible_cycles(user).order_by(
        mine_first(user), "teacher__display_name", "teacher_id", "-created_at", "-id"
    )
    page = Paginator(cycles, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_access(viewer=user, items=shown, via=Via.PAGE, path=request.path)
    ctx = {"page": page, "groups": by_teacher(shown, user)}
    return render(request, "cycles/cycle_list.html", ctx)


@login_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    _uses_goals(request)
    user = _user(request)
    form = CycleCreateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        partner: User = form.cleaned_data["partner"]
        coached_by_me = CoachingAssignment.objects.active().filter(coach=user, teacher=partner)
        teacher, coach = (partner, user) if coached_by_me.exists() else (user, partner)
        try:
            cycle = services.start_cycle(
                coach=coach, teacher=teacher, acting_user=user, title=form.cleaned_data["title"]
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The cycle has started. First, a clear picture."))
            return redirect(cycle)
    return render(request, "cycles/cycle_form.html", {"form": form})


@dataclass
class NextStep:
    sentence: str
    label: str = ""
    url: str = ""


def _next_step(
    cycle: Cycle, goal: Goal | None, evidence: list[Evidence], user: User, works_on: bool
) -> NextStep:
    """One sentence and one button, for the person looking."""
    is_teacher = user.pk == cycle.teacher_id
    coach = cycle.engagement.coach.display_name if cycle.engagement else ""
    teacher = cycle.teacher.display_name
    if cycle.stage == Stage.MET:
        return NextStep(
            _("The goal is met. Well done!")
            if is_teacher
            else _("The goal is met: %(name)s reached it.") % {"name": teacher},
            _("Start a new cycle") if is_teacher else "",
            "#next-cycle" if is_teacher else "",
        )
    if cycle.stage == Stage.CLOSED:
        return NextStep(_("This cycle is closed. It stays here as a record."))
    if not works_on:
        return NextStep(
            _("%(teacher)s and %(coach)s work on this cycle; you can read what is shared with you.")
            % {"teacher": teacher, "coach": coach}
        )
    if cycle.stage == Stage.LEARN:
        return NextStep(
            _("Choose how you would like to learn the strategy, and plan when.")
            if is_teacher
            else _("Plan with %(name)s how they would like to learn the strategy.")
            % {"name": teacher},
            _("Go to Learn"),
            "#learn",
        )
    if cycle.stage == Stage.IMPROVE:
        return NextStep(
            _("Try the strategy in class, and add the students' results as they come."),
            _("Go to Improve"),
            "#improve",
        )
    if not evidence:
        return NextStep(
            _("Start with a clear picture: add a lesson video, student work or your reflection.")
            if is_teacher
            else _("Start with a clear picture: add observation data, student work or notes."),
            _("Add evidence"),
            "#add-evidence",
        )
    talked = cycle.lesson_rating is not None or bool(cycle.students_differently)
    if not talked:
        return NextStep(
            _("Look at the evidence together, and talk about how the lesson went."),
            _("Talk it through"),
            reverse("cycle_conversation", args=[cycle.uuid]),
        )
    if goal is None or goal.baseline is None or goal.target is None:
        return NextStep(
            _("Turn what you want students to do differently into a goal with a measure."),
            _("Build the goal") if goal is None else _("Finish the goal"),
            reverse("cycle_goal", args=[cycle.uuid]),
        )
    return NextStep(
        _("Choose a teaching strategy together to hit the goal."),
        _("Choose a strategy"),
        reverse("cycle_strategy", args=[cycle.uuid]),
    )


STEPS = [Stage.IDENTIFY, Stage.LEARN, Stage.IMPROVE, Stage.MET]


def _steps(cycle: Cycle) -> list[dict[str, Any]]:
    """The stage indicator: each step done, now or to come."""
    at = STEPS.index(Stage(cycle.stage)) if cycle.stage in STEPS else -1
    return [
        {
            "stage": stage,
            "label": stage.label,
            "state": "done" if n < at else "now" if n == at else "next",
        }
        for n, stage in enumerate(STEPS)
    ]


def _linked(user: User, cycle: Cycle, rows: list[Evidence]) -> dict[tuple[int, int], Any]:
    """The linked items of these rows that the person may see: one query per linked kind."""
    wanted: dict[str, set[int]] = {}
    for row in rows:
        if row.item_id is not None:
            wanted.setdefault(row.kind, set()).add(row.item_id)
    found: dict[tuple[int, int], Any] = {}
    for kind, ids in wanted.items():
        kind_type = evidence_registry.REGISTRY[kind]
        if evidence_registry.LINK not in kind_type.adds:
            continue
        model = kind_type.item_model()
        for item in model.objects.visible_to(user).filter(pk__in=ids):
            found[(ContentType.objects.get_for_model(model).pk, item.pk)] = item
    for row in rows:
        item = found.get((row.item_type_id or 0, row.item_id or 0))
        row.linked = item  # type: ignore[attr-defined]
        row.linked_title = (  # type: ignore[attr-defined]
            evidence_registry.REGISTRY[row.kind].title(item) if item is not None else ""
        )
    return found


def _evidence_form(
    request: HttpRequest, cycle: Cycle, user: User, data: Any = None, files: Any = None
) -> EvidenceForm:
    kinds = [
        (kind, str(kind_type.kind.label))
        for kind, kind_type in evidence_registry.REGISTRY.items()
        if evidence_registry.may_add(kind_type, user=user, cycle=cycle)
    ]
    items = []
    for kind, kind_type in evidence_registry.REGISTRY.items():
        if evidence_registry.LINK in kind_type.adds:
            choices = [
                (f"{kind}:{item.uuid}", kind_type.title(item))
                for item in kind_type.linkable(user, cycle)[:100]
            ]
            if choices:
                items.append((str(kind_type.kind.label), choices))
    return EvidenceForm(
        data,
        files,
        kinds=kinds,
        items=items,
        district_id=cycle.district_id,
        initial={"kind": request.GET.get("kind", "")},
    )


@login_required
@district_time
def cycle_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    cycle = _cycle_for(request, uuid)
    user = _user(request)
    goal = _cycle_goal(user, cycle)
    rows = list(_visible_evidence(user).filter(cycle=cycle).order_by("created_at", "id"))
    _linked(user, cycle, rows)
    is_teacher = user.pk == cycle.teacher_id
    hers_written = any(r.kind == EvidenceKind.TEACHER_REFLECTION for r in rows)
    coach_waiting = (
        is_teacher
        and not hers_written
        and Evidence.objects.visible_to(user)
        .filter(cycle=cycle, kind=EvidenceKind.COACH_REFLECTION)
        .exists()
    )
    record_access(viewer=user, items=[cycle, *([goal] if goal else []), *rows], path=request.path)
    works_on = cycle.can_change(user)
    ctx = {
        "cycle": cycle,
        "goal": goal,
        "evidence": rows,
        "steps": _steps(cycle),
        "next": _next_step(cycle, goal, rows, user, works_on),
        "works_on": works_on,
        "is_teacher": is_teacher,
        "coach_waiting": coach_waiting,
        "hers_written": hers_written,
        "form": _evidence_form(request, cycle, user) if works_on and cycle.is_open else None,
        "kinds": evidence_registry.REGISTRY,
        "panel": item_panel(cycle, user),
    }
    return render(request, "cycles/cycle_detail.html", ctx)


def _chosen_item(cycle: Cycle, user: User, value: str) -> CoachingContent | None:
    """`<kind>:<uuid>` among the items the person may link; None for none or a stranger's."""
    kind, _sep, ident = (value or "").partition(":")
    kind_type = evidence_registry.REGISTRY.get(kind)
    if kind_type is None or evidence_registry.LINK not in kind_type.adds:
        return None
    try:
        return kind_type.linkable(user, cycle).filter(uuid=ident).first()
    except ValidationError:  # not a UUID
        return None


@login_required
@district_time
def evidence_create(request: HttpRequest, uuid: Any) -> HttpResponse:
    cycle = _partner_cycle(request, uuid)
    user = _user(request)
    form = _evidence_form(request, cycle, user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = _chosen_item(cycle, user, data["item"])
        if data["item"] and item is None:
            form.add_error("item", _("Choose one of the teacher's items that you may see."))
        else:
            try:
                row = services.add_evidence(
                    cycle=cycle,
                    acting_user=user,
                    kind=data["kind"],
                    title=data["title"],
                    text=data["text"],
                    upload=data["upload"],
                    item=item,
                    framework_tags=data.get("framework_tags") or (),
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_text(error))
            else:
                if row.held_back:
                    messages.success(
                        request,
                        _(
                            "Evidence added. Only you see it for now: look it over, then "
                            "release it to your coaches when you are ready."
                        ),
                    )
                else:
                    messages.success(request, _("Evidence added."))
                return redirect(cycle.get_absolute_url() + "#evidence")
    ctx = {"cycle": cycle, "form": form, "kinds": evidence_registry.REGISTRY}
    return render(request, "cycles/evidence_form.html", ctx)


@login_required
@district_time
def evidence_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    row = _evidence_for(request, uuid)
    user = _user(request)
    _linked(user, row.cycle, [row])
    record_access(viewer=user, items=[row], via=Via.PAGE, path=request.path)
    ctx = {
        "evidence": row,
        "cycle": row.cycle,
        "can_remove": row.author_id == user.pk and row.cycle.is_open,
        "panel": item_panel(row, user),
    }
    return render(request, "cycles/evidence_detail.html", ctx)


@login_required
def evidence_file(request: HttpRequest, uuid: Any) -> FileResponse:
    """The file, as an attachment, after the same check as the page (never a public URL)."""
    row = _evidence_for(request, uuid)
    if not row.file:
        raise Http404
    file_type = evidence_registry.file_type_of(row.file.name)
    record_access(viewer=_user(request), items=[row], via=Via.PAGE, path=request.path)
    extension = file_type.extensions[0] if file_type.extensions else ""
    response = FileResponse(
        row.file.storage.open(row.file.name, "rb"),
        as_attachment=True,
        filename=(slugify(row.title) or "evidence") + extension,
        content_type=file_type.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, uuid: Any) -> HttpResponse:
    row = _evidence_for(request, uuid)
    cycle = row.cycle
    try:
        services.remove_evidence(evidence_item=row, acting_user=_user(request))
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(row)
    messages.success(request, _("The evidence was removed."))
    return redirect(cycle.get_absolute_url() + "#evidence")


@login_required
@district_time
def cycle_conversation(request: HttpRequest, uuid: Any) -> HttpResponse:
    cycle = _partner_cycle(request, uuid)
    initial = {
        "lesson_rating": cycle.lesson_rating,
        "closer_to_ideal": cycle.closer_to_ideal,
        "students_differently": cycle.students_differently,
        "version": cycle.version,
    }
    form = ConversationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_conversation(
                cycle=cycle,
                acting_user=_user(request),
                lesson_rating=data["lesson_rating"],
                closer_to_ideal=data["closer_to_ideal"],
                students_differently=data["students_differently"],
                expected_version=data["version"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Thank you. Your words are the start of the goal."))
            return redirect("cycle_goal", uuid=cycle.uuid)
    ctx = {"cycle": cycle, "form": form, "is_teacher": cycle.teacher_id == request.user.pk}
    return render(request, "cycles/cycle_conversation.html", ctx)


@login_required
@district_time
def cycle_goal(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The PEERS goal builder: creates the cycle's goal, or edits it."""
    cycle = _partner_cycle(request, uuid)
    user = _user(request)
    goal = _cycle_goal(user, cycle)
    if goal is None:
        initial: dict[str, Any] = {
            "statement": cycle.students_differently,  # her words seed the goal
            "measure_kind": MeasureKind.PERCENTAGE,
            "version": 0,
        }
    else:
        initial = {
            "statement": goal.statement,
            "measure": goal.measure,
            "measure_kind": goal.measure_kind,
            "scale_max": goal.scale_max,
            "baseline": goal.baseline,
            "target": goal.target,
            "peers": [name for name in PEERS if getattr(goal, name)],
            "framework_tags": list(goal.framework_tags.all()),
            "version": goal.version,
        }
    form = CycleGoalForm(request.POST or None, initial=initial, district_id=cycle.district_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common: dict[str, Any] = {
            "statement": data["statement"],
            "measure": data["measure"],
            "measure_kind": data["measure_kind"],
            "scale_max": data["scale_max"],
            "baseline": data["baseline"],
            "target": data["target"],
            "peers": data["peers"],
            "framework_tags": data.get("framework_tags") or (),
        }
        try:
            if goal is None:
                if data["version"] != 0:
                    raise services.StaleEdit(
                        _("This cycle's goal was removed since you opened the page.")
                    )
                goal = services.create_goal(
                    author=user, teacher=cycle.teacher, cycle=cycle, **common
                )
            else:
                goal = services.update_goal(
                    goal=goal,
                    acting_user=user,
                    status=goal.status,
                    expected_version=data["version"],
                    **common,
                )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            if about_teacher(goal.statement):
                messages.info(
                    request,
                    _(
                        "Saved. One thought: this goal reads as something the teacher will do. "
                        "Goals work best when they name what students will do — for example, "
                        "“I will use more wait time” could become “80% of students answer with "
                        "a full sentence after wait time.” You may refocus it here, or keep it."
                    ),
                )
                return redirect("cycle_goal", uuid=cycle.uuid)
            messages.success(request, _("Goal saved."))
            return redirect(cycle.get_absolute_url() + "#identify")
    ctx = {
        "cycle": cycle,
        "goal": goal,
        "form": form,
        "criteria": CRITERIA,
        "refocus": goal is not None and about_teacher(goal.statement),
    }
    return render(request, "cycles/cycle_goal.html", ctx)


@login_required
@district_time
def cycle_strategy(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Choosing the strategy together, from the library (searchable, by tag)."""
    cycle = _partner_cycle(request, uuid)
    user = _user(request)
    error = ""
    if request.method == "POST":
        wanted = _uuid_or_none(request.POST.get("strategy"))
        found = Strategy.objects.available_to(user).filter(uuid=wanted) if wanted else None
        strategy = found.first() if found is not None else None
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        if strategy is None:
            error = _("Choose a strategy from the library.")
        else:
            try:
                services.choose_strategy(
                    cycle=cycle, acting_user=user, strategy=strategy, expected_version=version
                )
            except ValidationError as problem:
                error = error_text(problem)
            else:
                messages.success(
                    request,
                    _("%(name)s it is. Its moves are now your checklist, to adapt as you need.")
                    % {"name": strategy.localized("name")},
                )
                return redirect(cycle.get_absolute_url() + "#learn")
    query = request.GET.get("q", "").strip()[:100]
    tag = request.GET.get("tag", "").strip()[:60]
    library = list(Strategy.objects.available_to(user).order_by("name", "id"))
    tags = sorted({str(t) for s in library for t in s.tags})
    shown = [
        s
        for s in library
        if (not tag or tag in s.tags)
        and (
            not query
            or query.lower() in f"{s.localized('name')} {s.localized('summary')} {s.name}".lower()
        )
    ]
    for strategy in shown:
        strategy.shown_summary = strategy.localized("summary")  # type: ignore[attr-defined]
    goal = _cycle_goal(user, cycle)
    ctx = {
        "cycle": cycle,
        "goal": goal,
        "strategies": shown,
        "tags": tags,
        "query": query,
        "tag": tag,
        "error": error,
        "ready": goal is not None and goal.baseline is not None and goal.target is not None,
    }
    return render(request, "cycles/cycle_strategy.html", ctx, status=400 if error else 200)


def _uuid_or_none(value: Any) -> uuid_module.UUID | None:
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        return None
