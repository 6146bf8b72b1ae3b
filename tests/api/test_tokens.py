"""The person's own tokens through the API: list, create from a session, revoke."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tandem.accounts.models import ApiToken, User

from ..cast import Cast
from .conftest import API

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def _with_csrf(client: Client) -> dict[str, str]:
    client.get("/me/")
    return {"X-CSRFToken": client.cookies["csrftoken"].value}


def test_a_person_lists_only_her_own_working_tokens(cast: Cast, api_for: Clients) -> None:
    ApiToken.issue(user=cast.maya, name="grade-book sync")
    revoked, _raw = ApiToken.issue(user=cast.maya, name="old laptop")
    revoked.revoke()
    ApiToken.issue(user=cast.lena, name="lena's sync")
    names = [t["name"] for t in api_for(cast.maya).get(f"{API}/tokens").json()]
    assert sorted(names) == ["grade-book sync", "tests"]


def test_a_listed_token_never_shows_its_value_or_digest(cast: Cast, api_for: Clients) -> None:
    token, raw = ApiToken.issue(user=cast.maya, name="sync")
    body = api_for(cast.maya).get(f"{API}/tokens").content.decode()
    assert raw not in body
    assert token.digest not in body
    assert token.prefix in body


def test_a_session_creates_a_token_shown_once_that_then_works(
    cast: Cast, session_for: Clients
) -> None:
    client = session_for(cast.maya)
    response = client.post(
        f"{API}/tokens",
        {"name": "  observation app "},
        content_type="application/json",
        headers=_with_csrf(client),
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["name"] == "observation app"
    assert created["token"].startswith("tdm_")
    assert created["token"].startswith(created["prefix"])
    token = ApiToken.objects.get(uuid=created["uuid"])
    assert created["token"] not in token.digest
    me = Client(headers={"Authorization": f"Bearer {created['token']}"}).get(f"{API}/me")
    assert me.json()["uuid"] == str(cast.maya.uuid)
    assert created["token"] not in client.get(f"{API}/tokens").content.decode()


def test_a_token_cannot_create_another_token(cast: Cast, api_for: Clients) -> None:
    response = api_for(cast.maya).post(
        f"{API}/tokens", {"name": "child"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert not ApiToken.objects.filter(name="child").exists()


def test_a_token_needs_a_name(cast: Cast, session_for: Clients) -> None:
    client = session_for(cast.maya)
    response = client.post(
        f"{API}/tokens",
        {"name": "   "},
        content_type="application/json",
        headers=_with_csrf(client),
    )
    assert response.status_code == 422


def test_a_person_revokes_her_token_and_it_stops_working(cast: Cast, api_for: Clients) -> None:
    token, raw = ApiToken.issue(user=cast.maya, name="sync")
    response = api_for(cast.maya).delete(f"{API}/tokens/{token.uuid}")
    assert response.status_code == 204
    assert response.content == b""
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get(f"{API}/me").status_code == 401


def test_a_token_may_revoke_itself(cast: Cast) -> None:
    token, raw = ApiToken.issue(user=cast.maya, name="sync")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.delete(f"{API}/tokens/{token.uuid}").status_code == 204
    assert client.get(f"{API}/me").status_code == 401


@pytest.mark.parametrize("who", ["lena", "dana", "priya", "otto"])
def test_nobody_revokes_another_persons_token(who: str, cast: Cast, api_for: Clients) -> None:
    token, raw = ApiToken.issue(user=cast.maya, name="sync")
    response = api_for(cast.everyone()[who]).delete(f"{API}/tokens/{token.uuid}")
    assert response.status_code == 404
    assert ApiToken.objects.for_raw(raw).exists()


def test_revoking_a_revoked_token_gets_404(cast: Cast, api_for: Clients) -> None:
    token, _raw = ApiToken.issue(user=cast.maya, name="sync")
    token.revoke()
    assert api_for(cast.maya).delete(f"{API}/tokens/{token.uuid}").status_code == 404
