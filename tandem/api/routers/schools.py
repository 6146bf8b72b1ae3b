"""The schools of the person's district; head-counts only for the schools she manages."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from tandem.schools.models import School
from tandem.schools.queries import school_summaries
from tandem.schools.roles import request_roles

from ..errors import responses

router = Router(tags=["schools"])


class SchoolCountsOut(Schema):
    """Counts, never names: what a school leader or district administrator may see."""

    teachers: int
    coaches: int
    active_assignments: int
    teachers_coached: int


class SchoolOut(Schema):
    uuid: UUID
    name: str
    counts: SchoolCountsOut | None


@router.get(
    "/schools",
    response=responses({200: list[SchoolOut]}, 404),
    operation_id="list_schools",
)
def list_schools(request: HttpRequest) -> list[dict]:
    """Every school of the district; `counts` only where the person leads or administers."""
    roles = request_roles(request)
    schools = School.objects.filter(district_id=roles.district).order_by("name")
    managed = schools if roles.district_admin else schools.filter(pk__in=roles.leader_at)
    # The same counting query as the leaders' home page: one query, whatever the size.
    counts = {s.pk: s for s in school_summaries(managed.values("pk"))}
    return [
        {
            "uuid": school.uuid,
            "name": school.name,
            "counts": counts.get(school.pk),
        }
        for school in schools
    ]
