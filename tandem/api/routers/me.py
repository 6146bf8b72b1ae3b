from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from tandem.schools.roles import roles_of

router = Router(tags=["me"])


class MeOut(Schema):
    uuid: UUID
    email: str
    display_name: str
    preferred_language: str
    roles: list[str]


@router.get("/me", response=MeOut, operation_id="get_me")
def get_me(request: HttpRequest) -> dict:
    """The signed-in person and the roles they hold."""
    user = request.user
    roles = roles_of(user)  # type: ignore[arg-type]
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
        "uuid": user.uuid,  # type: ignore[union-attr]
        "email": user.email,  # type: ignore[union-attr]
        "display_name": user.display_name,  # type: ignore[union-attr]
        "preferred_language": user.preferred_language,  # type: ignore[union-attr]
        "roles": held,
    }
