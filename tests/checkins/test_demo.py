"""The demo's check-in: last week's meeting held, its action item carried to the next."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import User
from tandem.checkins.models import CheckIn
from tandem.schools import demo

pytestmark = pytest.mark.django_db


def test_the_demo_check_in_carries_its_action_item_to_the_next_meeting() -> None:
    demo.build("small")
    held = CheckIn.objects.filter(starts_at__lt=timezone.now()).get()
    assert held.notes
    assert held.attendees.count() == 4
    upcoming = CheckIn.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at")[0]
    client = Client()
    client.force_login(User.objects.get(email="lena.brooks@maplevalley.example"))
    page = client.get(upcoming.get_absolute_url())
    assert page.status_code == 200
    assert "Share the exit-ticket template in the team thread" in page.content.decode()
    assert [i.text for i in page.context["agenda"].carried_over] == [
        "Share the exit-ticket template in the team thread"
    ]
