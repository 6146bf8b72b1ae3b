"""A school's coach-to-coach agreement: set by its coaches and its leader, shown to
every teacher, which each may narrow for herself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.privacy import services as privacy
from tandem.privacy.categories import Category
from tandem.privacy.models import SchoolAgreement

from .. import content
from ..cast import Cast

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(cast: Cast, name: str = "school_agreement") -> str:
    return reverse(name, args=[cast.jefferson.uuid])


def test_the_schools_coaches_and_leader_open_it_and_nobody_else(cast: Cast, client_for) -> None:
    for person in (cast.lena, cast.nia, cast.luis, cast.dana):
        page = client_for(person).get(_url(cast)).content.decode()
        assert "What the coaches of Jefferson Middle School share with each other" in page
    missing = content.random_uuid()
    for person in (cast.maya, cast.ruth, cast.priya, cast.henry, cast.otto):
        client = client_for(person)
        hidden = client.get(_url(cast))
        nothing = client.get(reverse("school_agreement", args=[missing]))
        assert content.same_404(hidden, nothing, cast.jefferson.uuid, missing), person


def test_a_coach_adds_a_category_and_every_teacher_sees_it_on_her_privacy_page(
    cast: Cast, client_for
) -> None:
    answer = client_for(cast.lena).post(
        _url(cast, "school_agreement_set"), {"category": Category.GOALS, "shared": "1"}, **HTMX
    )
    html = answer.content.decode()
    assert html.lstrip().startswith('<div id="school-agreement"')
    assert "The coaches of Jefferson Middle School now share goals and plans with each other." in (
        html
    )
    assert "Added by Lena Brooks on" in html
    agreed = SchoolAgreement.objects.get()
    assert (agreed.school, agreed.category, agreed.updated_by) == (
        cast.jefferson,
        Category.GOALS,
        cast.lena,
    )
    privacy_page = client_for(cast.maya).get(reverse("privacy")).content.decode()
    agreement = privacy_page.split('id="agreement-table"')[1]
    assert "Goals and plans</th>" in agreement
    assert "Jefferson Middle School" in agreement.split("</tr>")[1]


def test_the_principal_removes_it_without_javascript_and_it_is_audited(
    cast: Cast, client_for
) -> None:
    privacy.set_agreement(
        school=cast.jefferson, category=Category.VIDEO, shared=True, acting_user=cast.sam
    )
    goal_like = content.note(cast)
    privacy.set_agreement(
        school=cast.jefferson, category=Category.NOTES, shared=True, acting_user=cast.sam
    )
    assert client_for(cast.grace).get(goal_like.get_absolute_url()).status_code == 200
    response = client_for(cast.dana).post(
        _url(cast, "school_agreement_set"), {"category": Category.NOTES, "shared": "0"}
    )
    assert response["Location"] == _url(cast)
    assert client_for(cast.grace).get(goal_like.get_absolute_url()).status_code == 404
    page = client_for(cast.dana).get(_url(cast)).content.decode()
    assert "You removed a category from the school agreement: notes and reflections" in page
    assert "Sam Okafor added a category to the school agreement: lesson video" in page


def test_coach_private_notes_are_never_in_an_agreement(cast: Cast, client_for) -> None:
    response = client_for(cast.lena).post(
        _url(cast, "school_agreement_set"), {"category": "coach_private", "shared": "1"}, **HTMX
    )
    assert "This kind of content cannot be shared." in response.content.decode()
    assert not SchoolAgreement.objects.exists()
