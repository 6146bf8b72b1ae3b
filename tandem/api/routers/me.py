"""Who am I: the person behind the token or session, and the roles they hold."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from tandem.schools.roles import request_roles

from ..errors import responses
from ..schemas import acting_user

router = Router(tags=["me"])


class MeOut(Schema):
    uuid: UUID
    email: str
    display_name: str
    preferred_language: str
    roles: list[str]


@router.get("/me", response=responses({200: MeOut}), operation_id="get_me")
def get_me(request: HttpRequest) -> dict:
    """The signed-in person and the roles they hold."""
    user = acting_user(request)
    roles = request_roles(request)
    held = [
        name
        for name, has in (
            ("teacher", roles.is_teacher),
            ("coach", roles.is_coach),
            ("school_leader", roles.is_leader),
            ("district_admin", roles.district_admin),
        )
        if has
    ]
    return {
        "uuid": user.uuid,
        "email": user.email,
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "roles": held,
    }
