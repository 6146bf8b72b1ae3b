"""The teacher's privacy: her sharing rules, her school's agreement, who looked, what changed.

The same services as the privacy pages, each change audited and effective on
the very next request. A person's rules, access log and sharing history are
her own: the reads answer for the person who asks (empty for someone with no
coaching of her own), and only a teacher changes her rules (403 for anyone
else). A school's coach-to-coach agreement is set by its coaches and its
leader (403 for anyone else in the district; 404 outside it).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, get_args
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from tandem.accounts.models import User
from tandem.privacy import services
from tandem.privacy.content import CoachingContent
from tandem.privacy.models import (
    AccessEvent,
    AgreementNarrowing,
    CategoryShare,
    SchoolAgreement,
    SharingChange,
    Via,
)
from tandem.schools.models import CoachingAssignment, School
from tandem.schools.roles import request_roles

from ..errors import responses
from ..schemas import (
    PageIn,
    PersonOut,
    SchoolRefOut,
    ShareableCategory,
    acting_user,
    person,
    school,
)

router = Router(tags=["privacy"])


def _teacher(request: HttpRequest) -> User:
    """The person, if she teaches: only a teacher has coaching whose sharing she decides."""
    if not request_roles(request).is_teacher:
        raise PermissionDenied
    return acting_user(request)


def _her_schools(request: HttpRequest) -> QuerySet[School, Any]:
    """The schools whose agreement reaches her: where she teaches, and where she is coached."""
    user = acting_user(request)
    coached_at = CoachingAssignment.objects.active().filter(teacher=user).values("school_id")
    teaching = list(request_roles(request).teacher_at)
    return School.objects.filter(
        Q(pk__in=teaching) | Q(pk__in=coached_at), district_id=request_roles(request).district
    ).values("pk")


def _page(query: PageIn) -> slice:
    start = (query.page - 1) * query.page_size
    return slice(start, start + query.page_size)


class ItemRefOut(Schema):
    """An item of her coaching, as she knows it; `uuid` only while she may open it."""

    kind: str
    uuid: UUID | None
    label: str | None


def _items(viewer: User, refs: Iterable[tuple[int | None, int | None]]) -> dict[Any, Any]:
    """The items these rows name that she may see, by (content type, id): one query per kind."""
    wanted: dict[int, set[int]] = {}
    for content_type_id, object_id in refs:
        if content_type_id is not None and object_id is not None:
            wanted.setdefault(content_type_id, set()).add(object_id)
    found: dict[Any, CoachingContent] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, CoachingContent):
            continue
        for item in model.objects.visible_to(viewer).filter(pk__in=ids):
            found[(content_type_id, item.pk)] = item
    return found


def _ref(
    content_type_id: int | None,
    object_id: int | None,
    items: dict[Any, CoachingContent],
    label: str | None = None,
) -> dict[str, Any] | None:
    if content_type_id is None or object_id is None:
        return None
    item = items.get((content_type_id, object_id))
    return {
        "kind": ContentType.objects.get_for_id(content_type_id).model,
        "uuid": item.uuid if item is not None else None,
        "label": label if label is not None else (item.label() if item is not None else None),
    }


# Her sharing rules ----------------------------------------------------------------------


class TeamMemberOut(PersonOut):
    """One of her active coaches, with every kind of coaching he gives her."""

    role: str


class CategoryShareOut(Schema):
    coach: PersonOut
    category: str
    shared_at: datetime.datetime


class NarrowingOut(Schema):
    category: str
    narrowed_at: datetime.datetime


class AgreementOut(Schema):
    """Her school's coaches share this category with each other, unless she narrowed it."""

    school: SchoolRefOut
    category: str
    agreed_at: datetime.datetime


class SharingOut(Schema):
    coaches: list[TeamMemberOut]
    category_shares: list[CategoryShareOut]
    narrowings: list[NarrowingOut]
    agreements: list[AgreementOut]


