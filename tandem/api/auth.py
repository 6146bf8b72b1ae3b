"""API authentication: a personal access token, or a browser session (with CSRF).

Both answer with the `User`, which operations read as `request.auth`. A
district administrator without two-factor sign-in is refused here (403), as
the pages' `RequireMFAMiddleware` refuses her (that middleware leaves /api/
alone, because it answers with a redirect to a page).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

# The very rule the pages' middleware applies, not a second copy of it.
from tandem.accounts.middleware import has_mfa
from tandem.accounts.models import ApiToken, User
from tandem.schools.roles import request_roles


def _refuse_admin_without_mfa(request: HttpRequest) -> None:
    if request_roles(request).district_admin and not has_mfa(request):
        raise PermissionDenied(
            _("District administrators set up two-factor sign-in before using Tandem.")
        )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer tdm_…` — a token from the "API tokens" page."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = ApiToken.objects.for_raw(token).select_related("user").first()
        if found is None:
            return None
        now = timezone.now()
        # Touch at most once a minute, so a busy integration does not write every request.
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        # The pages speak the person's preferred language (PreferredLanguageMiddleware,
        # which runs before a token is read); so does the API, for the services' messages.
        if found.user.preferred_language:
            translation.activate(found.user.preferred_language)
            request.LANGUAGE_CODE = found.user.preferred_language
        _refuse_admin_without_mfa(request)
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token, as on the pages.

    Unlike ninja's `django_auth`, CSRF is checked only once a session has
    signed someone in, so a request with no credentials at all gets 401
    rather than a CSRF 403.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Any:
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        _refuse_admin_without_mfa(request)
        return user


token_auth = TokenAuth()
session_auth = SessionAuth()
