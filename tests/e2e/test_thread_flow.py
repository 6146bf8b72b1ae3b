"""The coaches' thread in a browser: a script typed as a message stays text, and a message
another coach posts appears without a reload (htmx polling every 15 seconds)."""

from __future__ import annotations

from playwright.sync_api import expect

from tandem.threads import services

from ..cast import Cast
from .browser import Site


def test_a_message_from_another_coach_appears_without_a_reload(site: Site, cast: Cast) -> None:
    thread = services.team_thread(school=cast.jefferson, acting_user=cast.lena)
    site.sign_in(cast.omar)
    site.goto(f"/threads/{thread.uuid}/")
    site.page.get_by_label("Your message").fill("<script>window.pwned = 1</script> hello")
    site.page.get_by_role("button", name="Post").click()
    site.page.wait_for_load_state()
    expect(site.page.locator("#messages")).to_contain_text("<script>window.pwned = 1</script>")
    assert site.page.evaluate("window.pwned") is None

    services.post_message(thread=thread, acting_user=cast.lena, text="Seen from afar, @Omar Haddad")
    fresh = site.page.locator("#messages li", has_text="Seen from afar")
    expect(fresh).to_have_count(1, timeout=25_000)
    expect(fresh.locator("strong.mention")).to_have_text("@Omar Haddad")
    # The poller moved on: the next poll brings nothing twice.
    site.page.wait_for_timeout(16_000)
    expect(fresh).to_have_count(1)
