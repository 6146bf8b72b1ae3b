from typing import Any

from django.http import HttpRequest

from .roles import request_roles


def membership(request: HttpRequest) -> dict[str, Any]:
    """`roles` in every template, for the navigation."""
    return {"roles": request_roles(request)}
