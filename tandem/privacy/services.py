"""Changes to sharing (each audited), the access log, and "who can see this"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.schools.models import CoachingAssignment, School
from tandem.schools.roles import roles_of

from . import policy
from .categories import Category
from .content import CoachingContent
from .models import (
    AccessEvent,
    AgreementNarrowing,
    CategoryShare,
    ItemShare,
    SchoolAgreement,
    SharingChange,
    Via,
)

Action = SharingChange.Action


def content_models() -> list[type[CoachingContent]]:
    """Every concrete kind of coaching content in the project."""
    return [m for m in apps.get_models() if issubclass(m, CoachingContent)]


def _district(user: User) -> int:
    """People who share belong to a district; site operators share nothing."""
    if user.district_id is None:
        raise PermissionDenied
    return user.district_id


def _audit(*, actor: User, action: str, teacher: User | None = None, **fields: Any) -> None:
    SharingChange.objects.create(
        district_id=_district(actor), actor=actor, teacher=teacher, action=action, **fields
    )


def _check_teacher(item_teacher_id: int, acting_user: User) -> None:
    # Only the teacher decides who sees her coaching.
    if acting_user.pk != item_teacher_id:
        raise PermissionDenied


def _check_active_coach(*, teacher: User, coach: User) -> None:
    if not CoachingAssignment.objects.active().filter(teacher=teacher, coach=coach).exists():
        raise ValidationError(
            _("%(name)s is not one of your coaches right now.") % {"name": coach.display_name}
        )


@transaction.atomic
def share_category(*, teacher: User, coach: User, category: str, acting_user: User) -> None:
    """Let one of her coaches see one category of her coaching."""
    _check_teacher(teacher.pk, acting_user)
    if category not in Category.values or category == Category.COACH_PRIVATE:
        raise ValidationError(_("This kind of content cannot be shared."))
    _check_active_coach(teacher=teacher, coach=coach)
    _share, created = CategoryShare.objects.get_or_create(
        district_id=teacher.district_id, teacher=teacher, coach=coach, category=category
    )
    if created:
        _audit(
            actor=acting_user,
            action=Action.SHARE_CATEGORY,
            teacher=teacher,
            coach=coach,
            category=category,
        )


@transaction.atomic
def unshare_category(*, teacher: User, coach: User, category: str, acting_user: User) -> None:
    """Revoke it: effective on the coach's very next request."""
    _check_teacher(teacher.pk, acting_user)
    deleted, _rows = CategoryShare.objects.filter(
        teacher=teacher, coach=coach, category=category
    ).delete()
    if deleted:
        _audit(
            actor=acting_user,
            action=Action.UNSHARE_CATEGORY,
            teacher=teacher,
            coach=coach,
            category=category,
        )


@transaction.atomic
def share_item(*, item: CoachingContent, coach: User, acting_user: User) -> None:
    """Share one item with one coach ("this video with Ms. Lee only")."""
    _check_teacher(item.teacher_id, acting_user)
    if item.category == Category.COACH_PRIVATE:
        raise ValidationError(_("This kind of content cannot be shared."))
    teacher = item.teacher
    _check_active_coach(teacher=teacher, coach=coach)
    content_type = ContentType.objects.get_for_model(item)
    _share, created = ItemShare.objects.get_or_create(
        district_id=item.district_id,
        teacher=teacher,
        coach=coach,
        content_type=content_type,
        object_id=item.pk,
    )
    if created:
        _audit(
            actor=acting_user,
            action=Action.SHARE_ITEM,
            teacher=teacher,
            coach=coach,
            content_type=content_type,
            object_id=item.pk,
            category=item.category,
        )


@transaction.atomic
def unshare_item(*, item: CoachingContent, coach: User, acting_user: User) -> None:
    _check_teacher(item.teacher_id, acting_user)
    content_type = ContentType.objects.get_for_model(item)
    deleted, _rows = ItemShare.objects.filter(
        content_type=content_type, object_id=item.pk, coach=coach
    ).delete()
    if deleted:
        _audit(
            actor=acting_user,
            action=Action.UNSHARE_ITEM,
            teacher=item.teacher,
            coach=coach,
            content_type=content_type,
            object_id=item.pk,
            category=item.category,
        )


@transaction.atomic
def hold_back(*, item: CoachingContent, acting_user: User, held: bool = True) -> None:
    """The teacher keeps an item she created to herself (or releases it)."""
    _check_teacher(item.teacher_id, acting_user)
    if item.author_id != acting_user.pk:
        raise ValidationError(_("You can hold back only what you created or uploaded."))
    if item.held_back == held:
        return
    if not held:
        item.check_release()  # e.g. a lesson video needs the teacher's consent confirmation
    type(item).objects.filter(pk=item.pk).update(held_back=held, updated_at=timezone.now())
    item.held_back = held
    _audit(
        actor=acting_user,
        action=Action.HOLD_BACK if held else Action.RELEASE,
        teacher=item.teacher,
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        category=item.category,
    )


def may_set_agreement(user: User, school: School) -> bool:
    """The school's coaches and its leaders set the coach-to-coach agreement."""
    roles = roles_of(user)
    return school.district_id == roles.district_id and (
        school.pk in roles.coach_at or school.pk in roles.leader_at
    )


@transaction.atomic
def set_agreement(*, school: School, category: str, shared: bool, acting_user: User) -> None:
    if not may_set_agreement(acting_user, school):
        raise PermissionDenied
    if category not in Category.values or category == Category.COACH_PRIVATE:
        raise ValidationError(_("This kind of content cannot be shared."))
    existing = SchoolAgreement.objects.filter(school=school, category=category)
    if shared and not existing.exists():
        SchoolAgreement.objects.create(
            district_id=school.district_id, school=school, category=category, updated_by=acting_user
        )
    elif not shared and existing.exists():
        existing.delete()
    else:
        return
    _audit(
        actor=acting_user,
        action=Action.AGREE if shared else Action.DISAGREE,
        school=school,
        category=category,
    )


