"""Her notifications: the list (which marks what it shows as read) and "mark all read"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.privacy.pages import district_time

from . import services
from .models import Notification

PAGE_SIZE = 50


@login_required
@district_time
def notification_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    page = Paginator(Notification.objects.for_user(user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = list(page.object_list)
    unread_ids = [n.pk for n in shown if n.read_at is None]
    if unread_ids:
        # Shown once as new, then read: what she has seen no longer counts in the header.
        services.mark_read(user=user, ids=unread_ids)
    ctx = {"page": page, "notifications": shown, "new_ids": set(unread_ids)}
    return render(request, "notifications/notification_list.html", ctx)


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    services.mark_read(user=user)
    messages.success(request, _("All your notifications are marked as read."))
    return redirect("notification_list")
