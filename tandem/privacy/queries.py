"""Read-side helpers for the privacy pages: a few queries each, whatever the number of rows.

Coaching content itself is read only through `visible_to()`. The one exception
is `private_note_counts`: the teacher is told how many coach-private notes exist
about her coaching, and by whom, never what they say.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from tandem.accounts.models import User
from tandem.schools.models import CoachingAssignment, School

from .authoring import district_of
from .categories import SHAREABLE, Category
from .content import CoachingContent
from .models import AgreementNarrowing, CategoryShare, ItemShare, SchoolAgreement, SharingChange
from .services import Seer, content_models, who_can_see


@dataclass
class TeamMember:
    """One of the teacher's active coaches: every kind of coaching they give her, in one line."""

    user: User
    role: str
    school_ids: set[int] = field(default_factory=set)


def team(teacher: User) -> list[TeamMember]:
    """Her active coaches, by name: one query."""
    members: dict[int, TeamMember] = {}
    for assignment in (
        CoachingAssignment.objects.active()
        .filter(teacher=teacher)
        .select_related("coach")
        .order_by("coach__display_name", "coach_id", "starts_on")
    ):
        member = members.get(assignment.coach_id)
        if member is None:
            member = members[assignment.coach_id] = TeamMember(
                assignment.coach, assignment.role_label
            )
        elif assignment.role_label not in member.role:
            member.role = f"{member.role}, {assignment.role_label}"
        member.school_ids.add(assignment.school_id)
    return list(members.values())


@dataclass
class Cell:
    coach: User
    category: Category
    shared: bool


@dataclass
class GridRow:
    member: TeamMember
    cells: list[Cell]


def share_grid(teacher: User, members: list[TeamMember]) -> list[GridRow]:
    """The grid of coaches by categories of her category shares: one query."""
    shared = set(CategoryShare.objects.filter(teacher=teacher).values_list("coach_id", "category"))
    return [
        GridRow(
            member=m,
            cells=[Cell(m.user, c, (m.user.pk, c.value) in shared) for c in SHAREABLE],
        )
        for m in members
    ]


@dataclass
class AgreementRow:
    category: Category
    schools: list[School]  # the schools of hers whose coaches share this category
    narrowed: bool


def agreement_rows(teacher: User, school_ids: Iterable[int]) -> list[AgreementRow]:
    """Her schools' coach-to-coach agreement per category, and whether she narrowed it."""
    agreed: dict[str, list[School]] = {}
    for row in SchoolAgreement.objects.filter(
        school_id__in=list(school_ids), district_id=district_of(teacher)
    ).select_related("school"):
        agreed.setdefault(row.category, []).append(row.school)
    narrowed = set(
        AgreementNarrowing.objects.filter(teacher=teacher).values_list("category", flat=True)
    )
    return [
        AgreementRow(
            category=c,
            schools=sorted(agreed.get(c.value, []), key=lambda s: s.name),
            narrowed=c.value in narrowed,
        )
        for c in SHAREABLE
    ]


@dataclass
class PrivateCount:
    author_name: str
    count: int


def private_note_counts(teacher: User) -> list[PrivateCount]:
    """How many coach-private notes each author keeps about her coaching: counts, never content."""
    counts: dict[tuple[int, str], int] = {}
    for model in content_models():
        for row in (
            model.objects.filter(
                teacher=teacher, district_id=district_of(teacher), category=Category.COACH_PRIVATE
            )
            .order_by()
            .values("author_id", "author__display_name")
            .annotate(n=Count("pk"))
        ):
            key = (row["author_id"], row["author__display_name"])
            counts[key] = counts.get(key, 0) + row["n"]
    return [
        PrivateCount(name, n) for (_id, name), n in sorted(counts.items(), key=lambda kv: kv[0][1])
    ]


def held_back(teacher: User) -> list[CoachingContent]:
    """The items she keeps to herself, newest first: one query per kind of content."""
    items: list[CoachingContent] = []
    for model in content_models():
        items.extend(model.objects.visible_to(teacher).filter(teacher=teacher, held_back=True))
    return sorted(items, key=lambda item: item.created_at, reverse=True)


def labels_for(viewer: User, refs: Iterable[tuple[int | None, int | None]]) -> dict[Any, str]:
    """Labels of the items (content type id, object id) this person may see; one query per kind."""
    wanted: dict[int, set[int]] = {}
    for content_type_id, object_id in refs:
        if content_type_id is not None and object_id is not None:
            wanted.setdefault(content_type_id, set()).add(object_id)
    labels: dict[Any, str] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, CoachingContent):
            continue
        for item in model.objects.visible_to(viewer).filter(pk__in=ids):
            labels[(content_type_id, item.pk)] = item.label()
    return labels


def sharing_history(teacher: User, school_ids: Iterable[int]) -> Any:
    """Every sharing change concerning her: her own rules, and her schools' agreement."""
    from django.db.models import Q

    return (
        SharingChange.objects.filter(district_id=district_of(teacher))
        .filter(Q(teacher=teacher) | Q(teacher__isnull=True, school_id__in=list(school_ids)))
        .select_related("actor", "coach", "school")
        .order_by("-at", "-id")
    )


@dataclass
class ItemPanel:
    """What the "Who can see this" panel of one item shows to one person."""

    item: CoachingContent
    kind: str
    seers: list[Seer]
    is_teacher: bool
    can_hold_back: bool
    toggles: list[tuple[TeamMember, bool]]  # her active coaches, and whether the item is theirs


def item_panel(item: CoachingContent, viewer: User) -> ItemPanel:
    is_teacher = item.teacher_id == viewer.pk
    toggles: list[tuple[TeamMember, bool]] = []
    if is_teacher and item.category != Category.COACH_PRIVATE:
        shared_with = set(
            ItemShare.objects.filter(
                content_type=ContentType.objects.get_for_model(item), object_id=item.pk
            ).values_list("coach_id", flat=True)
        )
        toggles = [(m, m.user.pk in shared_with) for m in team(viewer)]
    return ItemPanel(
        item=item,
        kind=type(item)._meta.model_name or "",
        seers=who_can_see(item),
        is_teacher=is_teacher,
        can_hold_back=is_teacher and item.author_id == viewer.pk,
        toggles=toggles,
    )
