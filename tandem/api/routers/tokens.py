"""The person's own personal access tokens: list, create (shown once), revoke."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status

from tandem.accounts.models import ApiToken

from ..auth import session_auth
from ..errors import responses
from ..schemas import StrictInput, TokenName, acting_user

router = Router(tags=["tokens"])


class TokenOut(Schema):
    uuid: UUID
    name: str
    prefix: str
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None


class NewTokenOut(TokenOut):
    token: str


class NewTokenIn(StrictInput):
    name: TokenName


@router.get("/tokens", response=responses({200: list[TokenOut]}), operation_id="list_tokens")
def list_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    """The person's tokens that still work, newest first. Never their values."""
    return ApiToken.objects.filter(user=acting_user(request)).active()


@router.post(
    "/tokens",
    # A token cannot mint tokens: revoking a leaked one must be the end of it.
    auth=[session_auth],
    response=responses({201: NewTokenOut}, 400, 422),
    operation_id="create_token",
)
def create_token(request: HttpRequest, data: NewTokenIn) -> Status[dict]:
    """A new token, from a signed-in browser session only. Its value is in this answer
    and nowhere else, ever: only a digest is kept."""
    token, raw = ApiToken.issue(user=acting_user(request), name=data.name)
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "token": raw})


@router.delete(
    "/tokens/{uuid}", response=responses({204: None}, 404, 422), operation_id="revoke_token"
)
def revoke_token(request: HttpRequest, uuid: UUID) -> Status[None]:
    """Revoke one of the person's tokens: it stops working on the next request."""
    mine = ApiToken.objects.filter(user=acting_user(request)).active()
    token = get_object_or_404(mine, uuid=uuid)
    token.revoke()
    return Status(204, None)
