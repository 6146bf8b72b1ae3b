"""Who may call the API: a personal access token, or a signed-in session with its CSRF token."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import ApiToken, User

from ..cast import Cast
from .conftest import API

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_valid_token_answers_as_its_owner(cast: Cast) -> None:
    _token, raw = ApiToken.issue(user=cast.maya, name="grade-book sync")
    response = _bearer(raw).get(f"{API}/me")
    assert response.status_code == 200
    assert response.json() == {
        "uuid": str(cast.maya.uuid),
        "email": cast.maya.email,
        "display_name": "Maya Torres",
        "preferred_language": "",
        "roles": ["teacher"],
    }


def test_me_lists_every_role_a_person_holds(cast: Cast, api_for: Clients) -> None:
    assert api_for(cast.luis).get(f"{API}/me").json()["roles"] == ["teacher", "coach"]
    assert api_for(cast.priya).get(f"{API}/me").json()["roles"] == ["district_admin"]


def test_a_revoked_token_gets_401(cast: Cast) -> None:
    token, raw = ApiToken.issue(user=cast.maya, name="sync")
    token.revoke()
    response = _bearer(raw).get(f"{API}/me")
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_gets_401_on_reads_and_writes(cast: Cast) -> None:
    _token, raw = ApiToken.issue(user=cast.maya, name="sync")
    wrong = _bearer(raw[:-1] + ("A" if raw[-1] != "A" else "B"))
    assert wrong.get(f"{API}/me").status_code == 401
    response = wrong.post(
        f"{API}/assignments/{cast.lena_maya.uuid}/end", content_type="application/json"
    )
    assert response.status_code == 401  # not a CSRF 403: there is no session at all


def test_no_credentials_get_401_in_json(db: None) -> None:
    response = Client().get(f"{API}/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "detail" in response.json()


def test_a_basic_auth_header_is_not_a_token(cast: Cast) -> None:
    response = Client(headers={"Authorization": "Basic bWF5YTpwYXNzd29yZA=="}).get(f"{API}/me")
    assert response.status_code == 401


def test_a_deactivated_persons_token_gets_401(cast: Cast) -> None:
    _token, raw = ApiToken.issue(user=cast.maya, name="sync")
    cast.maya.is_active = False
    cast.maya.save()
    assert _bearer(raw).get(f"{API}/me").status_code == 401


def test_using_a_token_records_when_it_was_last_used(cast: Cast) -> None:
    token, raw = ApiToken.issue(user=cast.maya, name="sync")
    _bearer(raw).get(f"{API}/me")
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < datetime.timedelta(minutes=1)


def test_a_session_reads_without_a_csrf_token(cast: Cast, session_for: Clients) -> None:
    response = session_for(cast.maya).get(f"{API}/me")
    assert response.status_code == 200
    assert response.json()["display_name"] == "Maya Torres"


def test_a_session_write_without_its_csrf_token_gets_403_and_changes_nothing(
    cast: Cast, session_for: Clients
) -> None:
    response = session_for(cast.maya).post(
        f"{API}/assignments/{cast.lena_maya.uuid}/end", content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    cast.lena_maya.refresh_from_db()
    assert cast.lena_maya.status == "active"


def test_a_session_write_with_its_csrf_token_goes_through(cast: Cast, session_for: Clients) -> None:
    client = session_for(cast.maya)
    client.get("/me/")  # any page sets the CSRF cookie, as in a browser
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        f"{API}/assignments/{cast.lena_maya.uuid}/end",
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "ended"


def test_a_token_needs_no_csrf_token_for_writes(cast: Cast) -> None:
    _token, raw = ApiToken.issue(user=cast.maya, name="sync")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    response = client.post(
        f"{API}/assignments/{cast.lena_maya.uuid}/end", content_type="application/json"
    )
    assert response.status_code == 200


def test_district_admin_without_two_factor_gets_403_by_token_and_by_session(
    cast: Cast, api_for: Clients, session_for: Clients
) -> None:
    Authenticator.objects.filter(user=cast.priya).delete()
    for client in (api_for(cast.priya), session_for(cast.priya)):
        response = client.get(f"{API}/me")
        assert response.status_code == 403
        assert "two-factor" in response.json()["detail"]


def test_a_token_speaks_its_owners_preferred_language(cast: Cast) -> None:
    cast.henry.preferred_language = "es"
    cast.henry.save()
    _token, raw = ApiToken.issue(user=cast.henry, name="sync")
    response = _bearer(raw).post(
        f"{API}/assignments/{cast.lena_maya.uuid}/end", content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "No se encontró."}
