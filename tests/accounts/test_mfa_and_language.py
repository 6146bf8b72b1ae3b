from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User

from ..cast import Cast
from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_district_admin_without_an_authenticator_is_asked_to_set_one_up(
    cast: Cast, client_for
) -> None:
    Authenticator.objects.filter(user=cast.priya).delete()
    response = client_for(cast.priya).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_district_admin_with_an_authenticator_reaches_her_home_page(cast: Cast, client_for) -> None:
    response = client_for(cast.priya).get(reverse("home"))
    assert response.status_code == 200
    assert "District" in response.content.decode()


def _password_login(user: User) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_admin_without_mfa_signs_in_and_lands_on_the_authenticator_setup(cast: Cast) -> None:
    Authenticator.objects.filter(user=cast.priya).delete()
    client = _password_login(cast.priya)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    # allauth confirms the password once more before a second factor is added.
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert "Set up an authenticator app to continue" in response.content.decode()
    confirm = client.post(response.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert confirm.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert confirm.status_code == 200


def test_teachers_may_use_mfa_but_are_not_forced_to(cast: Cast) -> None:
    client = _password_login(cast.maya)
    assert client.get(reverse("home")).status_code == 200
    setup = client.get(reverse("mfa_activate_totp"), follow=True)
    assert setup.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_preferred_language_is_used_after_sign_in(cast: Cast, client_for) -> None:
    cast.maya.preferred_language = "es"
    cast.maya.save()
    response = client_for(cast.maya).get(reverse("home"))
    assert response["Content-Language"] == "es"


def test_switching_language_remembers_it_on_the_person(cast: Cast, client_for) -> None:
    client = client_for(cast.maya)
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    cast.maya.refresh_from_db()
    assert cast.maya.preferred_language == "es"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_an_unknown_language_is_ignored(cast: Cast, client_for) -> None:
    client_for(cast.maya).post(reverse("set_language"), {"language": "xx", "next": "/"})
    cast.maya.refresh_from_db()
    assert cast.maya.preferred_language == ""


def test_anonymous_visitor_can_switch_the_sign_in_page_to_spanish(db: None) -> None:
    client = Client()
    client.post(reverse("set_language"), {"language": "es", "next": "/accounts/login/"})
    assert client.get(reverse("account_login"))["Content-Language"] == "es"
