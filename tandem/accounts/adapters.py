from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Tandem has no open sign-up: people join through their district's invitation."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
