from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tandem.accounts.models import ApiToken, User


@pytest.fixture
def api_for(db: None) -> Callable[[User], Client]:
    """A client that sends a fresh personal access token of the given person."""

    def client(user: User) -> Client:
        _token, raw = ApiToken.issue(user=user, name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return client
