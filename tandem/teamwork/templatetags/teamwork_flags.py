"""The contradiction flags of a suggestion, on the suggestion's page (coaching app)."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.coaching.models import Suggestion
from tandem.privacy.models import Via
from tandem.privacy.services import record_access
from tandem.teamwork.models import ContradictionFlag

register = template.Library()


@register.inclusion_tag("teamwork/_suggestion_flags.html", takes_context=True)
def suggestion_flags(context: template.Context, suggestion: Suggestion) -> dict[str, Any]:
    """The flags on it that she takes part in, with their resolution: one query."""
    request = context["request"]
    flags = list(
        ContradictionFlag.objects.visible_to(request.user)
        .filter(suggestions=suggestion)
        .order_by("-created_at", "-id")
    )
    record_access(viewer=request.user, items=flags, via=Via.PAGE, path=request.path)
    return {"flags": flags}