@transaction.atomic
def narrow_agreement(*, teacher: User, category: str, narrowed: bool, acting_user: User) -> None:
    """The teacher opts out of (or back into) her school's agreement for one category."""
    _check_teacher(teacher.pk, acting_user)
    if category not in Category.values or category == Category.COACH_PRIVATE:
        raise ValidationError(_("This kind of content cannot be shared."))
    rows = AgreementNarrowing.objects.filter(teacher=teacher, category=category)
    if narrowed and not rows.exists():
        AgreementNarrowing.objects.create(
            district_id=_district(teacher), teacher=teacher, category=category
        )
    elif not narrowed and rows.exists():
        rows.delete()
    else:
        return
    _audit(
        actor=acting_user,
        action=Action.NARROW if narrowed else Action.WIDEN,
        teacher=teacher,
        category=category,
    )


def end_shares(*, assignment: CoachingAssignment, acting_user: User) -> None:
    """Shares belong to the assignment: when the last one of a pair ends, they go.

    Called by `schools.services.end_assignment` inside its transaction.
    """
    still_coaching = (
        CoachingAssignment.objects.active()
        .filter(coach_id=assignment.coach_id, teacher_id=assignment.teacher_id)
        .exclude(pk=assignment.pk)
        .exists()
    )
    if still_coaching:
        return
    pair = {"coach_id": assignment.coach_id, "teacher_id": assignment.teacher_id}
    removed = CategoryShare.objects.filter(**pair).delete()[0]
    removed += ItemShare.objects.filter(**pair).delete()[0]
    if removed:
        _audit(
            actor=acting_user,
            action=Action.ASSIGNMENT_ENDED,
            teacher=assignment.teacher,
            coach=assignment.coach,
        )


def record_access(
    *, viewer: Any, items: Iterable[CoachingContent], via: str = Via.PAGE, path: str = ""
) -> None:
    """One access event per item read by someone other than its teacher, in one insert."""
    events = [
        AccessEvent(
            district_id=item.district_id,
            teacher_id=item.teacher_id,
            viewer_id=viewer.pk,
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            category=item.category,
            label=item.label()[:200],
            via=via,
            path=path[:300],
        )
        for item in items
        if item.teacher_id != viewer.pk
    ]
    if events:
        AccessEvent.objects.bulk_create(events)


@dataclass
class Seer:
    """One person who can see an item, and why, in the teacher's words."""

    user: User
    role: str
    reasons: list[str] = field(default_factory=list)


def team_of(teacher: User) -> dict[int, tuple[User, str]]:
    """The teacher's active coaches with their role labels, by user id."""
    team: dict[int, tuple[User, str]] = {}
    for assignment in (
        CoachingAssignment.objects.active().filter(teacher=teacher).select_related("coach")
    ):
        previous = team.get(assignment.coach_id)
        label = (
            assignment.role_label if previous is None else f"{previous[1]}, {assignment.role_label}"
        )
        team[assignment.coach_id] = (assignment.coach, label)
    return team


def who_can_see(item: CoachingContent) -> list[Seer]:
    """Everyone who can see this item, and why — the policy's own branches, run per person."""
    model = type(item)
    teacher = item.teacher
    content_type = ContentType.objects.get_for_model(item)
    category_shares = {
        (s.coach_id, s.category): s.created_at
        for s in CategoryShare.objects.filter(teacher=teacher, category=item.category)
    }
    item_shares = {
        s.coach_id: s.created_at
        for s in ItemShare.objects.filter(content_type=content_type, object_id=item.pk)
    }
    people: dict[int, tuple[User, str]] = {teacher.pk: (teacher, _("Teacher"))}
    people.update(team_of(teacher))
    if item.author_id not in people:
        people[item.author_id] = (item.author, _("Author"))
    category_label = Category(item.category).label
    seers = []
    for user, role in people.values():
        rules = policy.branches(model, user)
        if not rules:
            continue
        matched = (
            model.objects.filter(pk=item.pk)
            .annotate(
                **{
                    f"rule_{name}": ExpressionWrapper(rule, output_field=BooleanField())
                    for name, rule in rules.items()
                }
            )
            .values(*[f"rule_{name}" for name in rules])
            .first()
        )
        if not matched or not any(matched.values()):
            continue
        reasons = []
        for name in policy.BRANCHES:
            if not matched.get(f"rule_{name}"):
                continue
            if name == "teacher":
                reasons.append(_("this is your coaching"))
            elif name == "private_author":
                reasons.append(_("a private note of theirs"))
            elif name == "own_or_engagement":
                reasons.append(
                    _("they wrote it")
                    if item.author_id == user.pk
                    else _("it belongs to the work you do together")
                )
            elif name == "item_share":
                reasons.append(
                    _("you shared this item with them on %(date)s")
                    % {"date": _date(item_shares.get(user.pk))}
                )
            elif name == "category_share":
                reasons.append(
                    _("you shared %(category)s with them on %(date)s")
                    % {
                        "category": str(category_label).lower(),
                        "date": _date(category_shares.get((user.pk, item.category))),
                    }
                )
            elif name == "agreement":
                reasons.append(
                    _("your school's coaches share %(category)s with each other")
                    % {"category": str(category_label).lower()}
                )
        seers.append(Seer(user=user, role=role, reasons=reasons))
    return seers


def _date(moment: Any) -> str:
    from django.utils.formats import date_format

    if moment is None:
        return "—"
    return date_format(timezone.localtime(moment), "j M")
