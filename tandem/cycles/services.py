"""Writes for Impact Cycles: each a keyword-only function, one transaction.

Every change to a cycle or anything in it goes through here, checks that the
cycle is still open (`check_open`) and that the form was not stale
(`check_version`), and marks activity (`touch`) for the caseload's "stalled".
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.privacy.authoring import check_author, district_of
from tandem.privacy.categories import Category
from tandem.schools.models import CoachingAssignment, Engagement, EngagementKind

from .models import Cycle, Goal, GoalStatus, Stage


class StaleEdit(ValidationError):
    """Someone else saved this since the form was opened: nothing was overwritten."""


def check_open(cycle: Cycle) -> None:
    """A met or closed cycle is a record: it does not change."""
    if not cycle.is_open:
        raise ValidationError(
            _("This cycle has ended, so it can no longer be changed. Start a new cycle instead.")
        )


def check_version(obj: Cycle | Goal, expected: int | None) -> None:
    """`expected` is the version the form was opened at (None: the caller did not say)."""
    if expected is not None and expected != obj.version:
        raise StaleEdit(
            _(
                "This was changed by someone else since you opened it. "
                "Your changes were not saved: look at the current version and make them again."
            )
        )


def touch(cycle: Cycle, *, bump: bool = False) -> None:
    """Mark activity on the cycle (and a new version when the cycle itself changed)."""
    now = timezone.now()
    fields: dict[str, object] = {"last_activity_at": now, "updated_at": now}
    cycle.last_activity_at = cycle.updated_at = now
    if bump:
        cycle.version += 1
        fields["version"] = cycle.version
    Cycle.objects.filter(pk=cycle.pk).update(**fields)


@transaction.atomic
def start_cycle(
    *, coach: User, teacher: User, acting_user: User, title: str = "", previous: Cycle | None = None
) -> Cycle:
    """A new Impact Cycle of the teacher's with a coach who actively coaches her.

    Either of them may start it. With `previous`, the new cycle carries that
    cycle's evidence forward (see `carry_evidence_forward`).
    """
    district_id = district_of(teacher)
    if acting_user.pk not in {coach.pk, teacher.pk}:
        raise PermissionDenied
    assignment = (
        CoachingAssignment.objects.active()
        .filter(coach=coach, teacher=teacher, district_id=district_id)
        .select_related("school")
        .first()
    )
    if assignment is None or acting_user.district_id != district_id:
        raise PermissionDenied
    engagement = Engagement.objects.create(
        district_id=district_id,
        school=assignment.school,
        teacher=teacher,
        coach=coach,
        kind=EngagementKind.IMPACT_CYCLE,
        title=title.strip() or _("Impact Cycle"),
    )
    return Cycle.objects.create(
        district_id=district_id,
        teacher=teacher,
        author=acting_user,
        category=Category.GOALS,
        engagement=engagement,
        stage=Stage.IDENTIFY,
        previous=previous,
    )


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
