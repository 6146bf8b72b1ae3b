"""API authentication: a browser session (with CSRF) or a personal access token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from tandem.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """`Authorization: Bearer tdm_…` — a token from the "API tokens" page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.for_raw(token).select_related("user").first()
        if found is None:
            return None
        now = timezone.now()
        # Touch at most once a minute, so a busy integration does not write every request.
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user
