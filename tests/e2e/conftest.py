"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

Every test in this folder is marked `browser` (`make browser` runs them,
`make unit` leaves them out). One Chromium serves the whole run; each test
gets a fresh browser context, so cookies never leak from one test to the next.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import BrowserContext, Page

from .browser import CHROMIUM, ConsoleWatch, Site

E2E_DIR = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the mark must be on before `-m browser` / `-m "not browser"` selects.
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))
            # pytest-base-url (a pytest-playwright dependency) still defines its
            # base_url fixture the way pytest 9 deprecates; nothing for us to change.
            item.add_marker(
                pytest.mark.filterwarnings(
                    "ignore:Session-scoped fixtures defined as instance methods"
                )
            )


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright() -> None:
    """Sync Playwright keeps an event loop running in this thread; Django's ORM then
    refuses to run unless told it is safe (it is: the loop only talks to Chromium).
    Set here, not at import, so a `-m "not browser"` run keeps Django's guard."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}. "
            "Install it with `sudo apt-get install -y chromium` (or run `make browser`, "
            "which installs it when running as root). Never `playwright install`.",
            pytrace=False,
        )
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    # allauth counts failed sign-ins in the cache; each test starts with none.
    cache.clear()


@pytest.fixture
def console() -> Generator[ConsoleWatch, None, None]:
    """Console errors and uncaught exceptions (CSP violations among them) of every page."""
    watch = ConsoleWatch()
    yield watch
    watch.assert_clean()


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext], console: ConsoleWatch
) -> Callable[..., BrowserContext]:
    """pytest-playwright's context factory, with every context's console watched."""

    def make(**kwargs: Any) -> BrowserContext:
        context = new_context(**kwargs)
        console.watch(context)
        return context

    return make


@pytest.fixture
def site(page: Page, live_server: Any, console: ConsoleWatch) -> Site:
    # Browser tests run in transactions that end with a flush, which also empties
    # the strategy library its migration seeded: put it back (idempotent).
    from tandem.library import seeding
    from tandem.library.models import Strategy

    seeding.load(Strategy)
    return Site(page=page, base_url=live_server.url, console=console)
