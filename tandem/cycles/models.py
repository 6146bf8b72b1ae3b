"""Impact Cycles. For now: the goal, the first kind of coaching content (issue 5 grows it)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.privacy.content import CoachingContent


class GoalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Working on it")
    MET = "met", _("Met")
    SET_ASIDE = "set_aside", _("Set aside")


class Goal(CoachingContent):
    """A student-focused goal, with a measure, a baseline and a target."""

    statement = models.TextField(_("goal"), max_length=1000)
    measure = models.CharField(
        _("how it is measured"),
        max_length=300,
        blank=True,
        help_text=_("For example: % of students who explain their reasoning in writing."),
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=8, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["teacher", "category"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category="goals"), name="cycles_goal_category_is_goals"
            ),
            models.CheckConstraint(
                condition=models.Q(baseline__isnull=True)
                | models.Q(target__isnull=True)
                | ~models.Q(target=models.F("baseline")),
                name="cycles_goal_target_differs_from_baseline",
            ),
        ]

    def __str__(self) -> str:
        return self.statement[:80]

    def label(self) -> str:
        return _("Goal: %(goal)s") % {"goal": self.statement[:120]}

    def get_absolute_url(self) -> str:
        return reverse("goal_detail", args=[self.uuid])
