"""The strategy library's pages as screens for test_pages.py: list, detail, form, framework.

Browser tests run in transactions that are flushed between tests, which empties the
seeded library too; each opener loads the seed again (idempotent) before it looks.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from tandem.library import seeding
from tandem.library.models import FrameworkTag, Strategy

from ..cast import Cast
from ..library.builders import added
from .browser import Site

Opener = Callable[[Site, Cast], None]


def _library(cast: Cast) -> Strategy:
    """Tandem's library, and one strategy Lena added for Maple Valley."""
    if not Strategy.objects.filter(district=None).exists():
        seeding.load(Strategy)
    return Strategy.objects.filter(district=cast.maple).first() or added(
        cast.lena,
        name="Hands-down questioning",
        resources=[{"title": "Jefferson's questioning guide", "url": "https://example.org/q"}],
    )


def _list(site: Site, cast: Cast) -> None:
    _library(cast)
    site.goto(reverse("strategy_list") + "?tag=questioning")


def _detail(site: Site, cast: Cast) -> None:
    _library(cast)
    site.goto(Strategy.objects.get(district=None, slug="wait-time").get_absolute_url())


def _form(site: Site, cast: Cast) -> None:
    site.goto(reverse("strategy_edit", args=[_library(cast).uuid]))


def _form_with_errors(site: Site, cast: Cast) -> None:
    site.goto(reverse("strategy_create"))
    site.page.locator("#id_resources").fill("Bad | javascript:alert(1)")
    site.page.locator("main form button[type=submit]").click()
    site.page.wait_for_load_state()


def _framework(site: Site, cast: Cast) -> None:
    if not FrameworkTag.objects.filter(district=cast.maple).exists():
        from tandem.library import demo

        demo.build(cast.maple)
    site.goto(reverse("framework_edit"))


SCREENS: dict[str, tuple[str, Opener]] = {
    "library-teacher": ("maya", _list),
    "strategy-detail": ("lena", _detail),
    "strategy-edit": ("lena", _form),
    "strategy-add-with-errors": ("omar", _form_with_errors),
    "framework": ("priya", _framework),
}
SHOWN_BY = {
    "strategy_list": "library-teacher",
    "strategy_detail": "strategy-detail",
    "strategy_edit": "strategy-edit",
    "strategy_create": "strategy-add-with-errors",
    "framework_edit": "framework",
}
NOT_PAGES: set[str] = set()
