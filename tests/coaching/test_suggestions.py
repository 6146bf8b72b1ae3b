"""Suggestions: a coach gives them, the teacher says where she is with them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.coaching import services
from tandem.coaching.models import Suggestion, SuggestionStatus

from ..cast import Cast
from .builders import suggestion

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def test_a_coach_gives_a_suggestion_to_a_teacher_she_coaches(cast: Cast, client_for: Login) -> None:
    response = client_for(cast.omar).post(
        reverse("suggestion_create"), {"teacher": cast.maya.pk, "text": "Try a shared slide deck"}
    )
    made = Suggestion.objects.get()
    assert response.status_code == 302
    assert (made.author, made.teacher, made.status) == (cast.omar, cast.maya, SuggestionStatus.OPEN)


def test_a_coach_cannot_give_a_suggestion_to_a_teacher_she_does_not_coach(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.give_suggestion(coach=cast.nia, teacher=cast.maya, text="Hello")
    with pytest.raises(ValidationError):
        services.give_suggestion(coach=cast.lena, teacher=cast.maya, text="   ")


def test_the_teacher_sees_suggestions_from_all_her_coaches_by_coach(
    cast: Cast, client_for: Login
) -> None:
    suggestion(cast, coach=cast.lena, text="Wait five seconds")
    suggestion(cast, coach=cast.omar, text="Use the class tablets")
    page = client_for(cast.maya).get(reverse("suggestion_list")).content.decode()
    assert "From Lena Brooks" in page
    assert "From Omar Haddad" in page
    assert page.index("From Lena Brooks") < page.index("Wait five seconds")
    lena = client_for(cast.lena).get(reverse("suggestion_list")).content.decode()
    assert "Wait five seconds" in lena
    assert "Use the class tablets" not in lena


def test_the_teacher_sets_the_status_and_a_coach_may_not(cast: Cast, client_for: Login) -> None:
    made = suggestion(cast)
    url = reverse("suggestion_status", args=[made.uuid])
    assert client_for(cast.maya).post(url, {"status": "trying"}).status_code == 302
    made.refresh_from_db()
    assert made.status == SuggestionStatus.TRYING
    assert client_for(cast.lena).post(url, {"status": "done"}).status_code == 403
    assert client_for(cast.omar).post(url, {"status": "done"}).status_code == 404
    assert client_for(cast.henry).post(url, {"status": "done"}).status_code == 404
    made.refresh_from_db()
    assert made.status == SuggestionStatus.TRYING


def test_a_status_outside_the_list_changes_nothing(cast: Cast, client_for: Login) -> None:
    made = suggestion(cast)
    client_for(cast.maya).post(reverse("suggestion_status", args=[made.uuid]), {"status": "won"})
    made.refresh_from_db()
    assert made.status == SuggestionStatus.OPEN
    with pytest.raises(ValidationError):
        services.set_suggestion_status(suggestion=made, acting_user=cast.maya, status="won")


def test_the_detail_page_says_who_can_see_it(cast: Cast, client_for: Login) -> None:
    made = suggestion(cast, text="Cold call with no opt-out")
    page = client_for(cast.maya).get(made.get_absolute_url()).content.decode()
    assert "Who can see this" in page
    assert "Lena Brooks" in page
    assert "Where you are with it" in page
    lena = client_for(cast.lena).get(made.get_absolute_url()).content.decode()
    assert "Where you are with it" not in lena
    for person in (cast.omar, cast.dana, cast.hilda):
        assert client_for(person).get(made.get_absolute_url()).status_code == 404
