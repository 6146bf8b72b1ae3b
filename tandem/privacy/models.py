"""Sharing is data: three small tables, plus the access log and the audit of changes."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .categories import Category


class CategoryShare(models.Model):
    """A teacher shares one category of her coaching with one coach."""

    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="category_shares_given"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="category_shares"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "coach", "category"], name="privacy_categoryshare_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(category=Category.COACH_PRIVATE),
                name="privacy_categoryshare_not_coach_private",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher_id} → {self.coach_id}: {self.category}"


class ItemShare(models.Model):
    """A teacher shares one item with one coach ("this video with Ms. Lee only")."""

    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="item_shares_given"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="item_shares"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "coach"], name="privacy_itemshare_unique"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.teacher_id} → {self.coach_id}: item {self.object_id}"


class SchoolAgreement(models.Model):
    """What the coaches of one school share with each other by default, per category.

    Set by the school's coaches and leader; shown to every teacher, each of
    whom may narrow it for herself (`AgreementNarrowing`).
    """

    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="sharing_agreements"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "category"], name="privacy_schoolagreement_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(category=Category.COACH_PRIVATE),
                name="privacy_schoolagreement_not_coach_private",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.category}"


class AgreementNarrowing(models.Model):
    """A teacher opts out of her school's agreement for one category."""

    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agreement_narrowings"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "category"], name="privacy_narrowing_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher_id} narrows {self.category}"


class Via(models.TextChoices):
    PAGE = "page", _("a page")
    API = "api", _("the API")


class AppendOnlyQuerySet(models.QuerySet["AccessEvent"]):
    """Access events are never changed or removed from the app, only purged by retention."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("Access events are append-only.")

    def delete(self) -> NoReturn:
        raise TypeError("Access events are append-only; use AccessEvent.purge_before().")


class AccessEvent(models.Model):
    """Someone other than the teacher read one of her items."""

    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_events"
    )
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    category = models.CharField(max_length=20, choices=Category.choices)
    label = models.CharField(max_length=200, help_text=_("What was read, as the teacher knows it."))
    via = models.CharField(max_length=8, choices=Via.choices)
    path = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["teacher", "-at"])]

    def __str__(self) -> str:
        return f"{self.viewer_id} read {self.label} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("Access events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Access events are append-only.")

    @classmethod
    def purge_before(cls, moment: Any) -> int:
        """Retention: the one path that removes events."""
        # A plain QuerySet: AppendOnlyQuerySet refuses deletes on purpose.
        queryset: Any = models.QuerySet(model=cls).filter(at__lt=moment)
        return int(queryset._raw_delete(queryset.db))


class SharingChange(models.Model):
    """The audit of every sharing change: who changed what, when."""

    class Action(models.TextChoices):
        SHARE_CATEGORY = "share_category", _("shared a category")
        UNSHARE_CATEGORY = "unshare_category", _("stopped sharing a category")
        SHARE_ITEM = "share_item", _("shared an item")
        UNSHARE_ITEM = "unshare_item", _("stopped sharing an item")
        HOLD_BACK = "hold_back", _("held an item back")
        RELEASE = "release", _("released an item")
        AGREE = "agree", _("added a category to the school agreement")
        DISAGREE = "disagree", _("removed a category from the school agreement")
        NARROW = "narrow", _("narrowed the school agreement")
        WIDEN = "widen", _("followed the school agreement again")
        ASSIGNMENT_ENDED = "assignment_ended", _("ended an assignment, and its shares")

    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, null=True, related_name="+"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True)
    object_id = models.PositiveBigIntegerField(null=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["teacher", "-at"])]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.action} at {self.at:%Y-%m-%d %H:%M}"