@router.get("/privacy/shares", response=responses({200: SharingOut}), operation_id="get_sharing")
def get_sharing(request: HttpRequest) -> dict:
    """Her coaches, the categories she shares with each, where she narrowed her schools'
    coach-to-coach agreement, and that agreement. Four queries, whatever the team."""
    user = acting_user(request)
    team = services.team_of(user)
    return {
        "coaches": [
            {"uuid": coach.uuid, "display_name": coach.display_name, "role": role}
            for coach, role in sorted(team.values(), key=lambda member: member[0].display_name)
        ],
        "category_shares": [
            {"coach": share.coach, "category": share.category, "shared_at": share.created_at}
            for share in CategoryShare.objects.filter(teacher=user)
            .select_related("coach")
            .order_by("coach__display_name", "category")
        ],
        "narrowings": [
            {"category": row.category, "narrowed_at": row.created_at}
            for row in AgreementNarrowing.objects.filter(teacher=user).order_by("category")
        ],
        "agreements": [
            {"school": row.school, "category": row.category, "agreed_at": row.updated_at}
            for row in SchoolAgreement.objects.filter(
                district_id=request_roles(request).district, school_id__in=_her_schools(request)
            )
            .select_related("school")
            .order_by("school__name", "category")
        ],
    }


@router.put(
    "/privacy/shares/{coach_uuid}/{category}",
    response=responses({204: None}, 400, 404, 422),
    operation_id="share_category",
)
def share_category(
    request: HttpRequest, coach_uuid: UUID, category: ShareableCategory
) -> Status[None]:
    """She lets one of her coaches see one category of her coaching (400 if he is not one
    of her coaches now)."""
    teacher = _teacher(request)
    services.share_category(
        teacher=teacher,
        coach=person(request, coach_uuid),
        category=category,
        acting_user=teacher,
    )
    return Status(204, None)


@router.delete(
    "/privacy/shares/{coach_uuid}/{category}",
    response=responses({204: None}, 404, 422),
    operation_id="unshare_category",
)
def unshare_category(
    request: HttpRequest, coach_uuid: UUID, category: ShareableCategory
) -> Status[None]:
    """She stops sharing the category with him: effective on his very next request."""
    teacher = _teacher(request)
    services.unshare_category(
        teacher=teacher,
        coach=person(request, coach_uuid),
        category=category,
        acting_user=teacher,
    )
    return Status(204, None)


@router.put(
    "/privacy/narrowings/{category}",
    response=responses({204: None}, 422),
    operation_id="narrow_agreement",
)
def narrow_agreement(request: HttpRequest, category: ShareableCategory) -> Status[None]:
    """She opts out of her schools' coach-to-coach agreement for one category."""
    teacher = _teacher(request)
    services.narrow_agreement(
        teacher=teacher, category=category, narrowed=True, acting_user=teacher
    )
    return Status(204, None)


@router.delete(
    "/privacy/narrowings/{category}",
    response=responses({204: None}, 422),
    operation_id="widen_agreement",
)
def widen_agreement(request: HttpRequest, category: ShareableCategory) -> Status[None]:
    """She follows her schools' agreement for that category again."""
    teacher = _teacher(request)
    services.narrow_agreement(
        teacher=teacher, category=category, narrowed=False, acting_user=teacher
    )
    return Status(204, None)


# A school's coach-to-coach agreement ----------------------------------------------------


class AgreementCategoryOut(Schema):
    category: str
    agreed: bool
    updated_by: PersonOut | None
    updated_at: datetime.datetime | None


class SchoolAgreementOut(Schema):
    school: SchoolRefOut
    categories: list[AgreementCategoryOut]
    may_change: bool


@router.get(
    "/privacy/schools/{school_uuid}/agreement",
    response=responses({200: SchoolAgreementOut}, 404, 422),
    operation_id="get_school_agreement",
)
def get_school_agreement(request: HttpRequest, school_uuid: UUID) -> dict:
    """What the school's coaches share with each other by default, per category: shown to
    everyone in the district, set by the school's coaches and its leader."""
    found = school(request, school_uuid)
    agreed = {
        row.category: row
        for row in SchoolAgreement.objects.filter(school=found).select_related("updated_by")
    }
    return {
        "school": found,
        "categories": [
            {
                "category": category,
                "agreed": category in agreed,
                "updated_by": agreed[category].updated_by if category in agreed else None,
                "updated_at": agreed[category].updated_at if category in agreed else None,
            }
            for category in get_args(ShareableCategory)
        ],
        "may_change": services.may_set_agreement(acting_user(request), found),
    }


