"""Issue 5, end to end, by keyboard only: Lena and Maya take a cycle from Identify to goal met.

No mouse: every field is reached with Tab (or Shift+Tab), filled by typing, and every
button and link is pressed with Enter or Space. axe-core checks every page of the flow,
and each step is photographed (var/screenshots/cycle-flow-NN-<step>.png).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tandem.coaching.models import CoachingSession
from tandem.cycles.models import Cycle, Stage

from ..cast import Cast
from ..factories import PASSWORD
from .browser import Site

MAX_TABS = 400


@dataclass
class Keyboard:
    """One person's browser, driven only through `page.keyboard`."""

    site: Site
    shots: list[int]

    @property
    def page(self) -> Page:
        return self.site.page

    def focused(self, selector: str) -> bool:
        return bool(
            self.page.evaluate(
                "s => !!document.activeElement && document.activeElement.matches(s)", selector
            )
        )

    def tab_to(self, selector: str, *, backwards: bool = False) -> None:
        """Tab (or Shift+Tab) until the element matching `selector` has the focus."""
        assert self.page.locator(selector).count(), f"nothing matches {selector!r}"
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(MAX_TABS):
            if self.focused(selector):
                return
            self.page.keyboard.press(key)
        raise AssertionError(f"Tab never reached {selector!r} on {self.page.url}")

    def type(self, selector: str, text: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def press(self, selector: str, key: str = "Enter") -> None:
        """Press a button or follow a link, and wait for the page it leads to."""
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state()

    def tick(self, selector: str) -> None:
        self.tab_to(selector)
        if not self.page.locator(selector).is_checked():
            self.page.keyboard.press("Space")
        assert self.page.locator(selector).is_checked()

    def radio(self, name: str, value: str) -> None:
        """Into the radio group (Tab lands on its checked or first radio), then arrows."""
        group = f"input[type=radio][name={name}]"
        self.tab_to(group)
        wanted = f"{group}[value='{value}']"
        for _ in range(20):
            if self.page.locator(wanted).is_checked():
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{wanted} never got checked")

    def select(self, selector: str, label: str) -> None:
        """A <select>: focus it, then arrows until the chosen option's text holds `label`."""
        self.tab_to(selector)
        for _ in range(50):
            text = self.page.evaluate(
                "s => { const e = document.querySelector(s); "
                "return e.options[e.selectedIndex].text; }",
                selector,
            )
            if label in text:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no option {label!r} in {selector}")

    def check(self, step: str) -> None:
        """axe on the page as it is, and a screenshot of the step."""
        self.shots[0] += 1
        self.site.screenshot(f"cycle-flow-{self.shots[0]:02}-{step}")
        self.site.assert_accessible()

    def sign_in(self, email: str) -> None:
        self.site.goto("/accounts/login/")
        self.type("input[name=login]", email)
        self.type("input[name=password]", PASSWORD)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        assert "/accounts/login/" not in self.page.url


def _cycle() -> Cycle:
    return Cycle.objects.select_related("engagement").get()


def test_coach_and_teacher_take_a_cycle_from_identify_to_goal_met_by_keyboard(
    site: Site, cast: Cast, new_context: Callable[..., BrowserContext]
) -> None:
    shots = [0]
    lena = Keyboard(site, shots)
    lena.sign_in(cast.lena.email)

    # Lena opens her caseload from the navigation and starts a cycle with Maya.
    lena.press("nav a[href='/cycles/caseload/']")
    lena.check("caseload-empty")
    lena.site.goto("/cycles/new/")
    lena.select("select[name=partner]", "Maya Torres")
    lena.type("input[name=title]", "Explaining our thinking")
    lena.check("start")
    lena.press("main form button[type=submit]")
    cycle = _cycle()
    assert cycle.stage == Stage.IDENTIFY
    address = cycle.get_absolute_url()
    expect(lena.page.get_by_role("heading", level=1)).to_have_text("Explaining our thinking")
    lena.check("identify-coach")

    # Identify: Lena adds what she saw in the students' work.
    evidence = "form.evidence-form"
    lena.radio("kind", "student_work")
    lena.type(f"{evidence} [name=title]", "Exit tickets, week 1")
    lena.type(f"{evidence} [name=text]", "9 of 25 tickets explain the reasoning in a sentence.")
    lena.press(f"{evidence} button[type=submit]")
    assert cycle.evidence.count() == 1

    # Maya, on her own computer: My cycle, then the conversation, the goal, the strategy.
    maya = Keyboard(
        Site(page=new_context().new_page(), base_url=site.base_url, console=site.console), shots
    )
    maya.sign_in(cast.maya.email)
    maya.press("nav a[href='/cycles/mine/']")
    expect(maya.page.get_by_role("heading", name="Explaining our thinking")).to_be_visible()
    maya.check("my-cycle-identify")
    maya.site.goto(f"{address}conversation/")
    maya.radio("lesson_rating", "6")
    maya.type("[name=closer_to_ideal]", "More of them talking about their thinking.")
    maya.type("[name=students_differently]", "Explain why, in writing, without my prompting.")
    maya.check("conversation")
    maya.press("main form button[type=submit]")

    maya.site.goto(f"{address}goal/")
    maya.type("[name=statement]", "80% of my students explain their reasoning on exit tickets")
    for criterion in ("powerful", "easy", "emotionally_compelling", "reachable", "student_focused"):
        maya.tick(f"input[name=peers][value={criterion}]")
    maya.select("select[name=measure_kind]", "Percentage")
    maya.type("[name=measure]", "% of exit tickets with a written explanation")
    maya.type("[name=baseline]", "36")
    maya.type("[name=target]", "80")
    maya.check("goal-builder")
    maya.press("main form button[type=submit]")
    cycle.refresh_from_db()
    assert (cycle.goal.baseline, cycle.goal.target) == (36, 80)

    maya.site.goto(f"{address}strategy/")
    maya.check("strategy")
    maya.press("main form[method=post] button[type=submit]")
    cycle.refresh_from_db()
    assert cycle.stage == Stage.LEARN
    assert cycle.strategy is not None

    # Learn: Maya adapts the first move, chooses modeling, and plans the session.
    maya.check("learn-teacher")
    maya.press(f"a[href='{address}checklist/1/']")
    maya.type("[name=text]", "Wait five seconds, counting on my fingers")
    maya.type("[name=reason]", "My class needs the longer pause.")
    maya.check("checklist-adapt")
    maya.press("main form button[type=submit]")
    assert cycle.checklist.filter(reason__gt="").count() == 1

    maya.radio("mode", "modeling")
    maya.press("form.learning-mode button[type=submit]")
    cycle.refresh_from_db()
    assert cycle.learning_mode == "modeling"

    maya.press(f"a[href='{address}sessions/new/']")
    day = timezone.localdate() + datetime.timedelta(days=2)
    maya.type("[name=day]", day.strftime("%m%d%Y"))
    maya.type("[name=time]", "1030AM")
    maya.select("select[name=kind]", "models")
    maya.type("[name=place]", "Room 12")
    maya.check("learning-session")
    maya.press("main form button[type=submit]")
    assert CoachingSession.objects.filter(engagement=cycle.engagement, kind="modeling").exists()

    maya.press(f"form[action='{address}ready/'] button[type=submit]")
    cycle.refresh_from_db()
    assert cycle.stage == Stage.IMPROVE
    maya.check("improve-teacher")

    # Improve: Lena adds three measurements, an adaptation, then a fourth that hits the target.
    lena.site.goto(address)
    for value in ("48", "57", "66"):
        lena.type("#measure-value", value)
        lena.press(f"form[action='{address}measurements/new/'] button[type=submit]")
    lena.check("improve-coach")
    lena.press(f"a[href='{address}adaptations/new/']")
    lena.radio("kind", "use")
    lena.type("[name=change]", "Partners say it out loud before writing.")
    lena.type("[name=reason]", "Students wrote more once they had said it first.")
    lena.check("adaptation")
    lena.press("main form button[type=submit]")
    assert cycle.adaptations.count() == 1
    lena.type("#measure-value", "82")
    lena.press(f"form[action='{address}measurements/new/'] button[type=submit]")
    assert cycle.goal.measurements.count() == 4

    # Tandem proposes the goal is met; Maya confirms it.
    maya.site.goto(address)
    maya.check("met-proposed")
    maya.press(f"form[action='{address}met/'] button[type=submit]")
    cycle.refresh_from_db()
    assert cycle.stage == Stage.MET
    assert cycle.met_summary
    maya.check("goal-met")
    maya.press("nav a[href='/cycles/mine/']")
    expect(maya.page.get_by_role("heading", name="Past cycles")).to_be_visible()
    maya.check("my-cycle-met")
    lena.site.goto("/cycles/caseload/")
    expect(lena.page.get_by_role("heading", name="Recently met")).to_be_visible()
    lena.check("caseload-met")
