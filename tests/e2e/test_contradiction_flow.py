"""Issue 8 in the browser: Maya flags Omar's and Sam's advice as pulling in different
directions; both coaches see the reflection; they record a resolution; it shows on both
suggestions and, with her consent, de-identified on the coaches' next check-in agenda."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from tandem.coaching.services import give_suggestion
from tandem.teamwork.agenda import flags_for_agenda
from tandem.teamwork.models import ContradictionFlag

from ..cast import Cast
from ..checkins.builders import weekly
from .browser import Site

TABLETS = "Have students use the tablets for all practice"
PAPER = "Keep practice on paper so students show their work"
RESOLUTION = "Paper for multi-step problems; tablets for fluency practice."


def test_a_teacher_flags_two_coaches_advice_and_they_resolve_it_together(
    site: Site, cast: Cast, new_context: Callable[..., BrowserContext]
) -> None:
    give_suggestion(coach=cast.lena, teacher=cast.maya, text="Use wait time after questions")
    give_suggestion(coach=cast.grace, teacher=cast.maya, text="Keep a reflection journal")
    tablets = give_suggestion(coach=cast.omar, teacher=cast.maya, text=TABLETS)
    paper = give_suggestion(coach=cast.sam, teacher=cast.maya, text=PAPER)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    series = weekly(cast, first_date=tomorrow, count=2)

    # Maya, with four coaches' advice side by side, ticks Omar's and Sam's and flags them.
    site.sign_in(cast.maya)
    site.page.get_by_role("link", name="My coaching team").first.click()
    site.page.wait_for_load_state()
    for name in ("Lena Brooks", "Omar Haddad", "Sam Okafor", "Grace Kim"):
        expect(site.page.get_by_role("heading", name=name)).to_be_visible()
    site.assert_accessible()
    site.page.get_by_role("link", name="Advice side by side").click()
    site.page.get_by_role("checkbox", name=TABLETS).check()
    site.page.get_by_role("checkbox", name=PAPER).check()
    site.page.get_by_label("What pulls in different directions?").fill(
        "Tablets or paper for fractions practice?"
    )
    site.assert_accessible()
    site.page.get_by_role("button", name="Think it through together").click()
    heading = site.page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("pull in different directions")
    site.assert_accessible()
    flag = ContradictionFlag.objects.get()

    # Omar, on his own computer, sees the reflection and answers.
    omar = Site(page=new_context().new_page(), base_url=site.base_url, console=site.console)
    omar.sign_in(cast.omar)
    omar.goto(flag.get_absolute_url())
    expect(omar.page.get_by_role("heading", level=1)).to_contain_text("different directions")
    expect(omar.page.get_by_text(PAPER)).to_be_visible()
    omar.page.get_by_label("Your reply").fill("Could paper be for multi-step work?")
    omar.page.get_by_role("button", name="Reply").click()
    expect(omar.page.get_by_text("Could paper be for multi-step work?")).to_be_visible()
    omar.assert_accessible()

    # Sam sees it too, and records the resolution they agreed.
    sam = Site(page=new_context().new_page(), base_url=site.base_url, console=site.console)
    sam.sign_in(cast.sam)
    sam.goto(flag.get_absolute_url())
    expect(sam.page.get_by_text("Could paper be for multi-step work?")).to_be_visible()
    sam.page.get_by_label("Which advice stands").fill(RESOLUTION)
    sam.page.get_by_role("button", name="Record the resolution").click()
    expect(sam.page.get_by_role("region", name="Resolution")).to_contain_text(RESOLUTION)
    sam.assert_accessible()

    # It shows on both suggestions.
    for suggestion in (tablets, paper):
        site.goto(suggestion.get_absolute_url())
        expect(site.page.get_by_role("region", name="Thought through together")).to_contain_text(
            RESOLUTION
        )
        site.assert_accessible()

    # Nothing on the agenda until Maya consents; then, without her name.
    since = timezone.now() - datetime.timedelta(days=1)
    assert flags_for_agenda(school=cast.jefferson, since=since) == []
    site.goto(flag.get_absolute_url())
    site.page.get_by_role(
        "checkbox", name="Put it on the coaches' next check-in agenda, without my name"
    ).check()
    site.page.get_by_role("button", name="Save my choice").click()
    expect(site.page.get_by_role("status")).to_contain_text("Your choice is saved.")
    site.assert_accessible()
    shown = flags_for_agenda(school=cast.jefferson, since=since)
    assert [(a.roles, a.resolution) for a in shown] == [
        (["Content specialist", "Technology coach"], RESOLUTION)
    ]

    # The next check-in's agenda (tandem/checkins) shows it, de-identified.
    checkin = series.checkins.order_by("starts_at").first()
    assert checkin is not None
    omar.goto(checkin.get_absolute_url())
    agenda = omar.page.get_by_role("region", name="Agenda")
    expect(agenda).to_contain_text("Content specialist, Technology coach")
    expect(agenda).to_contain_text(RESOLUTION)
    expect(agenda).not_to_contain_text("Maya")
    omar.assert_accessible()
