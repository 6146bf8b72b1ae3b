"""Note pages: thin views that look notes up only through `Note.objects.visible_to()`."""

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
from .forms import NoteCreateForm, NoteFieldsForm
from .models import Note

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _uses_notes(request: HttpRequest) -> None:
    """Notes are for teachers and coaches; for anyone else these pages do not exist."""
    roles = request_roles(request)
    if not (roles.is_teacher or roles.is_coach):
        raise Http404


def _visible(user: User) -> QuerySet[Note]:
    return Note.objects.visible_to(user).select_related("teacher", "author", "engagement__coach")


def _note_for(request: HttpRequest, uuid: Any) -> Note:
    """A note this person may see; for anyone else it does not exist (404, never 403)."""
    return get_object_or_404(_visible(_user(request)), uuid=uuid)


@login_required
@district_time
def note_list(request: HttpRequest) -> HttpResponse:
    """Her own notes first, then those about the teachers she coaches, by teacher."""
    _uses_notes(request)
    user = _user(request)
    notes = _visible(user).order_by(
        mine_first(user),
        "teacher__display_name",
        "teacher_id",
        "-met_on",
        "-created_at",
        "-id",
    )
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    record_access(viewer=user, items=shown, via=Via.PAGE, path=request.path)
    ctx = {"page": page, "groups": by_teacher(shown, user)}
    return render(request, "notes/note_list.html", ctx)


@login_required
@district_time
def note_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    note = _note_for(request, uuid)
    user = _user(request)
    record_access(viewer=user, items=[note], via=Via.PAGE, path=request.path)
    ctx = {"note": note, "panel": item_panel(note, user), "can_change": note.can_change(user)}
    return render(request, "notes/note_detail.html", ctx)


@login_required
def note_create(request: HttpRequest) -> HttpResponse:
    _uses_notes(request)
    user = _user(request)
    roles = request_roles(request)
    form = NoteCreateForm(
        request.POST or None,
        author=user,
        is_teacher=roles.is_teacher,
        is_coach=roles.is_coach,
        initial=initial_teacher(request, user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            note = services.create_note(
                author=user,
                teacher=data["teacher"],
                engagement=data["engagement"],
                title=data["title"],
                body=data["body"],
                met_on=data["met_on"],
                private=form.private,
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Note saved."))
            return redirect(note)
    return render(request, "notes/note_form.html", {"form": form, "note": None})


@login_required
def note_edit(request: HttpRequest, uuid: Any) -> HttpResponse:
    note = _note_for(request, uuid)
    user = _user(request)
    if not note.can_change(user):
        raise PermissionDenied
    initial = {"title": note.title, "body": note.body, "met_on": note.met_on}
    form = NoteFieldsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_note(note=note, acting_user=user, **form.cleaned_data)
        messages.success(request, _("Note saved."))
        return redirect(note)
    return render(request, "notes/note_form.html", {"form": form, "note": note})
