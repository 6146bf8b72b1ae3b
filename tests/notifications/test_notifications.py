"""In-app notifications: hers alone, counted in the header in one query, read when listed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import User
from tandem.notifications.models import Notification
from tandem.notifications.services import notify

from ..cast import Cast

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def _bell_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    return sum("notifications_notification" in q["sql"] for q in queries.captured_queries)


def test_the_header_counts_unread_notifications_in_one_query(cast: Cast, client_for: Login) -> None:
    maya = client_for(cast.maya)
    assert _bell_queries(maya) == 1
    for n in range(5):
        notify(user=cast.maya, text=f"Coaching session with Lena Brooks #{n}", url="/")
    assert _bell_queries(maya) == 1
    page = maya.get(reverse("home")).content.decode()
    assert '<span class="bell-count">5<span class="visually-hidden"> unread</span>' in page


def test_the_list_shows_hers_only_and_marks_them_read(cast: Cast, client_for: Login) -> None:
    notify(user=cast.maya, text="For Maya", url="/coaching/sessions/")
    notify(user=cast.lena, text="For Lena")
    notify(user=cast.hilda, text="For Hilda")
    page = client_for(cast.maya).get(reverse("notification_list")).content.decode()
    assert "For Maya" in page
    assert "For Lena" not in page
    assert "For Hilda" not in page
    assert "New" in page
    assert not Notification.objects.filter(user=cast.maya, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=cast.lena, read_at__isnull=True).exists()
    again = client_for(cast.maya).get(reverse("notification_list")).content.decode()
    assert "badge open" not in again


def test_mark_all_read_marks_hers_only(cast: Cast, client_for: Login) -> None:
    notify(user=cast.maya, text="One")
    notify(user=cast.lena, text="Two")
    response = client_for(cast.maya).post(reverse("notification_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=cast.maya, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=cast.lena, read_at__isnull=True).count() == 1


def test_signed_out_visitors_have_no_notifications(client: Client) -> None:
    assert client.get(reverse("notification_list")).status_code == 302
