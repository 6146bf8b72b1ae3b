"""The abstract base every kind of coaching content inherits, with its one door: visible_to()."""

from __future__ import annotations

import uuid
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from . import policy
from .categories import Category


class ContentQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> Self:
        """The rows this person may see: one query, whatever the list."""
        return self.filter(policy.visible_q(self.model, user))


class CoachingContent(models.Model):
    """A row of a teacher's coaching content.

    Child rows (comments, measurements, checklist items) carry no rules of
    their own: they are read through their parent.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s_as_teacher",
        help_text="Whose coaching this is.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_written",
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    engagement = models.ForeignKey(
        "schools.Engagement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s_items",
    )
    held_back = models.BooleanField(
        default=False, help_text="The teacher keeps it to herself, whatever the shares."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def label(self) -> str:
        """How the teacher would name this item in a list ("Goal: …")."""
        return str(self)

    def check_release(self) -> None:
        """Raise ValidationError if the teacher may not release this item yet."""

    def can_change(self, user: Any) -> bool:
        """Its teacher, its author and its engagement's coach may change what they can see."""
        if not type(self).objects.visible_to(user).filter(pk=self.pk).exists():
            return False
        engagement_coach = self.engagement.coach_id if self.engagement is not None else None
        return user.pk in {self.teacher_id, self.author_id, engagement_coach}
