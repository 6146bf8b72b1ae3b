"""What a signed-in person is, read once per request from their memberships."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404, HttpRequest

from tandem.accounts.models import User

from .models import Membership, Role


@dataclass(frozen=True)
class Roles:
    district_id: int | None
    teacher_at: frozenset[int] = field(default_factory=frozenset)
    coach_at: frozenset[int] = field(default_factory=frozenset)
    leader_at: frozenset[int] = field(default_factory=frozenset)
    district_admin: bool = False

    @property
    def is_teacher(self) -> bool:
        return bool(self.teacher_at)

    @property
    def is_coach(self) -> bool:
        return bool(self.coach_at)

    @property
    def is_leader(self) -> bool:
        return bool(self.leader_at)

    @property
    def manages_assignments(self) -> bool:
        return self.district_admin or self.is_leader

    @property
    def district(self) -> int:
        """The person's district id; site operators without one get a 404 on district pages."""
        if self.district_id is None:
            raise Http404
        return self.district_id

    def manages_school(self, *, school_id: int, district_id: int) -> bool:
        """A leader manages her schools; a district admin every school of her own district."""
        if district_id != self.district_id:
            return False
        return self.district_admin or school_id in self.leader_at


NO_ROLES = Roles(district_id=None)


def roles_of(user: User) -> Roles:
    if not user.is_authenticated or user.district_id is None:
        return NO_ROLES
    by_role: dict[str, set[int]] = {role: set() for role in Role.values}
    admin = False
    # One query; a person has a handful of memberships at most.
    for role, school_id in Membership.objects.filter(
        user=user, district_id=user.district_id
    ).values_list("role", "school_id"):
        if role == Role.DISTRICT_ADMIN:
            admin = True
        elif school_id is not None:
            by_role[role].add(school_id)
    return Roles(
        district_id=user.district_id,
        teacher_at=frozenset(by_role[Role.TEACHER]),
        coach_at=frozenset(by_role[Role.COACH]),
        leader_at=frozenset(by_role[Role.SCHOOL_LEADER]),
        district_admin=admin,
    )


def request_roles(request: HttpRequest) -> Roles:
    """The signed-in person's roles, computed once per request."""
    cached = getattr(request, "_tandem_roles", None)
    if cached is None:
        cached = roles_of(request.user)  # type: ignore[arg-type]
        request._tandem_roles = cached  # type: ignore[attr-defined]
    return cached
