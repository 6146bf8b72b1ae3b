"""My cycle and the caseload as screens for test_pages.py.

Each opener may run more than once (once per language): it builds what it needs
only once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from tandem.cycles.models import Cycle, Stage

from ..cast import Cast
from ..cycles.caseload_builders import cycle_in, other_teacher, suggestion
from .browser import Site

Opener = Callable[[Site, Cast], None]


def _cycles(cast: Cast) -> None:
    """Maya in Improve with Lena (and an earlier cycle met); Lena's caseload in every stage."""
    if Cycle.objects.exists():
        return
    cycle_in(cast, Stage.MET, coach=cast.omar, session_in_days=None)
    improving = cycle_in(cast, Stage.IMPROVE, measurements=(40, 52, 61))
    suggestion(cast, improving, "Ask the quiet table to explain first")
    cycle_in(cast, Stage.IDENTIFY, teacher=other_teacher(cast, "Ana Ruiz"), session_in_days=None)
    cycle_in(cast, Stage.LEARN, teacher=other_teacher(cast, "Ben Ode"), idle_days=20)
    cycle_in(cast, Stage.MET, teacher=other_teacher(cast, "Cy Dunn"), session_in_days=None)


def _my_cycle(site: Site, cast: Cast) -> None:
    _cycles(cast)
    site.goto(reverse("my_cycle"))


def _caseload(site: Site, cast: Cast) -> None:
    _cycles(cast)
    site.goto(reverse("caseload"))


def _no_cycle(site: Site, cast: Cast) -> None:
    site.goto(reverse("my_cycle"))


SCREENS: dict[str, tuple[str, Opener]] = {
    "my-cycle-teacher": ("maya", _my_cycle),
    "my-cycle-none-yet": ("hilda", _no_cycle),
    "caseload-coach": ("lena", _caseload),
}
SHOWN_BY = {"my_cycle": "my-cycle-teacher", "caseload": "caseload-coach"}
NOT_PAGES: set[str] = set()
