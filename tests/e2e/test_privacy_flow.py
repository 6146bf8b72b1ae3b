"""Issue 4 in the browser: Maya shares her goal with Omar, revokes it, sees he looked."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from ..cast import Cast
from ..content import goal
from .browser import Site


def test_teacher_shares_a_goal_revokes_it_and_sees_who_looked(
    site: Site, cast: Cast, new_context: Callable[..., BrowserContext]
) -> None:
    item = goal(cast, statement="Every student explains one answer in writing")
    address = f"/goals/{item.uuid}/"

    # Maya shares the goal with Omar alone, from the goal's own page.
    site.sign_in(cast.maya)
    site.goto(address)
    share = site.page.get_by_role("button", name="Share this with Omar Haddad")
    expect(share).to_have_attribute("aria-pressed", "false")
    share.click()
    expect(share).to_have_attribute("aria-pressed", "true")

    # Omar, on his own computer, sees it.
    omar = Site(page=new_context().new_page(), base_url=site.base_url, console=site.console)
    omar.sign_in(cast.omar)
    omar.goto(address)
    expect(omar.page.get_by_role("heading", level=1)).to_contain_text("Every student explains")

    # She revokes; his very next request finds nothing there.
    site.page.reload()
    share = site.page.get_by_role("button", name="Share this with Omar Haddad")
    share.click()
    expect(share).to_have_attribute("aria-pressed", "false")
    response = omar.page.goto(omar.url(address))
    assert response is not None
    assert response.status == 404
    expect(omar.page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    omar.console.errors.clear()  # the browser reports the 404 itself

    # "Who looked at my coaching" shows his one view.
    site.goto("/privacy/who-looked/")
    looked = site.page.get_by_role("region", name="Who looked")
    expect(looked).to_contain_text("Omar Haddad")
    expect(looked).to_contain_text("Every student explains one answer in writing")
    site.assert_accessible()
