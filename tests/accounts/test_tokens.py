from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.accounts.models import ApiToken

from ..cast import Cast

pytestmark = pytest.mark.django_db


def test_a_new_token_is_shown_once_and_only_its_digest_is_stored(cast: Cast, client_for) -> None:
    client = client_for(cast.lena)
    page = client.post(reverse("tokens"), {"name": "grade-book sync"}).content.decode()
    token = ApiToken.objects.get(user=cast.lena)
    raw = page.split('id="new-token" class="token" type="text" readonly value="')[1].split('"')[0]
    assert raw.startswith("tdm_")
    assert raw not in token.digest
    assert ApiToken.objects.for_raw(raw).get() == token
    assert raw not in client.get(reverse("tokens")).content.decode()


def test_revoking_a_token_stops_it_from_working(cast: Cast, client_for) -> None:
    token, raw = ApiToken.issue(user=cast.lena, name="sync")
    client_for(cast.lena).post(reverse("token_revoke", args=[token.uuid]))
    assert not ApiToken.objects.for_raw(raw).exists()


def test_nobody_can_revoke_another_persons_token(cast: Cast, client_for) -> None:
    token, raw = ApiToken.issue(user=cast.lena, name="sync")
    response = client_for(cast.omar).post(reverse("token_revoke", args=[token.uuid]))
    assert response.status_code == 404
    assert ApiToken.objects.for_raw(raw).exists()


def test_a_deactivated_persons_token_no_longer_works(cast: Cast) -> None:
    _token, raw = ApiToken.issue(user=cast.lena, name="sync")
    cast.lena.is_active = False
    cast.lena.save()
    assert not ApiToken.objects.for_raw(raw).exists()
