"""Writes for Impact Cycles. For now: setting and changing a goal (issue 5 grows the cycle)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.privacy.authoring import check_author
from tandem.privacy.categories import Category
from tandem.schools.models import Engagement

from .models import Goal, GoalStatus


def _check_measure(baseline: Decimal | None, target: Decimal | None) -> None:
    if baseline is not None and target is not None and baseline == target:
        raise ValidationError(_("The target should differ from the baseline."))


@transaction.atomic
def create_goal(
    *,
    author: User,
    teacher: User,
    statement: str,
    measure: str = "",
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    engagement: Engagement | None = None,
) -> Goal:
    """A goal of the teacher's, set by herself or by a coach she works with."""
    district_id = check_author(author=author, teacher=teacher, engagement=engagement)
    _check_measure(baseline, target)
    return Goal.objects.create(
        district_id=district_id,
        teacher=teacher,
        author=author,
        category=Category.GOALS,
        engagement=engagement,
        statement=statement,
        measure=measure,
        baseline=baseline,
        target=target,
    )


@transaction.atomic
def update_goal(
    *,
    goal: Goal,
    acting_user: User,
    statement: str,
    measure: str,
    baseline: Decimal | None,
    target: Decimal | None,
    status: str,
) -> Goal:
    """Change a goal: its teacher, its author and its cycle's coach may."""
    if not goal.can_change(acting_user):
        raise PermissionDenied
    if status not in GoalStatus.values:
        raise ValidationError(_("Choose a status from the list."))
    _check_measure(baseline, target)
    goal.statement, goal.measure, goal.status = statement, measure, status
    goal.baseline, goal.target = baseline, target
    goal.updated_at = timezone.now()
    goal.save(update_fields=["statement", "measure", "baseline", "target", "status", "updated_at"])
    return goal
