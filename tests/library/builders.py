"""Strategies a district adds to its own library, for the tests."""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.library import services
from tandem.library.models import Strategy


def added(author: User, name: str = "Hands-down questioning", **fields: Any) -> Strategy:
    """A strategy `author` adds to her district's library (through the service)."""
    data: dict[str, Any] = {
        "summary": "Every student answers, not only those with a hand up.",
        "description": "The class agrees that questions are answered without raising hands.",
        "checklist": ["Say the routine aloud.", "Ask, pause, then name a student."],
        "tags": ["questioning"],
        "resources": [],
        "source": "Our district's coaches",
        **fields,
    }
    return services.add_strategy(author=author, name=name, **data)
