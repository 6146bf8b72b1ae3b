"""The visibility policy: who may see which coaching content, as one SQL filter.

This is DESIGN.md "The privacy model", rules 1 to 4, written once. A person sees
an item when:

1. `teacher`: she is its teacher (coach-private notes excepted: the teacher is
   told they exist, but they are their author's alone);
2. `private_author`: it is a coach-private note she wrote, while she coaches the teacher;
3. `own_or_engagement`: she wrote it, or it belongs to an engagement she coaches,
   while her assignment to the teacher is active, unless the teacher held it back;
4. `item_share`, `category_share`, `agreement`: she is an active coach of the
   teacher and the item, or its category, is shared with her — directly, or
   through her school's coach-to-coach agreement that the teacher has not
   narrowed — and it is not held back.

Nothing else: school leaders and district admins see no item. Every branch is
scoped to the person's district. `visible_q` is the OR of the branches; "who
can see this" evaluates the same branches one by one to say why.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, Q

from tandem.schools.models import CoachingAssignment

from .categories import Category
from .models import AgreementNarrowing, CategoryShare, ItemShare

BRANCHES = (
    "teacher",
    "private_author",
    "own_or_engagement",
    "item_share",
    "category_share",
    "agreement",
)


def branches(model: type[Model], user: Any) -> dict[str, Q]:
    """Each rule as a Q on `model`, for this person; empty for anonymous visitors."""
    if not getattr(user, "is_authenticated", False) or user.district_id is None:
        return {}
    uid = user.pk
    coaching = Exists(
        CoachingAssignment.objects.active().filter(coach_id=uid, teacher_id=OuterRef("teacher_id"))
    )
    shared_content = ~Q(category=Category.COACH_PRIVATE) & Q(held_back=False) & coaching
    content_type = ContentType.objects.get_for_model(model)
    same_district = Q(district_id=user.district_id)
    rules: dict[str, Any] = {
        "teacher": Q(teacher_id=uid) & ~Q(category=Category.COACH_PRIVATE),
        "private_author": Q(category=Category.COACH_PRIVATE, author_id=uid) & coaching,
        "own_or_engagement": (Q(author_id=uid) | Q(engagement__coach_id=uid)) & shared_content,
        "item_share": Exists(
            ItemShare.objects.filter(
                content_type=content_type, object_id=OuterRef("pk"), coach_id=uid
            )
        )
        & shared_content,
        "category_share": Exists(
            CategoryShare.objects.filter(
                teacher_id=OuterRef("teacher_id"), coach_id=uid, category=OuterRef("category")
            )
        )
        & shared_content,
        "agreement": Exists(
            CoachingAssignment.objects.active().filter(
                coach_id=uid,
                teacher_id=OuterRef("teacher_id"),
                school__sharing_agreements__category=OuterRef("category"),
            )
        )
        & ~Exists(
            AgreementNarrowing.objects.filter(
                teacher_id=OuterRef("teacher_id"), category=OuterRef("category")
            )
        )
        & shared_content,
    }
    return {name: same_district & rule for name, rule in rules.items()}


def visible_q(model: type[Model], user: Any) -> Q:
    rules = list(branches(model, user).values())
    if not rules:
        return Q(pk__in=[])
    combined = rules[0]
    for rule in rules[1:]:
        combined |= rule
    return combined
