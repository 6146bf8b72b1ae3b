"""The demo's coaching team: the alignment report shows the planted divergence."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.schools import demo
from tandem.schools.models import School

pytestmark = pytest.mark.django_db


def test_the_demo_report_shows_one_term_with_two_meanings_and_the_literacy_initiative() -> None:
    demo.build("small")
    jefferson = School.objects.get(name="Jefferson Middle School")
    url = reverse("alignment_report", args=[jefferson.uuid])
    for email in ("lena.brooks@maplevalley.example", "dana.reyes@maplevalley.example"):
        client = Client()
        client.force_login(User.objects.get(email=email))
        page = client.get(url).content.decode()
        assert "“check for understanding” means different things" in page
        assert "An exit ticket at the end of the lesson, scored against the goal" in page
        assert "A thumbs-up poll during the lesson, on the students&#x27; devices" in page
        assert "Literacy across the content areas" in page
        assert "Two words for one idea" in page  # exit ticket / ticket out the door
    client = Client()
    client.force_login(User.objects.get(email="lena.brooks@maplevalley.example"))
    page = client.get(url).content.decode()
    assert "Maya Torres meets her coaches" in page


def test_the_demo_has_conflicting_advice_with_an_open_flag_omar_and_sam_see() -> None:
    from tandem.teamwork.models import ContradictionFlag

    demo.build("small")
    flag = ContradictionFlag.objects.get()
    assert not flag.is_resolved
    texts = sorted(s.text for s in flag.suggestions.all())
    assert texts == [
        "Have students use the tablets for all practice",
        "Keep practice on paper so students show their work",
    ]
    for email in ("omar.haddad@maplevalley.example", "sam.okafor@maplevalley.example"):
        client = Client()
        client.force_login(User.objects.get(email=email))
        assert client.get(flag.get_absolute_url()).status_code == 200
    client = Client()
    client.force_login(User.objects.get(email="lena.brooks@maplevalley.example"))
    assert client.get(flag.get_absolute_url()).status_code == 404
