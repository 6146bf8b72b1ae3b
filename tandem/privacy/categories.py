"""The categories coaching content falls into: one list, used everywhere."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    GOALS = "goals", _("Goals and plans")
    EVIDENCE = "evidence", _("Evidence and observation data")
    VIDEO = "video", _("Lesson video")
    NOTES = "notes", _("Notes and reflections")
    SUGGESTIONS = "suggestions", _("Suggestions")
    FEEDBACK = "feedback", _("Feedback")
    COACH_PRIVATE = "coach_private", _("Coach-private notes")


# What a teacher can share with coaches: everything but coach-private notes,
# which are their author's alone.
SHAREABLE = [c for c in Category if c != Category.COACH_PRIVATE]
# Lesson video and uploaded evidence start held back: the teacher looks first.
HELD_BACK_AT_FIRST = {Category.VIDEO, Category.EVIDENCE}
