"""What a person sees and can do, in the browser, through the real forms."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tandem.accounts.models import User

from .. import factories as f
from ..cast import Cast
from .browser import Site


def team(page: Page) -> Locator:
    return page.get_by_role("region", name="My coaching team")


def test_teacher_sees_her_coaching_team_after_signing_in(site: Site, cast: Cast) -> None:
    site.sign_in(cast.maya)
    page = site.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Maya")
    cards = team(page).get_by_role("listitem")
    expect(cards).to_have_count(5)
    for name, role in [
        ("Lena Brooks", "Instructional coach"),
        ("Omar Haddad", "Technology coach"),
        ("Sam Okafor", "Content specialist (Mathematics)"),
        ("Grace Kim", "Mentor"),
        ("Luis Ortega", "Department head (Mathematics)"),
    ]:
        card = cards.filter(has=page.get_by_role("heading", name=name))
        expect(card).to_contain_text(role)
    site.assert_accessible()


def test_a_wrong_password_says_so_and_keeps_the_address(site: Site, cast: Cast) -> None:
    site.goto("/accounts/login/")
    page = site.page
    page.get_by_label("Email").fill(cast.maya.email)
    page.get_by_label("Password").fill("not-her-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The email address and/or password you specified are not correct."
    )
    expect(page.get_by_label("Email")).to_have_value(cast.maya.email)
    assert page.url.endswith("/accounts/login/")
    site.assert_accessible()


def test_coach_invites_a_teacher_who_accepts_and_then_sees_her_on_her_team(
    site: Site, cast: Cast
) -> None:
    ben = f.teacher(cast.jefferson, "Ben Carter")
    page = site.page
    site.sign_in(cast.lena)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invite a teacher").click()
    page.get_by_label("Teacher", exact=True).select_option(label="Ben Carter")
    page.get_by_label("Kind of coaching").select_option(label="Instructional coach")
    page.get_by_label("What you might work on").fill("Group work in fractions")
    page.get_by_label("A note to the teacher").fill("Would you like to plan a unit together?")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to Ben Carter")
    row = page.get_by_role("row").filter(has_text="Ben Carter")
    expect(row).to_contain_text("Invited by the coach")
    site.sign_out()

    site.sign_in(ben)
    waiting = page.get_by_role("region", name="Invitations waiting for your answer")
    expect(waiting).to_contain_text("Lena Brooks")
    expect(waiting).to_contain_text("Group work in fractions")
    expect(waiting).to_contain_text("Would you like to plan a unit together?")
    expect(team(page)).to_contain_text("You do not have a coach yet")
    site.assert_accessible()
    waiting.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("You and Lena Brooks now work together.")
    expect(waiting).to_have_count(0)
    expect(team(page).get_by_role("heading", name="Lena Brooks")).to_be_visible()
    expect(team(page)).to_contain_text("Instructional coach")


def test_principal_proposes_a_coach_and_ending_a_partnership_takes_the_coach_off_the_team(
    site: Site, cast: Cast, new_context: Callable[..., BrowserContext]
) -> None:
    # Maya is signed in on her own computer the whole time.
    maya = Site(page=new_context().new_page(), base_url=site.base_url, console=site.console)
    maya.sign_in(cast.maya)
    expect(team(maya.page).get_by_role("heading", name="Omar Haddad")).to_be_visible()

    page = site.page
    site.sign_in(cast.dana)
    page.get_by_role("link", name="Assignments").click()
    page.get_by_role("link", name="Propose a coach").click()
    page.get_by_label("School").select_option(label="Jefferson Middle School")
    page.get_by_label("Coach", exact=True).select_option(label="Nia Patel")
    page.get_by_label("Teacher").select_option(label="Maya Torres")
    page.get_by_label("Kind of coaching").select_option(label="Instructional coach")
    page.get_by_label("Focus").fill("Checking for understanding")
    page.get_by_label("Starts on").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.get_by_role("status")).to_contain_text("Proposed Nia Patel to Maya Torres.")
    proposal = page.get_by_role("row").filter(has_text="Nia Patel")
    expect(proposal).to_contain_text("Proposed by a leader")

    page.get_by_role("button", name="End now — Omar Haddad, Maya Torres").click()
    expect(page.get_by_role("status")).to_contain_text(
        "The partnership of Omar Haddad and Maya Torres has ended."
    )
    expect(page.get_by_role("row").filter(has_text="Omar Haddad")).to_have_count(0)

    maya.page.reload()
    expect(team(maya.page).get_by_role("listitem")).to_have_count(4)
    expect(team(maya.page)).not_to_contain_text("Omar Haddad")
    waiting = maya.page.get_by_role("region", name="Invitations waiting for your answer")
    expect(waiting).to_contain_text("Nia Patel")
    expect(waiting).to_contain_text("Proposed by Dana Reyes.")


def test_spanish_chosen_in_the_header_is_remembered_after_signing_out_and_in(
    site: Site, cast: Cast
) -> None:
    page = site.page
    site.sign_in(cast.maya)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url == site.url("/")
    assert User.objects.get(pk=cast.maya.pk).preferred_language == "es"
    site.assert_accessible()

    site.sign_out()
    page.context.clear_cookies()  # a different computer: nothing remembered in the browser
    site.sign_in(cast.maya)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#language-select")).to_have_value("es")  # whatever its label says


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_main_content(
    site: Site, cast: Cast
) -> None:
    site.sign_in(cast.lena)
    page = site.page
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0, "the focused skip link should be on screen"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    # The next stop is the first control of the main content, not back in the header.
    first = page.locator("main").locator("a[href], button, input, select, textarea").first
    expect(first).to_be_focused()


def test_sign_in_and_home_reflow_at_320_css_pixels_without_sideways_scrolling(
    site: Site, cast: Cast
) -> None:
    page = site.page
    page.set_viewport_size({"width": 320, "height": 640})
    site.goto("/accounts/login/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    site.sign_in(cast.lena)  # a coach's home has a table as well as her team
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Lena")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    site.screenshot("reflow-home-coach-320")


def test_district_admin_signs_in_with_her_authenticator_code(site: Site, cast: Cast) -> None:
    site.sign_in(cast.priya)
    page = site.page
    district = page.get_by_role("region", name="District")
    expect(district).to_contain_text("Jefferson Middle School")
    expect(district).to_contain_text("Lincoln Elementary School")
    expect(district).not_to_contain_text("Ridgeway")
