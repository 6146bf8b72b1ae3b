"""The program and adoption-decision pages as screens for test_pages.py.

Each opener may run more than once (once per language): it builds what it needs once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from tandem.programs import services
from tandem.programs.models import AdoptionDecision, AdoptionInput, Program

from ..cast import Cast
from ..programs.builders import colleagues, decision, give, program
from .browser import Site

Opener = Callable[[Site, Cast], None]


def _program(cast: Cast) -> Program:
    return Program.objects.filter(name="Bridges Math").first() or program(cast)


def _open(cast: Cast) -> AdoptionDecision:
    """Dana's open decision for Jefferson, two candidates; Maya gave input anonymously."""
    found = AdoptionDecision.objects.open().first()
    if found is None:
        found = decision(cast, _program(cast), program(cast, "Open Up Math"))
        give(found, cast.maya, anonymous=True, helps="Visual models for my newcomers")
    return found


def _answered(cast: Cast) -> AdoptionDecision:
    """The open decision with five more inputs: Dana reads them."""
    found = _open(cast)
    if found.inputs.count() < 5:
        for n, teacher in enumerate(colleagues(cast, 5)):
            give(found, teacher, anonymous=n % 2 == 0, helps=f"Idea number {n + 1}")
    return found


def _decided(cast: Cast) -> AdoptionDecision:
    """Every Jefferson teacher answered (Luis last), so Dana recorded it before the deadline."""
    found = AdoptionDecision.objects.decided().first()
    if found is None:
        found = _answered(cast)
        give(found, cast.luis, helps="Shared unit plans")
        services.record_decision(
            decision=found,
            acting_user=cast.dana,
            chosen=found.candidates.order_by("name").first(),
            rationale="Most of you ranked Bridges first, for its visual models.",
            how_input_shaped="The first unit is paced over three weeks, as you asked.",
            cited=list(AdoptionInput.objects.filter(decision=found)[:2]),
        )
    return found


def _visit(path: Callable[[Cast], str]) -> Opener:
    def open_page(site: Site, cast: Cast) -> None:
        site.goto(path(cast))

    return open_page


def _with_errors(site: Site, cast: Cast) -> None:
    site.goto(_open(cast).get_absolute_url())
    site.page.locator("#input-heading ~ form button[type=submit]").click()
    site.page.wait_for_load_state()


SCREENS: dict[str, tuple[str, Opener]] = {
    "programs": ("maya", _visit(lambda cast: (_program(cast), reverse("program_list"))[1])),
    "program-detail": ("maya", _visit(lambda cast: _program(cast).get_absolute_url())),
    "program-new": ("dana", _visit(lambda cast: reverse("program_create"))),
    "program-edit": (
        "priya",
        _visit(lambda cast: reverse("program_edit", args=[_program(cast).uuid])),
    ),
    "decisions-teacher": ("maya", _visit(lambda cast: (_open(cast), reverse("decision_list"))[1])),
    "decision-new": ("dana", _visit(lambda cast: (_program(cast), reverse("decision_create"))[1])),
    "decision-input-teacher": ("maya", _visit(lambda cast: _open(cast).get_absolute_url())),
    "decision-input-with-errors": ("luis", _with_errors),
    "decision-inputs-leader": ("dana", _visit(lambda cast: _answered(cast).get_absolute_url())),
    "decision-record": (
        "dana",
        _visit(lambda cast: reverse("decision_record", args=[_answered(cast).uuid])),
    ),
    "decision-decided-teacher": ("maya", _visit(lambda cast: _decided(cast).get_absolute_url())),
}
SHOWN_BY = {
    "program_list": "programs",
    "program_detail": "program-detail",
    "program_create": "program-new",
    "program_edit": "program-edit",
    "decision_list": "decisions-teacher",
    "decision_create": "decision-new",
    "decision_detail": "decision-input-teacher",
    "decision_record": "decision-record",
}
# Giving input is a form post on the decision's page.
NOT_PAGES = {"decision_input"}
