"""The cycle page and the Identify stage as screens for test_pages.py.

Each opener may run once per language: it builds Maya's cycle with Lena only once
(with evidence, the conversation and a goal about the teacher, so the gentle prompt shows).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse

from tandem.cycles import services
from tandem.cycles.models import Cycle, Evidence

from ..cast import Cast
from ..content import impact_cycle
from ..cycles import identify
from .browser import Site

Opener = Callable[[Site, Cast], None]


def _maya_cycle(cast: Cast) -> Cycle:
    found = Cycle.objects.filter(teacher=cast.maya, engagement__coach=cast.lena).first()
    if found is not None:
        return found
    cycle = impact_cycle(cast)
    identify.text_evidence(cycle, cast.lena, title="What students said about pair talk")
    identify.text_evidence(
        cycle,
        cast.maya,
        kind="student_work",
        title="Exit tickets, period 3",
        upload=identify.upload("tickets.pdf", identify.PDF),
    )
    services.save_conversation(
        cycle=cycle,
        acting_user=cast.maya,
        lesson_rating=6,
        closer_to_ideal="More of the students talking, not only me.",
        students_differently="Students explain their reasoning to each other.",
        expected_version=None,
    )
    services.create_goal(
        author=cast.maya,
        teacher=cast.maya,
        cycle=cycle,
        statement="I will use more wait time",
        baseline=Decimal(35),
        target=Decimal(80),
    )
    identify.strategy(name="Think-pair-share", tags=["discussion"])
    identify.strategy(name="Wait time", tags=["questioning"], checklist=["Pause", "Call"])
    cycle.refresh_from_db()
    return cycle


def _cycle(name: str) -> Opener:
    def open_page(site: Site, cast: Cast) -> None:
        site.goto(reverse(name, args=[_maya_cycle(cast).uuid]))

    return open_page


def _evidence(site: Site, cast: Cast) -> None:
    row = Evidence.objects.get(cycle=_maya_cycle(cast), author=cast.maya)
    site.goto(row.get_absolute_url())


def _with_cycle(path: str) -> Opener:
    def open_page(site: Site, cast: Cast) -> None:
        _maya_cycle(cast)
        site.goto(path)

    return open_page


SCREENS: dict[str, tuple[str | None, Opener]] = {
    "cycles-coach": ("lena", _with_cycle("/cycles/")),
    "cycle-new": ("maya", _with_cycle("/cycles/new/")),
    "cycle-teacher": ("maya", _cycle("cycle_detail")),
    "cycle-coach": ("lena", _cycle("cycle_detail")),
    "cycle-conversation": ("maya", _cycle("cycle_conversation")),
    "cycle-goal-builder": ("maya", _cycle("cycle_goal")),
    "cycle-strategy": ("lena", _cycle("cycle_strategy")),
    "evidence-new": ("lena", _cycle("evidence_create")),
    "evidence-teacher": ("maya", _evidence),
}
SHOWN_BY = {
    "cycle_list": "cycles-coach",
    "cycle_create": "cycle-new",
    "cycle_detail": "cycle-teacher",
    "cycle_conversation": "cycle-conversation",
    "cycle_goal": "cycle-goal-builder",
    "cycle_strategy": "cycle-strategy",
    "evidence_create": "evidence-new",
    "evidence_detail": "evidence-teacher",
}
# The file download and the removal are a file and a form post, shown on the pages above.
NOT_PAGES = {"evidence_file", "evidence_delete"}
