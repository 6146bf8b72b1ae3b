from __future__ import annotations

from typing import Any

from django import template

from tandem.library.models import Strategy

register = template.Library()


@register.filter
def localized(strategy: Strategy, field: str) -> Any:
    """`{{ strategy|localized:"name" }}`: the field in the reader's language when there is one."""
    return strategy.localized(field)
