from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tandem.accounts.models import User

from .cast import Cast, build_cast

# Reproducible property tests: the same examples on every run and machine.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> None:
    # Argon2 on every factory user would cost minutes across the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _files_out_of_the_repository(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Lesson video written by tests (demo builds, the live server) goes to a temporary folder.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.TANDEM_UPLOAD_DIR = tmp_path_factory.mktemp("uploads")


@pytest.fixture(autouse=True)
def _english() -> None:
    """Each test starts in English, whatever the last one switched to."""
    from django.utils import translation

    translation.activate("en")


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(db: None) -> Callable[[User], Client]:
    """A test client signed in as the given person (MFA already satisfied)."""

    def sign_in(user: User) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return sign_in


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The authorization matrix says how many cases it checked (issue 4: it counts them)."""
    import sys

    matrix = sys.modules.get("tests.test_authorization_matrix")
    checked = getattr(matrix, "CHECKED", None)
    if checked:
        terminalreporter.write_line(
            "authorization matrix: "
            + ", ".join(f"{n} {what}" for what, n in checked.items())
            + " (wrong must be 0)"
        )
