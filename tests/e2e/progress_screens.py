"""Learn and Improve as screens for test_pages.py: the cycle page in Learn, in Improve (the
chart with typed-in and observed measurements beside its table, the met proposal), met (the
celebration), and the forms of these stages.

Each opener may run more than once (once per language): it builds its cycle only once.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from tandem.cycles import services
from tandem.cycles.models import Cycle, Goal, Stage

from ..cast import Cast
from ..cycles.progress_builders import cycle_in, measure
from ..observations.sessions import record
from .browser import Site

Opener = Callable[[Site, Cast], None]


def _cycle(cast: Cast, state: str) -> Cycle:
    """Maya's cycle with Lena in this state, built once per test."""
    made = Cycle.objects.filter(strategy_name=f"Wait time ({state})").first()
    if made is not None:
        return made
    made = cycle_in(cast, Stage.LEARN if state == "learn" else Stage.IMPROVE)
    Cycle.objects.filter(pk=made.pk).update(strategy_name=f"Wait time ({state})")
    if state == "learn":
        services.adapt_checklist_item(
            item=made.checklist.get(position=2),
            acting_user=cast.maya,
            text="Wait five seconds, counting on my fingers",
            reason="Three seconds felt too short for my class.",
        )
        services.schedule_learning_session(
            cycle=made,
            acting_user=cast.maya,
            kind="modeling",
            starts_at=timezone.now() + datetime.timedelta(days=3),
            place="Room 12",
        )
    else:
        start = timezone.localdate() - datetime.timedelta(weeks=5)
        measure(made, "40", "48", "57", *(["83"] if state == "met" else ["66"]), start=start)
        record(
            observer=cast.lena,
            teacher=cast.maya,
            tool="achievement",
            goal=Goal.objects.get(cycle=made).uuid,
            engagement=made.engagement.uuid,  # type: ignore[union-attr]
            start=timezone.now() - datetime.timedelta(days=24),
        )
        services.log_adaptation(
            cycle=made,
            acting_user=cast.lena,
            kind="use",
            change="Wait time after the follow-up question too",
            reason="The first answers were rushed.",
        )
        services.record_conversation(
            cycle=made,
            acting_user=cast.lena,
            held_at=timezone.now() - datetime.timedelta(days=2),
            notes="The exit tickets show longer explanations.",
            next_steps=["Try sentence starters", "Share two answers on the board"],
        )
    made.refresh_from_db()
    return made


def _page(state: str) -> Opener:
    def open_cycle(site: Site, cast: Cast) -> None:
        site.goto(reverse("cycle_detail", args=[_cycle(cast, state).uuid]))

    return open_cycle


def _met(site: Site, cast: Cast) -> None:
    made = _cycle(cast, "met")
    if made.stage != Stage.MET:
        services.confirm_goal_met(cycle=made, acting_user=cast.maya)
    site.goto(reverse("cycle_detail", args=[made.uuid]))


def _summary(site: Site, cast: Cast) -> None:
    site.goto(reverse("cycle_summary", args=[_cycle(cast, "improve").uuid]))


def _form(name: str, state: str = "improve", *extra: object) -> Opener:
    def open_form(site: Site, cast: Cast) -> None:
        site.goto(reverse(name, args=[_cycle(cast, state).uuid, *extra]))

    return open_form


def _with_errors(name: str, state: str = "improve") -> Opener:
    def open_form(site: Site, cast: Cast) -> None:
        site.goto(reverse(name, args=[_cycle(cast, state).uuid]))
        site.page.locator("main form button[type=submit]").click()
        site.page.wait_for_load_state()

    return open_form


SCREENS: dict[str, tuple[str, Opener]] = {
    "cycle-learn-teacher": ("maya", _page("learn")),
    "cycle-improve-teacher": ("maya", _page("improve")),
    "cycle-improve-coach": ("lena", _page("improve")),
    "cycle-goal-met-proposed": ("maya", _page("met")),
    "cycle-goal-met": ("maya", _met),
    "cycle-summary": ("lena", _summary),
    "checklist-adapt": ("maya", _form("checklist_adapt", "learn", 2)),
    "checklist-add": ("maya", _form("checklist_add", "learn")),
    "learning-session": ("maya", _form("learning_session", "learn")),
    "measurement-add": ("lena", _form("measurement_add")),
    "measurement-add-with-errors": ("lena", _with_errors("measurement_add")),
    "adaptation-add": ("lena", _form("adaptation_add")),
    "conversation-add": ("lena", _form("conversation_add")),
    "cycle-close": ("maya", _form("cycle_close")),
    "cycle-close-with-errors": ("maya", _with_errors("cycle_close")),
}
SHOWN_BY = {
    "cycle_summary": "cycle-summary",
    "checklist_adapt": "checklist-adapt",
    "checklist_add": "checklist-add",
    "learning_session": "learning-session",
    "measurement_add": "measurement-add",
    "adaptation_add": "adaptation-add",
    "conversation_add": "conversation-add",
    "cycle_close": "cycle-close",
}
# Form posts and the calendar file.
NOT_PAGES = {
    "cycle_learning_mode",
    "cycle_session_ics",
    "cycle_ready",
    "cycle_confirm_met",
    "cycle_next",
}
