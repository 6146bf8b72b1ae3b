"""Clients for the API: one with a person's personal access token, one with her session."""

from __future__ import annotations

from collections.abc import Callable

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
