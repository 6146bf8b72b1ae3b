"""One shape for every error the API answers: `{"detail": "…"}`, declared on each operation.

Django's own exceptions keep their meaning here, so services stay HTTP-agnostic:
ValidationError → 400 (a rule of the service, in the person's language),
PermissionDenied → 403, Http404 → 404. Input that does not match the
operation's schema → 422, with the field errors beside the detail.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as InputError


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class InputErrorOut(ErrorOut):
    """422: the request does not match the operation's schema; `errors` says where."""

    errors: list[FieldErrorOut]


# Every operation needs a signed-in person (401) and may refuse a session without
# its CSRF token, or a district administrator without two-factor sign-in (403).
ALWAYS = (401, 403)


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The operation's success response(s) plus the error statuses it can answer."""
    declared = dict(ok)
    for status in sorted({*ALWAYS, *errors}):
        declared[status] = InputErrorOut if status == 422 else ErrorOut
    return declared


def install(api: NinjaAPI) -> None:
    """Answer Django's exceptions and ninja's input errors in the declared shape."""

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": " ".join(exc.messages)}, status=400)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        detail = str(exc) or _("You may not do this.")
        return api.create_response(request, {"detail": detail}, status=403)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # Never the exception's text: "not found" and "not yours" must read the same.
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request,
            {
                "detail": _(
                    "Authentication required: a personal access token (“Bearer tdm_…”) "
                    "or a signed-in session, as the operation's security says."
                )
            },
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="Tandem"'
        return response

    @api.exception_handler(InputError)
    def bad_input(request: HttpRequest, exc: InputError) -> HttpResponse:
        errors = [
            {
                "loc": [part if isinstance(part, int) else str(part) for part in e.get("loc", ())],
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors
        ]
        where = ", ".join(".".join(str(part) for part in e["loc"]) for e in errors)
        detail = _("The request does not match the schema: %(where)s.") % {"where": where}
        return api.create_response(request, {"detail": detail, "errors": errors}, status=422)
