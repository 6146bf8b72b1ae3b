"""Meeting notes and reflections, and a coach's private notes."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.privacy.content import CoachingContent


class Note(CoachingContent):
    """A note about a teacher's coaching: shared meeting notes, a reflection, or coach-private.

    Plain text only: it is always escaped when shown, so a script tag is just text.
    """

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("note"), max_length=20_000)
    met_on = models.DateField(_("date"), default=timezone.localdate)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-met_on", "-created_at"]
        indexes = [models.Index(fields=["teacher", "category"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=["notes", "coach_private"]),
                name="notes_note_category_is_notes_or_private",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def label(self) -> str:
        # A private note's title is its author's alone: the teacher's access log
        # and sharing history name it without saying what it is about.
        if self.category == "coach_private":
            return str(_("A coach's private note"))
        return _("Note: %(title)s") % {"title": self.title}

    def get_absolute_url(self) -> str:
        return reverse("note_detail", args=[self.uuid])
