"""The privacy pages: the teacher's rules, who looked, sharing per item, the school's agreement.

Thin views: parse, look up through `visible_to()` (or the person's own rows),
call one service, render. htmx requests get the part of the page that
changed, with a status line swapped in out of band; without JavaScript the
same forms post and redirect back.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.schools.models import School
from tandem.schools.roles import request_roles

from . import queries, services
from .aggregates import K
from .authoring import district_of
from .categories import SHAREABLE, Category
from .content import CoachingContent
from .models import AccessEvent, SchoolAgreement, SharingChange
from .pages import district_time

HISTORY_PAGE_SIZE = 25
EVENTS_PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _teacher(request: HttpRequest) -> User:
    """The teacher's own privacy pages; for anyone else they do not exist."""
    if not request_roles(request).is_teacher:
        raise Http404
    return _user(request)


def _category(request: HttpRequest) -> Category:
    value = request.POST.get("category", "")
    if value not in {c.value for c in SHAREABLE}:
        raise ValidationError(_("This kind of content cannot be shared."))
    return Category(value)


def _on(request: HttpRequest, name: str) -> bool:
    return request.POST.get(name) == "1"


def _coach_of(members: list[queries.TeamMember], raw: str) -> User:
    """One of her active coaches, named by UUID in the form."""
    for member in members:
        if str(member.user.uuid) == raw:
            return member.user
    raise ValidationError(_("That person is not one of your coaches right now."))


def _done(
    request: HttpRequest,
    *,
    ok: bool,
    text: str,
    partial: str,
    ctx: dict[str, Any],
    fallback: str,
) -> HttpResponse:
    """htmx: the changed part and the status line; otherwise a message and a redirect."""
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, partial, {**ctx, "status_text": text, "status_ok": ok})
    (messages.success if ok else messages.error)(request, text)
    return redirect(fallback)


# --- The teacher's privacy page -------------------------------------------------------------


def _school_ids(request: HttpRequest, members: list[queries.TeamMember]) -> set[int]:
    """The schools whose agreement reaches her: where she teaches and where she is coached."""
    ids = set(request_roles(request).teacher_at)
    for member in members:
        ids |= member.school_ids
    return ids


def _grid_ctx(teacher: User, members: list[queries.TeamMember]) -> dict[str, Any]:
    return {"grid": queries.share_grid(teacher, members), "categories": SHAREABLE}


def _agreement_ctx(
    request: HttpRequest, teacher: User, members: list[queries.TeamMember]
) -> dict[str, Any]:
    return {"agreement": queries.agreement_rows(teacher, _school_ids(request, members))}


@login_required
@district_time
def privacy(request: HttpRequest) -> HttpResponse:
    """Her rules in plain words, her shares per coach and category, the agreement, held back."""
    teacher = _teacher(request)
    members = queries.team(teacher)
    ctx = {
        "team": members,
        **_grid_ctx(teacher, members),
        **_agreement_ctx(request, teacher, members),
        "private_counts": queries.private_note_counts(teacher),
        "held_back": [(item, item._meta.model_name) for item in queries.held_back(teacher)],
        "min_group": K,
    }
    return render(request, "privacy/privacy.html", ctx)


@login_required
@require_POST
@district_time
def share_category(request: HttpRequest) -> HttpResponse:
    """One cell of the grid: share (or stop sharing) one category with one coach."""
    teacher = _teacher(request)
    members = queries.team(teacher)
    shared = _on(request, "shared")
    try:
        category = _category(request)
        coach = _coach_of(members, request.POST.get("coach", ""))
        change = services.share_category if shared else services.unshare_category
        change(teacher=teacher, coach=coach, category=category, acting_user=teacher)
    except ValidationError as error:
        ok, text = False, " ".join(error.messages)
    else:
        ok = True
        names = {"name": coach.display_name, "category": str(category.label).lower()}
        text = (
            _("%(name)s can now see your %(category)s.")
            if shared
            else _("%(name)s no longer sees your %(category)s through this share.")
        ) % names
    return _done(
        request,
        ok=ok,
        text=text,
        partial="privacy/partials/share_grid.html",
        ctx=_grid_ctx(teacher, members),
        fallback=reverse("privacy") + "#coaches",
    )


@login_required
@require_POST
@district_time
def narrow_agreement(request: HttpRequest) -> HttpResponse:
    """Narrow the school's agreement for herself in one category (or follow it again)."""
    teacher = _teacher(request)
    narrowed = _on(request, "narrowed")
    try:
        category = _category(request)
        services.narrow_agreement(
            teacher=teacher, category=category, narrowed=narrowed, acting_user=teacher
        )
    except ValidationError as error:
        ok, text = False, " ".join(error.messages)
    else:
        ok = True
        label = {"category": str(category.label).lower()}
        text = (
            _("Your coaches no longer see your %(category)s through the school's agreement.")
            if narrowed
            else _("You follow the school's agreement for %(category)s again.")
        ) % label
    members = queries.team(teacher)
    return _done(
        request,
        ok=ok,
        text=text,
        partial="privacy/partials/agreement.html",
        ctx=_agreement_ctx(request, teacher, members),
        fallback=reverse("privacy") + "#agreement",
    )


# --- Who looked at my coaching --------------------------------------------------------------