@router.put(
    "/privacy/schools/{school_uuid}/agreement/{category}",
    response=responses({204: None}, 404, 422),
    operation_id="add_to_school_agreement",
)
def add_to_school_agreement(
    request: HttpRequest, school_uuid: UUID, category: ShareableCategory
) -> Status[None]:
    """The school's coaches share this category with each other by default, for every
    teacher who has not narrowed it."""
    services.set_agreement(
        school=school(request, school_uuid),
        category=category,
        shared=True,
        acting_user=acting_user(request),
    )
    return Status(204, None)


@router.delete(
    "/privacy/schools/{school_uuid}/agreement/{category}",
    response=responses({204: None}, 404, 422),
    operation_id="remove_from_school_agreement",
)
def remove_from_school_agreement(
    request: HttpRequest, school_uuid: UUID, category: ShareableCategory
) -> Status[None]:
    """The school's coaches no longer share this category by default."""
    services.set_agreement(
        school=school(request, school_uuid),
        category=category,
        shared=False,
        acting_user=acting_user(request),
    )
    return Status(204, None)


# Who looked, and what changed -----------------------------------------------------------


class AccessEventOut(Schema):
    viewer: PersonOut
    viewer_role: str | None
    item: ItemRefOut
    category: str
    via: Via
    at: datetime.datetime


class AccessEventPageOut(Schema):
    items: list[AccessEventOut]
    count: int


@router.get(
    "/privacy/access-events",
    response=responses({200: AccessEventPageOut}, 422),
    operation_id="list_access_events",
)
def list_access_events(request: HttpRequest, query: Query[PageIn]) -> dict:
    """Who looked at her coaching: who read what, when, through a page or the API, newest
    first. `viewer_role` while the viewer is on her team."""
    user = acting_user(request)
    events = (
        AccessEvent.objects.filter(teacher=user, district_id=request_roles(request).district)
        .select_related("viewer")
        .order_by("-at", "-id")
    )
    shown = list(events[_page(query)])
    items = _items(user, [(event.content_type_id, event.object_id) for event in shown])
    roles = {coach.pk: role for coach, role in services.team_of(user).values()} if shown else {}
    return {
        "items": [
            {
                "viewer": event.viewer,
                "viewer_role": roles.get(event.viewer_id),
                "item": _ref(event.content_type_id, event.object_id, items, label=event.label),
                "category": event.category,
                "via": event.via,
                "at": event.at,
            }
            for event in shown
        ],
        "count": events.count(),
    }


class SharingChangeOut(Schema):
    actor: PersonOut
    action: SharingChange.Action
    coach: PersonOut | None
    school: SchoolRefOut | None
    category: str | None
    item: ItemRefOut | None
    at: datetime.datetime


class SharingChangePageOut(Schema):
    items: list[SharingChangeOut]
    count: int


@router.get(
    "/privacy/changes",
    response=responses({200: SharingChangePageOut}, 422),
    operation_id="list_sharing_changes",
)
def list_sharing_changes(request: HttpRequest, query: Query[PageIn]) -> dict:
    """Every change to who sees her coaching, newest first: her own rules, the assignments
    that ended with their shares, and her schools' coach-to-coach agreement."""
    user = acting_user(request)
    changes = (
        SharingChange.objects.filter(district_id=request_roles(request).district)
        .filter(Q(teacher=user) | Q(teacher__isnull=True, school_id__in=_her_schools(request)))
        .select_related("actor", "coach", "school")
        .order_by("-at", "-id")
    )
    shown = list(changes[_page(query)])
    items = _items(user, [(change.content_type_id, change.object_id) for change in shown])
    return {
        "items": [
            {
                "actor": change.actor,
                "action": change.action,
                "coach": change.coach,
                "school": change.school,
                "category": change.category or None,
                "item": _ref(change.content_type_id, change.object_id, items),
                "at": change.at,
            }
            for change in shown
        ],
        "count": changes.count(),
    }
