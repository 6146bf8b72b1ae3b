"""What a browser test needs: sign in, switch language, check with axe-core, take screenshots."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import axe_playwright_python
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, ConsoleMessage, Page

from tandem.accounts.models import User

from ..factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
LANGUAGES = ("en", "es")


@dataclass
class ConsoleWatch:
    """Collects what a page says went wrong: console errors and uncaught exceptions."""

    errors: list[str] = field(default_factory=list)

    def watch(self, context: BrowserContext) -> None:
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.errors.append(f"uncaught: {error.error}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text = message.text
        # A 403 or 404 page is itself loaded "with an error status"; that is the page
        # under test, not a broken resource (a broken stylesheet has its own URL).
        page = message.page
        if (
            text.startswith("Failed to load resource: the server responded with a status of 40")
            and page is not None
            and message.location.get("url") == page.url
        ):
            return
        self.errors.append(f"{text} (at {message.location.get('url')})")

    def assert_clean(self) -> None:
        errors, self.errors = self.errors, []
        assert not errors, "The browser reported errors:\n" + "\n".join(errors)


@dataclass
class Site:
    """One browser tab on the live server, with the helpers every test uses."""

    page: Page
    base_url: str
    console: ConsoleWatch

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> None:
        self.page.goto(self.url(path))

    def set_language(self, code: str) -> None:
        """What the header's language switcher leaves behind: Django's language cookie."""
        self.page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": self.base_url}]
        )

    def sign_in(self, user: User, password: str = PASSWORD) -> None:
        """Through the real sign-in form, and the authenticator step when she has one."""
        self.goto("/accounts/login/")
        self.page.locator("input[name=login]").fill(user.email)
        self.page.locator("input[name=password]").fill(password)
        self.page.locator("main form button[type=submit]").click()
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is not None:
            self.page.wait_for_url("**/accounts/2fa/authenticate/")
            self.page.locator("input[name=code]").fill(totp_code(totp.data["secret"]))
            self.page.locator("main form button[type=submit]").first.click()
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, f"{user.email} could not sign in"

    def open_session(self, user: User) -> None:
        """Sign in without the form (a session from Django's test client), for tests about
        other pages; the form itself is exercised by `sign_in` in the flow tests."""
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": self.base_url}]
        )

    def sign_out(self) -> None:
        self.page.locator("header form[action$='/accounts/logout/'] button").click()
        self.page.wait_for_url("**/accounts/login/")

    def assert_accessible(self) -> None:
        assert_accessible(self.page)
        self.console.assert_clean()

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def totp_code(secret: str) -> str:
    """The code an authenticator app would show right now, not one about to expire."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 2:  # allauth accepts only the current period unless told otherwise
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.1 A and AA) on the page as it is; fail listing each violation."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's strict CSP does
        # not govern; a <script> tag (add_script_tag) would be refused as inline.
        page.evaluate(_axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = result["violations"]
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
    assert not violations, f"axe-core found violations on {page.url}:\n" + "\n".join(lines)
