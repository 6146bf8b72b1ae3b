"""Per-request account rules: the person's language, and MFA for administrators."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from tandem.schools.roles import request_roles


class PreferredLanguageMiddleware:
    """Speak the signed-in person's preferred language unless they chose another here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if user.is_authenticated and user.preferred_language and not chosen:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


# Paths a district administrator without MFA may still open: setting MFA up,
# signing out, static files, health checks.
_MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz", "/i18n/")


class RequireMFAMiddleware:
    """District administrators must turn on two-factor authentication before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and not request.path.startswith("/api/")
            and request_roles(request).district_admin
            and not has_mfa(request)
        ):
            messages.info(
                request,
                _(
                    "District administrators protect the district with a second step at sign-in. "
                    "Set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def has_mfa(request: HttpRequest) -> bool:
    """The signed-in person has an authenticator app (TOTP) set up."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=request.user.pk, type=Authenticator.Type.TOTP
    ).exists()
