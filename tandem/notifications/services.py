"""Writing notifications: keyword-only, one transaction each."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User

from .models import Notification


@transaction.atomic
def notify(*, user: User, text: str, url: str = "") -> Notification:
    """Tell this person something in the app. The text carries no coaching content: only
    that something happened, and a link to it (the link is checked when it is opened)."""
    if user.district_id is None:
        raise PermissionDenied
    return Notification.objects.create(
        district_id=user.district_id, user=user, text=text.strip()[:300], url=url[:300]
    )


@transaction.atomic
def mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark these of her notifications read, or all of them; returns how many changed."""
    found = Notification.objects.for_user(user).unread()
    if ids is not None:
        found = found.filter(pk__in=ids)
    return found.update(read_at=timezone.now())
