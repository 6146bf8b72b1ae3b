"""The observation pages as screens for test_pages.py: sessions, tools, a tool recording.

Each opener may run more than once (once per language): it builds what it needs
only once, and a tool page already recording (the browser kept the session)
goes on recording.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from playwright.sync_api import expect

from tandem.observations.models import CustomTool, ObservationSession
from tandem.observations.services import define_custom_tool
from tandem.privacy import services as privacy

from ..cast import Cast
from ..observations.sessions import record
from .browser import Site

Opener = Callable[[Site, Cast], None]


def _sessions(cast: Cast) -> list[ObservationSession]:
    """Lena's talk time and time on task in Maya's lessons, and Maya's own praise count."""
    if not ObservationSession.objects.exists():
        record(observer=cast.lena, teacher=cast.maya, lesson="Period 3, fractions")
        record(observer=cast.lena, teacher=cast.maya, tool="time_on_task")
        own = record(observer=cast.maya, teacher=cast.maya, tool="praise")
        privacy.share_item(item=own, coach=cast.lena, acting_user=cast.maya)
    return list(ObservationSession.objects.order_by("id"))


def _list(site: Site, cast: Cast) -> None:
    _sessions(cast)
    site.goto(reverse("observation_list"))


def _detail(index: int) -> Opener:
    def open_detail(site: Site, cast: Cast) -> None:
        site.goto(_sessions(cast)[index].get_absolute_url())

    return open_detail


def _custom(cast: Cast) -> CustomTool:
    found = CustomTool.objects.filter(owner=cast.lena).first()
    return found or define_custom_tool(
        owner=cast.lena,
        name="Turn and talk",
        mode="interval",
        labels=["Everyone talking", "Some talking", "Off task"],
        interval_seconds=20,
    )


def _tools(site: Site, cast: Cast) -> None:
    _custom(cast)
    site.goto(reverse("observation_tools"))


def _recording(path: Callable[[Cast], str], taps: int) -> Opener:
    def open_tool(site: Site, cast: Cast) -> None:
        site.goto(path(cast))
        page = site.page
        page.locator("body[data-recorder-ready]").wait_for(state="attached")
        if page.locator("#obs-start-button").is_visible():
            page.locator("#obs-lesson").fill("Period 3")
            page.locator("#obs-start-button").click()
            for n in range(taps):
                page.locator("[data-tap]").nth(n % 2).click()
        expect(page.locator("#obs-record")).to_be_visible()

    return open_tool


def _define(site: Site, cast: Cast) -> None:
    site.goto(reverse("observation_custom_tool_create"))


def _define_with_errors(site: Site, cast: Cast) -> None:
    site.goto(reverse("observation_custom_tool_create"))
    site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_load_state()


SCREENS: dict[str, tuple[str, Opener]] = {
    "observations-teacher": ("maya", _list),
    "observations-coach": ("lena", _list),
    "observation-talk-time-teacher": ("maya", _detail(0)),
    "observation-time-on-task-coach": ("lena", _detail(1)),
    "observation-tools": ("lena", _tools),
    "observation-recording-talk-time": (
        "lena",
        _recording(lambda cast: reverse("observation_tool", args=["talk-time"]), 3),
    ),
    "observation-recording-custom": (
        "lena",
        _recording(lambda cast: _custom(cast).get_absolute_url(), 2),
    ),
    "observation-define-tool": ("lena", _define),
    "observation-define-tool-with-errors": ("lena", _define_with_errors),
}
SHOWN_BY = {
    "observation_list": "observations-teacher",
    "observation_detail": "observation-talk-time-teacher",
    "observation_tools": "observation-tools",
    "observation_tool": "observation-recording-talk-time",
    "observation_custom_tool": "observation-recording-custom",
    "observation_custom_tool_create": "observation-define-tool",
}
# The service worker's script, the CSV of raw events, linking a goal (a form post).
NOT_PAGES = {"observation_service_worker", "observation_events_csv", "observation_link_goal"}
