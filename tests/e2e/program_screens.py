"""The program and adoption-decision pages as screens for test_pages.py.

Each opener may run more than once (once per language): it builds what it needs once.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from tandem.programs import services
from tandem.programs.models import AdoptionDecision, AdoptionInput, Program, SupportEngagement

from ..cast import Cast
from ..programs.builders import colleagues, decision, give, program, supported_teachers
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


def _support(cast: Cast) -> SupportEngagement:
    """Maya's support on Bridges with Sam: a peer visit, a log entry, an adaptation."""
    found = SupportEngagement.objects.filter(teacher=cast.maya).first()
    if found is None:
        found = services.start_support(
            acting_user=cast.maya,
            teacher=cast.maya,
            coach=cast.sam,
            program=_program(cast),
            kind="modeling",
        )
        services.choose_support(support=found, acting_user=cast.maya, kind="peer_visit")
        component = found.program.components.get()
        services.add_log_entry(
            support=found,
            acting_user=cast.sam,
            day=timezone.localdate(),
            components=[component],
            student_measure="22 of 26 explained a strategy",
            student_work="Pairs rehearsed first; newcomers shared their pictures.",
            decision="Keep pair rehearsal before every number talk.",
            decision_evidence="Five more students explained a strategy than last week.",
        )
        services.modify_component(
            support=found,
            acting_user=cast.maya,
            component=component,
            what="Partners rehearse with sentence frames before sharing.",
            for_whom="My newcomers",
            reason="They understand the math but need words to say it aloud.",
            student_evidence="Four newcomers shared for the first time.",
        )
    return found


def _learned(cast: Cast) -> Program:
    """Bridges with adaptations by five teachers and feedback from five: Dana reads both."""
    found = _program(cast)
    if not found.feedback.exists():
        for n, other in enumerate(supported_teachers(cast, found, 5)):
            services.modify_component(
                support=other,
                acting_user=other.teacher,
                component=found.components.get(),
                what="Shorter talk",
                for_whom="Period 6",
                reason=f"Reason number {n + 1}: the period is short",
            )
            services.give_feedback(
                program=found,
                teacher=other.teacher,
                about="program",
                useful=4,
                clear=3,
                heard=4,
                comment=f"Comment number {n + 1}",
            )
        services.respond(
            program=found,
            acting_user=cast.dana,
            heard="Planning the first unit takes more time than you have.",
            did="Two planning afternoons in March.",
        )
    return found


def _support_path(name: str) -> Callable[[Cast], str]:
    return lambda cast: reverse(name, args=[_support(cast).uuid])


def _adapt_without_reason(site: Site, cast: Cast) -> None:
    site.goto(_support_path("support_modify")(cast))
    site.page.locator("[name=what]").fill("Shorter")
    site.page.locator("[name=for_whom]").fill("Period 6")
    site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_load_state()


SCREENS: dict[str, tuple[str, Opener]] = {
    "support-list-teacher": (
        "maya",
        _visit(lambda cast: (_support(cast), reverse("support_list"))[1]),
    ),
    "support-start": ("maya", _visit(lambda cast: reverse("support_start"))),
    "support-teacher": ("maya", _visit(lambda cast: _support(cast).get_absolute_url())),
    "support-coach": ("sam", _visit(lambda cast: _support(cast).get_absolute_url())),
    "support-log": ("sam", _visit(_support_path("support_log"))),
    "support-adapt": ("maya", _visit(_support_path("support_modify"))),
    "support-adapt-without-reason": ("maya", _adapt_without_reason),
    "support-session": ("maya", _visit(_support_path("support_session"))),
    "program-feedback": (
        "maya",
        _visit(lambda cast: reverse("program_feedback", args=[_program(cast).uuid])),
    ),
    "program-learning": (
        "dana",
        _visit(lambda cast: reverse("program_learning", args=[_learned(cast).uuid])),
    ),
    "program-said-did": ("maya", _visit(lambda cast: _learned(cast).get_absolute_url())),
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
    "support_list": "support-list-teacher",
    "support_start": "support-start",
    "support_detail": "support-teacher",
    "support_log": "support-log",
    "support_modify": "support-adapt",
    "support_session": "support-session",
    "program_feedback": "program-feedback",
    "program_learning": "program-learning",
}
# Giving input is a form post on the decision's page; choosing the kind of support and
# turning support into a cycle are form posts on the support's page.
NOT_PAGES = {"decision_input", "support_choose", "support_cycle"}
