"""Check-in pages as screens for test_pages.py: the list, planning a series (and its
refusal when the rule never ends), a series with a skipped and a moved date, a check-in
with its agenda (a coach's, and a principal's when leaders are invited), the calendar
feed page with a new address. Each opener may run once per language."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone

from tandem.checkins import services
from tandem.checkins.models import CheckIn, CheckInSeries
from tandem.cycles.models import Goal, GoalStatus

from .. import content
from ..cast import Cast
from ..checkins.builders import weekly
from .browser import Site

Opener = Callable[[Site, Cast], None]


def _series(cast: Cast) -> CheckInSeries:
    """Jefferson's weekly check-in around today: one held (notes, an open action item),
    one skipped, one moved; Maya's goal met with Lena since the last one."""
    found = CheckInSeries.objects.filter(school=cast.jefferson).first()
    if found:
        return found
    today = timezone.localdate()
    series = weekly(
        cast,
        first_date=today - datetime.timedelta(days=9),
        count=5,
        time_zone="America/Los_Angeles",
        leaders_invited=True,
    )
    held, skipped, moved, *_ = series.checkins.order_by("starts_at")
    services.record_checkin(
        acting_user=cast.lena,
        checkin=held,
        attendees=[cast.lena, cast.omar, cast.sam],
        notes="We agreed on one word for checking understanding.",
    )
    services.add_action_item(
        acting_user=cast.lena,
        checkin=held,
        text="Share the exit-ticket template",
        owner=cast.sam,
        due_on=today,
    )
    services.skip_checkin(acting_user=cast.lena, checkin=skipped)
    local = moved.starts_at.astimezone(series.zone)
    services.move_checkin(
        acting_user=cast.lena,
        checkin=moved,
        date=local.date() + datetime.timedelta(days=1),
        time=datetime.time(15, 30),
    )
    cycle = content.impact_cycle(cast)
    goal = content.goal(cast, engagement=cycle.engagement, author=cast.lena)
    Goal.objects.filter(pk=goal.pk).update(
        cycle=cycle, status=GoalStatus.MET, updated_at=timezone.now()
    )
    return series


def _next(cast: Cast) -> CheckIn:
    found = (
        _series(cast)
        .checkins.filter(starts_at__gte=timezone.now(), skipped=False)
        .order_by("starts_at")
        .first()
    )
    assert found is not None
    return found


def _list(site: Site, cast: Cast) -> None:
    _series(cast)
    site.goto(reverse("checkin_list"))


def _new(site: Site, cast: Cast) -> None:
    site.goto(reverse("checkin_series_new"))


def _never_ends(site: Site, cast: Cast) -> None:
    site.goto(reverse("checkin_series_new"))
    page = site.page
    page.locator("#id_school").select_option(str(cast.jefferson.pk))
    page.locator("#id_first_date").fill("2025-10-21")
    page.locator("#id_start_time").fill("09:00")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _series_page(site: Site, cast: Cast) -> None:
    site.goto(reverse("checkin_series", args=[_series(cast).uuid]))


def _checkin(site: Site, cast: Cast) -> None:
    site.goto(reverse("checkin_detail", args=[_next(cast).uuid]))


def _calendar(site: Site, cast: Cast) -> None:
    site.goto(reverse("calendar_settings"))
    site.page.locator("main button[name=action][value=issue]").click()
    site.page.wait_for_load_state()


SCREENS: dict[str, tuple[str, Opener]] = {
    "checkins": ("lena", _list),
    "checkin-series-new": ("omar", _new),
    "checkin-series-never-ends": ("omar", _never_ends),
    "checkin-series": ("lena", _series_page),
    "checkin-agenda-coach": ("lena", _checkin),
    "checkin-agenda-principal": ("dana", _checkin),
    "calendar-feed": ("maya", _calendar),
}
SHOWN_BY = {
    "checkin_list": "checkins",
    "checkin_series_new": "checkin-series-new",
    "checkin_series": "checkin-series",
    "checkin_detail": "checkin-agenda-coach",
    "calendar_settings": "calendar-feed",
}
# Skipping, moving and ticking an item done are form posts from the pages above; the
# feed is an .ics for calendar programs, not a page.
NOT_PAGES = {"checkin_skip", "checkin_move", "action_item_done", "calendar_feed"}
