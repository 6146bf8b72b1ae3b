"""Read-side helpers shared by pages and the API: one query each, whatever the district's size."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import AssignmentStatus, CoachingAssignment, Membership, Role, School


def _count(queryset: QuerySet, field: str = "pk") -> Coalesce:
    counted = (
        queryset.order_by().values("school_id").annotate(n=Count(field, distinct=True)).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def school_summaries(school_ids: QuerySet | list[int]) -> QuerySet[School]:
    """Schools with head-counts only: teachers, coaches, active pairings, teachers coached."""
    today = timezone.localdate()
    at_school = Membership.objects.filter(school_id=OuterRef("pk"))
    active = CoachingAssignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        school_id=OuterRef("pk"),
        status=AssignmentStatus.ACTIVE,
        starts_on__lte=today,
    )
    return School.objects.filter(pk__in=school_ids).annotate(
        teachers=_count(at_school.filter(role=Role.TEACHER), "user_id"),
        coaches=_count(at_school.filter(role=Role.COACH), "user_id"),
        active_assignments=_count(active),
        teachers_coached=_count(active, "teacher_id"),
    )
