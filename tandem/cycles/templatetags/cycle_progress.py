"""The Learn and Improve parts of the cycle page, from `cycle` alone.

`{% learn_stage cycle %}` and `{% improve_stage cycle %}` need nothing from the
view but the cycle (already looked up through `visible_to`) and the request's
user: what they show is read here, through the privacy policy.
"""

from __future__ import annotations

from typing import Any

from django import template

from tandem.cycles import progress_views
from tandem.cycles.models import Cycle

register = template.Library()


def _page(context: template.Context) -> dict[str, Any]:
    """What the partials' forms need of the page: the request, its user and CSRF token."""
    request = context["request"]
    return {"request": request, "user": request.user, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("cycles/partials/learn.html", takes_context=True)
def learn_stage(context: template.Context, cycle: Cycle) -> dict[str, Any]:
    return {**progress_views.learn_context(cycle, context["request"].user), **_page(context)}


@register.inclusion_tag("cycles/partials/improve.html", takes_context=True)
def improve_stage(context: template.Context, cycle: Cycle) -> dict[str, Any]:
    return {**progress_views.improve_context(cycle, context["request"].user), **_page(context)}
