"""Issue 9 in the browser: a leader opens an adoption decision, three teachers give input,
the leader records the decision citing their input; then Maya chooses to visit another
teacher as her support, adapts a component with a reason and student evidence, and gives
feedback that shows up in "You said, we did" once Dana has answered. axe on every page.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from tandem.programs.models import AdoptionDecision, Modification, SupportEngagement

from ..cast import Cast
from ..programs.builders import colleagues, give, program
from .browser import Site


def test_teachers_shape_the_decision_choose_their_support_and_see_their_feedback_acted_on(
    site: Site, cast: Cast, new_context: Callable[..., BrowserContext]
) -> None:
    bridges = program(cast, "Bridges Math", school=cast.jefferson, by=cast.dana)
    ana, ben, cleo = colleagues(cast, 3)
    page = site.page

    def check(step: str) -> None:
        site.assert_accessible()
        site.screenshot(f"program-flow-{step}")

    # Dana opens the decision for Jefferson.
    site.open_session(cast.dana)
    site.goto("/programs/decisions/new/")
    page.get_by_label("Who is asked").select_option(label=cast.jefferson.name)
    page.get_by_label("The question").fill("Should grade 7 adopt Bridges Math?")
    deadline = timezone.localtime() + datetime.timedelta(days=7)
    page.get_by_label("Input is open until").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(bridges.name).check()
    check("01-open")
    page.get_by_role("button", name="Open the decision").click()
    page.wait_for_load_state()
    decision = AdoptionDecision.objects.get()
    # Two colleagues answered already; three give input in the browser now.
    give(decision, ben, anonymous=True, helps="Visual models")
    give(decision, cleo, helps="Shared unit plans")
    for n, teacher in enumerate([cast.maya, cast.luis, ana]):
        other = Site(page=new_context().new_page(), base_url=site.base_url, console=site.console)
        other.open_session(teacher)
        other.goto(decision.get_absolute_url())
        other.page.get_by_label("What would help my students").fill(f"Daily number talks {n}")
        other.page.get_by_label("Support I would need").fill("Visiting a colleague")
        other.page.get_by_label("I would like us to adopt it").check()
        if n == 2:
            other.page.get_by_label("Anonymously: my name is not stored with it").check()
        other.page.get_by_role("button", name="Send my input").click()
        other.page.wait_for_load_state()
        expect(other.page.get_by_text("Thank you: your input is saved.")).to_be_visible()
        other.assert_accessible()
        other.page.context.close()
    assert decision.inputs.count() == 5

    # Dana records the decision, citing their words.
    site.goto(f"/programs/decisions/{decision.uuid}/record/")
    page.get_by_label("The decision").select_option(label=bridges.name)
    page.get_by_label("Why").fill("Every one of you asked for daily number talks.")
    page.get_by_label("How teacher input shaped it").fill("Support comes first: you choose it.")
    page.get_by_label("Daily number talks 0", exact=False).check()
    page.get_by_label("Daily number talks 2", exact=False).check()
    check("02-record")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    decision.refresh_from_db()
    assert decision.is_decided
    assert decision.cited_inputs.count() == 2

    # Maya starts support with Sam and chooses to visit another teacher.
    maya = Site(page=new_context().new_page(), base_url=site.base_url, console=site.console)
    maya.open_session(cast.maya)
    maya.goto("/programs/support/new/")
    maya.page.get_by_label("With").select_option(label="Sam Okafor")
    maya.page.get_by_label("Program").select_option(label=bridges.name)
    maya.page.get_by_role("button", name="Start support").click()
    maya.page.wait_for_load_state()
    maya.page.get_by_label("Visiting a colleague's class").check()
    maya.assert_accessible()
    maya.screenshot("program-flow-03-choose")
    maya.page.get_by_role("button", name="Save my choice").click()
    maya.page.wait_for_load_state()
    support = SupportEngagement.objects.get(teacher=cast.maya)
    assert support.support_kind == "peer_visit"

    # She adapts the number talk: without a reason first (nothing saved), then with one.
    maya.page.get_by_role("link", name="Adapt a component").click()
    maya.page.wait_for_load_state()
    maya.page.get_by_label("Component").select_option(label="Daily number talk")
    maya.page.get_by_label("What you changed").fill("Partners rehearse before sharing")
    maya.page.get_by_label("For which students").fill("My newcomers")
    maya.page.get_by_label("Student evidence").fill("Four newcomers shared for the first time")
    maya.page.get_by_role("button", name="Save my adaptation").click()
    maya.page.wait_for_load_state()
    expect(maya.page.get_by_text("Say why you adapted it").first).to_be_visible()
    assert not Modification.objects.exists()
    maya.page.get_by_label("Why", exact=True).fill("They need words to say the math aloud")
    maya.page.get_by_role("button", name="Save my adaptation").click()
    maya.page.wait_for_load_state()
    expect(maya.page.get_by_text("adapted for My newcomers")).to_be_visible()
    maya.assert_accessible()
    maya.screenshot("program-flow-04-adapted")

    # Her feedback; then Dana answers in "You said, we did", and Maya reads it.
    maya.goto(bridges.get_absolute_url())
    maya.page.get_by_role("link", name="Give feedback").click()
    maya.page.wait_for_load_state()
    maya.page.get_by_label("The support I get").check()
    for question in ("useful", "clear", "heard"):
        maya.page.locator(f"input[name={question}][value='4']").check()
    maya.page.get_by_label("Comment").fill(
        "Visiting Ana's class helped most; planning time is short."
    )
    maya.page.get_by_role("button", name="Send my feedback").click()
    maya.page.wait_for_load_state()
    site.goto(f"/programs/{bridges.uuid}/learning/")
    page.get_by_label("You said (what we heard, in aggregate words, no names)").fill(
        "Planning time is short."
    )
    page.get_by_label("We did", exact=True).fill("Two planning afternoons in March.")
    check("05-respond")
    page.get_by_role("button", name="Add to “You said, we did”").click()
    page.wait_for_load_state()
    maya.goto(bridges.get_absolute_url())
    expect(maya.page.get_by_text("Two planning afternoons in March.")).to_be_visible()
    maya.assert_accessible()
    maya.screenshot("program-flow-06-you-said-we-did")
