"""Signing in and out, password reset, and the limits that protect accounts."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from ..cast import Cast
from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_teacher_signs_in_with_her_email_and_lands_on_her_home_page(cast: Cast) -> None:
    client = Client()
    response = _login(client, cast.maya.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "My coaching team" in client.get(reverse("home")).content.decode()


def test_email_is_matched_whatever_its_case(cast: Cast) -> None:
    response = _login(Client(), cast.maya.email.upper(), PASSWORD)
    assert response.status_code == 302


def test_wrong_password_says_so_and_does_not_sign_in(cast: Cast) -> None:
    client = Client()
    response = _login(client, cast.maya.email, "not-her-password")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert client.get(reverse("home")).status_code == 302


def test_unknown_email_gets_the_same_message_as_a_wrong_password(cast: Cast) -> None:
    known = _login(Client(), cast.maya.email, "wrong").content.decode()
    unknown = _login(Client(), "nobody@maplevalley.example", "wrong").content.decode()
    message = "The email address and/or password you specified are not correct."
    assert message in known
    assert message in unknown


def test_repeated_wrong_passwords_lock_the_account_for_a_while(cast: Cast) -> None:
    client = Client()
    for _ in range(5):
        _login(client, cast.maya.email, "wrong")
    response = _login(Client(), cast.maya.email, PASSWORD)
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_there_is_no_public_sign_up(client: Client) -> None:
    page = client.get(reverse("account_signup")).content.decode()
    assert "Sign Up Closed" in page or "closed" in page.lower()


def test_signing_out_ends_the_session(cast: Cast, client_for) -> None:
    client = client_for(cast.maya)
    client.post(reverse("account_logout"))
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_mails_a_link_that_sets_a_new_password(cast: Cast) -> None:
    client = Client()
    client.post(reverse("account_reset_password"), {"email": cast.maya.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", str(mail.outbox[0].body))
    assert link is not None
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    form_page = client.get(path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(
        action, {"password1": "a-new-long-password-1", "password2": "a-new-long-password-1"}
    )
    assert response.status_code == 302
    cast.maya.refresh_from_db()
    assert cast.maya.check_password("a-new-long-password-1")


def test_an_expired_or_used_reset_link_is_explained(cast: Cast) -> None:
    client = Client()
    page = client.get("/accounts/password/reset/key/zz-not-a-real-key/", follow=True)
    assert page.status_code == 200
    assert "Bad Token" in page.content.decode() or "invalid" in page.content.decode().lower()


def test_reset_for_an_unknown_address_reveals_nothing_and_sends_nothing_useful(
    db: None,
) -> None:
    response = Client().post(reverse("account_reset_password"), {"email": "nobody@nowhere.example"})
    assert response.status_code == 302
    # allauth may tell the address no account exists; it must not carry a reset link.
    assert all("/password/reset/key/" not in m.body for m in mail.outbox)


def test_an_unverified_address_must_be_confirmed_before_signing_in(cast: Cast) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=cast.maya).update(verified=False)
    client = Client()
    response = _login(client, cast.maya.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("home")).status_code == 302
    assert any("/accounts/confirm-email/" in m.body for m in mail.outbox)


def test_operator_admin_sign_in_goes_through_allauth(db: None) -> None:
    response = Client().get("/operator/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
