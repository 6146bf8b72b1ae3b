"""Writes for notes: a coach's shared meeting notes and private notes, a teacher's reflections."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.privacy.authoring import check_author
from tandem.privacy.categories import Category
from tandem.schools.models import Engagement

from .models import Note


@transaction.atomic
def create_note(
    *,
    author: User,
    teacher: User,
    title: str,
    body: str,
    met_on: datetime.date | None = None,
    private: bool = False,
    engagement: Engagement | None = None,
) -> Note:
    """A note about the teacher's coaching.

    A coach's note is shared with the teacher, or private (her own, no one
    else's, not even the teacher's); a teacher's own note is a reflection.
    """
    district_id = check_author(author=author, teacher=teacher, engagement=engagement)
    if private and author.pk == teacher.pk:
        raise ValidationError(_("Private notes are a coach's; your reflections are yours already."))
    return Note.objects.create(
        district_id=district_id,
        teacher=teacher,
        author=author,
        category=Category.COACH_PRIVATE if private else Category.NOTES,
        engagement=engagement,
        title=title,
        body=body,
        met_on=met_on or timezone.localdate(),
    )


@transaction.atomic
def update_note(
    *, note: Note, acting_user: User, title: str, body: str, met_on: datetime.date
) -> Note:
    """Change a note's words; whether it is private never changes after it is written."""
    if not note.can_change(acting_user):
        raise PermissionDenied
    note.title, note.body, note.met_on = title, body, met_on
    note.updated_at = timezone.now()
    note.save(update_fields=["title", "body", "met_on", "updated_at"])
    return note