@login_required
@district_time
def who_looked(request: HttpRequest) -> HttpResponse:
    """Her access log, newest first, and her sharing history: a constant number of queries."""
    teacher = _teacher(request)
    members = queries.team(teacher)
    roles = {m.user.pk: m.role for m in members}
    events = (
        AccessEvent.objects.filter(teacher=teacher, district_id=district_of(teacher))
        .select_related("viewer")
        .order_by("-at", "-id")
    )
    page = Paginator(events, EVENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    history = Paginator(
        queries.sharing_history(teacher, _school_ids(request, members)), HISTORY_PAGE_SIZE
    ).get_page(request.GET.get("history"))
    labels = queries.labels_for(teacher, [(c.content_type_id, c.object_id) for c in history])
    ctx = {
        "page": page,
        "events": [(event, roles.get(event.viewer_id)) for event in page],
        "history": history,
        "changes": [
            (change, labels.get((change.content_type_id, change.object_id))) for change in history
        ],
    }
    return render(request, "privacy/who_looked.html", ctx)


# --- One item: share it with one coach, hold it back ----------------------------------------


def _item_for(request: HttpRequest, kind: str, uuid: Any) -> CoachingContent:
    """An item of any kind of coaching content this person may see; otherwise 404."""
    for model in services.content_models():
        if model._meta.model_name == kind:
            queryset = model.objects.visible_to(_user(request)).select_related(
                "teacher", "author", "engagement__coach"
            )
            return get_object_or_404(queryset, uuid=uuid)
    raise Http404


def _panel_ctx(item: CoachingContent, user: User) -> dict[str, Any]:
    return {"panel": queries.item_panel(item, user)}


@login_required
@require_POST
@district_time
def item_share(request: HttpRequest, kind: str, uuid: Any) -> HttpResponse:
    """Share one item with one of her coaches, or stop: the teacher alone decides."""
    item = _item_for(request, kind, uuid)
    teacher = _user(request)
    if item.teacher_id != teacher.pk:
        raise PermissionDenied
    shared = _on(request, "shared")
    try:
        coach = _coach_of(queries.team(teacher), request.POST.get("coach", ""))
        if shared:
            services.share_item(item=item, coach=coach, acting_user=teacher)
        else:
            services.unshare_item(item=item, coach=coach, acting_user=teacher)
    except ValidationError as error:
        ok, text = False, " ".join(error.messages)
    else:
        ok = True
        text = (
            _("You shared this with %(name)s.")
            if shared
            else _("%(name)s no longer sees this through your share.")
        ) % {"name": coach.display_name}
    return _done(
        request,
        ok=ok,
        text=text,
        partial="privacy/partials/item_privacy.html",
        ctx=_panel_ctx(item, teacher),
        fallback=item.get_absolute_url() + "#who-can-see",  # type: ignore[attr-defined]
    )


@login_required
@require_POST
@district_time
def item_hold_back(request: HttpRequest, kind: str, uuid: Any) -> HttpResponse:
    """Keep an item she created to herself, whatever the shares (or release it)."""
    item = _item_for(request, kind, uuid)
    teacher = _user(request)
    if item.teacher_id != teacher.pk:
        raise PermissionDenied
    held = _on(request, "held")
    try:
        services.hold_back(item=item, acting_user=teacher, held=held)
    except ValidationError as error:
        ok, text = False, " ".join(error.messages)
    else:
        ok = True
        text = (
            _("Held back: only you can see this now.")
            if held
            else _("Released: the coaches it is shared with can see it again.")
        )
    nxt = request.POST.get("next", "")
    fallback = (
        reverse("privacy") + "#held-back"
        if nxt == "privacy"
        else item.get_absolute_url() + "#who-can-see"  # type: ignore[attr-defined]
    )
    return _done(
        request,
        ok=ok,
        text=text,
        partial="privacy/partials/item_privacy.html",
        ctx=_panel_ctx(item, teacher),
        fallback=fallback,
    )


# --- The school's coach-to-coach agreement --------------------------------------------------


def _agreement_school(request: HttpRequest, uuid: Any) -> School:
    """A school whose agreement she sets (one of its coaches or its leader); otherwise 404."""
    user = _user(request)
    school = get_object_or_404(School, uuid=uuid, district_id=request_roles(request).district)
    if not services.may_set_agreement(user, school):
        raise Http404
    return school


def _school_agreement_ctx(school: School) -> dict[str, Any]:
    agreed = {
        a.category: a
        for a in SchoolAgreement.objects.filter(school=school).select_related("updated_by")
    }
    return {
        "school": school,
        "rows": [(c, agreed.get(c.value)) for c in SHAREABLE],
    }


@login_required
@district_time
def school_agreement(request: HttpRequest, uuid: Any) -> HttpResponse:
    """What the school's coaches share with each other by default, and its history."""
    school = _agreement_school(request, uuid)
    history = (
        SharingChange.objects.filter(school=school, teacher__isnull=True)
        .select_related("actor")
        .order_by("-at", "-id")[:20]
    )
    ctx = {**_school_agreement_ctx(school), "history": history}
    return render(request, "privacy/school_agreement.html", ctx)


@login_required
@require_POST
@district_time
def school_agreement_set(request: HttpRequest, uuid: Any) -> HttpResponse:
    school = _agreement_school(request, uuid)
    shared = _on(request, "shared")
    try:
        category = _category(request)
        services.set_agreement(
            school=school, category=category, shared=shared, acting_user=_user(request)
        )
    except ValidationError as error:
        ok, text = False, " ".join(error.messages)
    else:
        ok = True
        label = {"category": str(category.label).lower(), "school": school.name}
        text = (
            _("The coaches of %(school)s now share %(category)s with each other.")
            if shared
            else _("The coaches of %(school)s no longer share %(category)s by default.")
        ) % label
    return _done(
        request,
        ok=ok,
        text=text,
        partial="privacy/partials/school_agreement_table.html",
        ctx=_school_agreement_ctx(school),
        fallback=reverse("school_agreement", args=[school.uuid]),
    )
