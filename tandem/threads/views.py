"""The coaches' thread pages: the thread (composer, pinned norms, polling), its norms, the
school's shared resources. Thin: a thread or school she may not read is a 404 (the lookup
goes through `Thread.objects.visible_to`), `services` writes, `render` escapes.

No coaching content is read here: the thread is the coaches' talk, and a link to a
goal stays a link, checked by the privacy policy when it is followed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.privacy.models import SchoolAgreement
from tandem.privacy.pages import district_time
from tandem.schools.models import School
from tandem.schools.roles import request_roles

from . import render as text
from . import services
from .forms import MessageForm, NormsForm, ResourceForm
from .models import Message, Resource, Thread, ThreadMember

# The newest messages the thread page shows; older ones are in the API (cursor).
PAGE_SIZE = 100


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _thread_for(request: HttpRequest, uuid: Any) -> Thread:
    return get_object_or_404(
        Thread.objects.visible_to(request.user).select_related("school", "norms_updated_by"),
        uuid=uuid,
    )


def _school_for(request: HttpRequest, uuid: Any) -> School:
    """A school where she coaches or leads; for anyone else it does not exist."""
    roles = request_roles(request)
    school = School.objects.filter(uuid=uuid, district_id=roles.district).first()
    if school is None or school.pk not in (roles.coach_at | roles.leader_at):
        raise Http404
    return school


def _shown(items: list[Message], names: dict[str, User]) -> list[dict[str, Any]]:
    return [{"message": m, "html": text.message_html(m.text, names)} for m in items]


def _messages(thread: Thread) -> Any:
    return thread.messages.select_related("author", "resource")


@login_required
def thread_index(request: HttpRequest) -> HttpResponse:
    """The team threads of the schools where she coaches or leads, with her unread counts."""
    roles = request_roles(request)
    school_ids = roles.coach_at | roles.leader_at
    if not school_ids:
        raise Http404
    user = _user(request)
    read_up_to = ThreadMember.objects.filter(thread=OuterRef("pk"), user=user).values(
        "last_read_id"
    )
    threads = {
        t.school_id: t
        for t in Thread.objects.visible_to(user)
        .team()
        .annotate(read_up_to=Subquery(read_up_to))
        .annotate(
            unread=Count("messages", filter=Q(messages__id__gt=F("read_up_to"))),
        )
    }
    schools = School.objects.filter(pk__in=school_ids, district_id=roles.district).order_by("name")
    rows = [{"school": s, "thread": threads.get(s.pk)} for s in schools]
    return render(request, "threads/index.html", {"rows": rows})


@login_required
def school_thread(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The school's team thread (made on first visit)."""
    school = _school_for(request, uuid)
    thread = services.team_thread(school=school, acting_user=_user(request))
    return redirect("thread_page", uuid=thread.uuid)


@login_required
@district_time
def thread_page(request: HttpRequest, uuid: Any) -> HttpResponse:
    thread = _thread_for(request, uuid)
    user = _user(request)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_message(
                thread=thread,
                acting_user=user,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            form.add_error("text", " ".join(error.messages))
        else:
            messages.success(request, _("Posted."))
            return redirect("thread_page", uuid=thread.uuid)
    member = ThreadMember.objects.filter(thread=thread, user=user).first()
    latest = list(_messages(thread).order_by("-id")[:PAGE_SIZE])[::-1]
    names = text.handles(services.team(thread))
    unread = 0
    if member is not None:
        unread = sum(1 for m in latest if m.pk > member.last_read_id)
        if latest and latest[-1].pk > member.last_read_id:
            services.mark_read(thread=thread, acting_user=user, up_to=latest[-1].pk)
    ctx = {
        "thread": thread,
        "member": member,
        "unread": unread,
        "first_unread": next((m.pk for m in latest if member and m.pk > member.last_read_id), None),
        "items": _shown(latest, names),
        "cursor": latest[-1].pk if latest else 0,
        "agreement": _agreement(thread),
        "form": form,
    }
    return render(request, "threads/thread.html", ctx)


def _agreement(thread: Thread) -> list[str]:
    """The school's coach-to-coach sharing agreement, as category names (read-only)."""
    return [
        str(a.get_category_display())
        for a in SchoolAgreement.objects.filter(school_id=thread.school_id).order_by("category")
    ]


@login_required
@district_time
def thread_poll(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Only the messages after the cursor, and the next poller: constant queries per poll."""
    thread = _thread_for(request, uuid)
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = -1
    if after < 0:
        return HttpResponse(_("The cursor is a message number."), status=400)
    user = _user(request)
    new = list(_messages(thread).filter(id__gt=after)[:PAGE_SIZE])
    cursor = new[-1].pk if new else after
    items: list[dict[str, Any]] = []
    if new:
        items = _shown(new, text.handles(services.team(thread)))
        ThreadMember.objects.filter(thread=thread, user=user, last_read_id__lt=cursor).update(
            last_read_id=cursor
        )
    ctx = {"thread": thread, "items": items, "cursor": cursor}
    return render(request, "threads/partials/poll.html", ctx)


@login_required
@require_POST
def thread_join(request: HttpRequest, uuid: Any) -> HttpResponse:
    thread = _thread_for(request, uuid)
    if request.POST.get("leave"):
        services.leave(thread=thread, acting_user=_user(request))
        messages.success(request, _("You left the thread."))
    else:
        services.join(thread=thread, acting_user=_user(request))
        messages.success(request, _("You joined the thread."))
    return redirect("thread_page", uuid=thread.uuid)


@login_required
@district_time
def thread_norms(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The team edits its own norms; the school's sharing agreement is shown, not edited."""
    thread = _thread_for(request, uuid)
    form = NormsForm(request.POST or None, initial={"norms": thread.norms})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_norms(
                thread=thread, acting_user=_user(request), text=form.cleaned_data["norms"]
            )
        except ValidationError as error:
            form.add_error("norms", " ".join(error.messages))
        else:
            messages.success(request, _("The team's norms are saved."))
            return redirect("thread_page", uuid=thread.uuid)
    ctx = {"thread": thread, "form": form, "agreement": _agreement(thread)}
    return render(request, "threads/norms.html", ctx)


@login_required
@district_time
def resource_list(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The school's shared resources, filtered by a tag; a coach adds one here."""
    school = _school_for(request, uuid)
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_resource(school=school, acting_user=_user(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("The resource is added and shared in the thread."))
            return redirect("resource_list", uuid=school.uuid)
    tag = " ".join(request.GET.get("tag", "").split()).lower()[:40]
    resources = Resource.objects.filter(school=school, district_id=school.district_id)
    if tag:
        resources = resources.filter(tags__contains=f",{tag},")
    shown = list(resources.select_related("added_by")[:200])
    all_tags = sorted(
        {
            t
            for tags in Resource.objects.filter(school=school).values_list("tags", flat=True)
            for t in tags.split(",")
            if t
        }
    )
    ctx = {"school": school, "resources": shown, "tag": tag, "tags": all_tags, "form": form}
    return render(request, "threads/resources.html", ctx)
