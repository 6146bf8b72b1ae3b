"""Clients for the observation tests: the API's (a token, or a browser session with CSRF)."""

from __future__ import annotations

from ..api.conftest import api_for, session_for

__all__ = ["api_for", "session_for"]
