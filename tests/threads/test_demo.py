"""The demo's Jefferson coaches' thread: messages, a mention, a success story, resources."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.notifications.models import Notification
from tandem.schools import demo
from tandem.schools.models import School

pytestmark = pytest.mark.django_db


def test_the_demo_thread_has_messages_a_mention_a_success_story_and_two_resources() -> None:
    demo.build("small")
    jefferson = School.objects.get(name="Jefferson Middle School")
    client = Client()
    client.force_login(User.objects.get(email="sam.okafor@maplevalley.example"))
    page = client.get(reverse("school_thread", args=[jefferson.uuid]), follow=True)
    body = page.content.decode()
    assert '<strong class="mention">@Omar Haddad</strong>' in body
    assert "Success story" in body
    assert "Number talks: a short guide" in body
    assert "Links, not copies." in body
    resources = client.get(reverse("resource_list", args=[jefferson.uuid])).content.decode()
    assert "Exit tickets on tablets" in resources
    omar = User.objects.get(email="omar.haddad@maplevalley.example")
    assert Notification.objects.filter(user=omar, text__contains="mentioned you").count() == 1
