"""The strategy library, and the teaching frameworks a district may tag work with.

Not coaching content: a strategy says what a move is, not what a teacher did.
Tandem's own strategies (`district` empty) are seen by every district; a
district's coaches may add their own, seen only in that district.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class StrategyQuerySet(models.QuerySet["Strategy"]):
    def available_to(self, user: Any) -> StrategyQuerySet:
        """Tandem's strategies and the person's own district's."""
        if not getattr(user, "is_authenticated", False) or user.district_id is None:
            return self.none()
        return self.filter(Q(district__isnull=True) | Q(district_id=user.district_id))


class Strategy(models.Model):
    """A teaching strategy: what it is, the moves of it as a checklist, resources, source."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(
        "schools.District",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for Tandem's own library, seen by every district.",
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(_("name"), max_length=120)
    summary = models.CharField(_("in one sentence"), max_length=300)
    description = models.TextField(_("description"), max_length=5000)
    checklist = models.JSONField(
        _("checklist"), default=list, help_text="The moves of the strategy, one string each."
    )
    tags = models.JSONField(_("tags"), default=list)
    resources = models.JSONField(
        _("resources"), default=list, blank=True, help_text='[{"title": …, "url": …}]'
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    translations = models.JSONField(
        default=dict,
        blank=True,
        help_text='Other languages: {"es": {"name", "summary", "description", "checklist"}}.',
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = StrategyQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "slug"], name="library_strategy_slug"),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(district__isnull=True),
                name="library_strategy_slug_shared",
            ),
            # One name per district, whatever its case (`services.add_strategy` says so first).
            models.UniqueConstraint(Lower("name"), "district", name="library_strategy_name"),
        ]

    def __str__(self) -> str:
        return self.localized("name")

    def get_absolute_url(self) -> str:
        return reverse("strategy_detail", args=[self.uuid])

    def localized(self, field: str, language: str | None = None) -> Any:
        """The field in the reader's language when the library has it, else as written."""
        language = (language or get_language() or "en")[:2]
        return self.translations.get(language, {}).get(field) or getattr(self, field)


class FrameworkTag(models.Model):
    """One element of a district's teaching framework (e.g. a domain), to tag goals and evidence.

    Optional: a district with no framework has no tags and sees no tag fields.
    """

    district = models.ForeignKey("schools.District", on_delete=models.CASCADE, related_name="+")
    framework = models.CharField(_("framework"), max_length=120)
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        verbose_name = _("framework tag")
        verbose_name_plural = _("framework tags")
        ordering = ["framework", "code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "framework", "code"], name="library_frameworktag_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"
