"""The strategy library's pages. Not coaching content: everyone in a district browses it.

Strategies are read only through `Strategy.objects.available_to(user)` (Tandem's and her
own district's): another district's strategy is a 404. Adding is for coaches and district
admins (404 for anyone else: the form does not exist for them); changing is the author's
(403 for others who see it). The framework page is the district admin's alone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.privacy.pages import district_time, error_text
from tandem.schools.roles import request_roles

from . import services
from . import tags as tag_words
from .forms import FrameworkForm, StrategyForm
from .models import FrameworkTag, Strategy
from .search import search

PAGE_SIZE = 20


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _strategy_for(request: HttpRequest, uuid: Any) -> Strategy:
    """A strategy of Tandem's or of her district's; any other does not exist for her."""
    available = Strategy.objects.available_to(_user(request)).select_related("author", "district")
    return get_object_or_404(available, uuid=uuid)


def _may_add(request: HttpRequest) -> None:
    roles = request_roles(request)
    if roles.district_id is None or not (roles.is_coach or roles.district_admin):
        raise Http404


@login_required
@district_time
def strategy_list(request: HttpRequest) -> HttpResponse:
    """The library, searched by name, summary and tags in the reader's language."""
    q = request.GET.get("q", "").strip()[:200]
    tag = request.GET.get("tag", "").strip()[: services.TAG_LENGTH]
    available = Strategy.objects.available_to(_user(request))
    found = search(available, q=q, tag=tag)
    page = Paginator(found.ids, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = available.filter(id__in=list(page.object_list)).select_related("author", "district")
    by_id = {s.pk: s for s in rows.defer("description")}
    shown = [by_id[pk] for pk in page.object_list if pk in by_id]
    roles = request_roles(request)
    kept = {k: v for k, v in (("q", q), ("tag", tag)) if v}
    ctx = {
        "page": page,
        "strategies": shown,
        "q": q,
        "tag": tag,
        "tag_label": tag_words.label(tag) if tag else "",
        "tags": found.tags,
        "keep": "&" + urlencode(kept) if kept else "",
        "may_add": roles.is_coach or roles.district_admin,
    }
    return render(request, "library/strategy_list.html", ctx)


@login_required
@district_time
def strategy_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    strategy = _strategy_for(request, uuid)
    ctx = {
        "strategy": strategy,
        "tags": [(t, tag_words.label(t)) for t in strategy.tags],
        "can_change": services.can_change(strategy, _user(request)),
    }
    return render(request, "library/strategy_detail.html", ctx)


def _save(request: HttpRequest, form: StrategyForm, strategy: Strategy | None) -> Strategy | None:
    data = form.cleaned_data
    try:
        if strategy is None:
            return services.add_strategy(author=_user(request), **data)
        return services.update_strategy(strategy=strategy, acting_user=_user(request), **data)
    except (ValidationError, PermissionDenied) as error:
        form.add_error(
            None, error_text(error) if isinstance(error, ValidationError) else str(error)
        )
        return None


@login_required
def strategy_create(request: HttpRequest) -> HttpResponse:
    _may_add(request)
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            messages.success(request, _("Strategy added to your district's library."))
            return redirect(saved)
    return render(request, "library/strategy_form.html", {"form": form, "strategy": None})


@login_required
def strategy_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    strategy = _strategy_for(request, uuid)
    if not services.can_change(strategy, _user(request)):
        raise PermissionDenied
    form = StrategyForm(request.POST or None, initial=StrategyForm.initial_for(strategy))
    if request.method == "POST" and form.is_valid() and _save(request, form, strategy):
        messages.success(request, _("Strategy saved."))
        return redirect(strategy)
    return render(request, "library/strategy_form.html", {"form": form, "strategy": strategy})


@login_required
def framework_edit(request: HttpRequest) -> HttpResponse:
    """The district admin's teaching framework: its tags, and which are in use."""
    roles = request_roles(request)
    if not roles.district_admin:
        raise Http404
    tags = list(FrameworkTag.objects.filter(district_id=roles.district))
    # In use or not, never how often: counts of coaching content are for aggregates only.
    used = set(
        FrameworkTag.objects.filter(district_id=roles.district)
        .filter(services.in_use())
        .values_list("pk", flat=True)
    )
    for tag in tags:
        tag.in_use = tag.pk in used  # type: ignore[attr-defined]
    form = FrameworkForm(request.POST or None, initial=FrameworkForm.initial_for(tags))
    if request.method == "POST" and form.is_valid():
        try:
            change = services.set_framework(
                acting_user=_user(request),
                framework=form.cleaned_data["framework"],
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The district's framework is saved."))
            if change.kept_in_use:
                messages.info(
                    request,
                    _("Kept because goals or evidence use them: %(tags)s.")
                    % {"tags": "; ".join(change.kept_in_use)},
                )
            return redirect("framework_edit")
    return render(request, "library/framework_form.html", {"form": form, "tags": tags})
