"""The demo tells the privacy story of DESIGN.md: what Maya shares, holds back and sees."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.cycles.models import Goal
from tandem.notes.models import Note
from tandem.privacy.categories import Category
from tandem.privacy.models import AccessEvent, CategoryShare, SchoolAgreement
from tandem.schools import demo

pytestmark = pytest.mark.django_db


def _person(local: str) -> User:
    return User.objects.get(email=f"{local}@maplevalley.example")


def _client(local: str) -> Client:
    client = Client()
    client.force_login(_person(local))
    return client


def test_the_demo_tells_mayas_privacy_story() -> None:
    demo.build("small")
    maya, lena, omar = _person("maya.torres"), _person("lena.brooks"), _person("omar.haddad")
    cycle_goal = Goal.objects.get(teacher=maya, engagement__coach=lena)
    assert cycle_goal.engagement is not None
    assert cycle_goal.engagement.kind == "impact_cycle"
    assert Goal.objects.get(teacher=maya, held_back=True).engagement is None
    assert Note.objects.filter(teacher=maya, author=maya, category=Category.NOTES).count() == 1
    assert Note.objects.filter(teacher=maya, author=lena, category=Category.NOTES).count() == 1
    assert Note.objects.filter(teacher=maya, author=lena, category=Category.COACH_PRIVATE).count()
    share = CategoryShare.objects.get(teacher=maya, coach=omar)
    assert share.category == Category.GOALS
    assert SchoolAgreement.objects.get(school__name="Jefferson Middle School").category == "goals"
    assert AccessEvent.objects.filter(teacher=maya).count() >= 4
    assert Goal.objects.exclude(teacher=maya).count() >= 5

    privacy = _client("maya.torres").get(reverse("privacy")).content.decode()
    assert "Lena Brooks keeps 1 private note about their own coaching with you" in privacy
    assert "Goal: Try one new questioning routine" in privacy  # held back
    looked = _client("maya.torres").get(reverse("who_looked")).content.decode()
    assert "Omar Haddad" in looked
    # Omar sees Maya's cycle goal (shared with him), not the one she holds back.
    omar_goals = _client("omar.haddad").get(reverse("goal_list")).content.decode()
    assert "80% of my students explain their reasoning" in omar_goals
    assert "questioning routine" not in omar_goals
    # The principal sees counts, some of them not shown, and no names.
    home = _client("dana.reyes").get(reverse("home")).content.decode()
    assert '<th scope="row">Instructional coach</th><td class="num">6</td>' in home
    assert "not shown" in home
    assert "Maya" not in home
