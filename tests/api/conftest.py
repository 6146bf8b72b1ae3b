"""Clients for the API: one with a person's personal access token, one with her session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import ApiToken, User

API = "/api/v1"


@pytest.fixture
def api_for(db: None) -> Callable[[User], Client]:
    """A client that sends a fresh personal access token of the given person."""

    def client(user: User) -> Client:
        _token, raw = ApiToken.issue(user=user, name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return client


@pytest.fixture
def session_for(db: None) -> Callable[[User], Client]:
    """A signed-in browser session that enforces CSRF, as a real browser's would."""

    def client(user: User) -> Client:
        c = Client(enforce_csrf_checks=True)
        c.force_login(user)
        return c

    return client


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how many cases the authorization matrix checked (each test records its own)."""
    reports = [
        report
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if getattr(report, "when", None) == "call"
    ]
    counted = [
        (report.passed, value)
        for report in reports
        for name, value in getattr(report, "user_properties", [])
        if name == "authorization_cases"
    ]
    if counted:
        cases = sum(value for _passed, value in counted)
        failed = sum(1 for passed, _value in counted if not passed)
        terminalreporter.write_line(
            f"API authorization matrix: {cases} cases checked over {len(counted)} operations, "
            f"{failed} operations with a wrong status"
        )
